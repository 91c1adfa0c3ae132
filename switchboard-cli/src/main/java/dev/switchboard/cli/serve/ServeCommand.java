package dev.switchboard.cli.serve;

import dev.switchboard.cli.options.Exit;
import dev.switchboard.cli.options.ScoringDeadlineOption;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigKeys;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.kafka.KafkaConnection;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.requestlog.CaptureMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard serve}: run the gateway until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    header = "Run the gateway (embedded defaults when no --config is given).",
    description = {
        "With no --config: every priced model of the shipped data is a deployment of the in-process recorded",
        "upstream, which answers with that model's real recorded response.",
        "With --config FILE: the YAML config (reference: docs/configuration.md); it is reloaded when the file changes."})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Gateway config YAML. Default: embedded defaults.")
  Path config;

  @Option(names = "--host", description = "Interface to bind (overrides server.host). Default: " + ConfigKeys.DEFAULT_HOST + ".")
  String host;

  @Option(names = "--port", description = "Port (overrides server.port). Default: " + ConfigKeys.DEFAULT_PORT + ".")
  Integer port;

  @Option(names = "--latency", defaultValue = "none", description = "Recorded upstream latency: none or realistic. Default: ${DEFAULT-VALUE}.")
  String latency;

  @Option(names = "--data-dir", defaultValue = ".switchboard", description = "Runtime state (Kafka log, spool). Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "External Kafka for the request log. Default: an embedded KRaft broker.")
  String kafka;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties of the external cluster (security.protocol, sasl.*, ssl.*; a secret can come from"
          + " the environment with config.providers=env and $${env:VAR}); its bootstrap.servers unless --kafka. The embedded"
          + " broker needs none: it generates its credentials.")
  Path kafkaConfig;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int kafkaPort;

  @Option(names = "--topic", defaultValue = "switchboard.requests", description = "Request-log topic. Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--capture", defaultValue = "full", description = "Capture of messages/responses in the log: full, redacted or none. Default: ${DEFAULT-VALUE}.")
  String capture;

  @Mixin ScoringDeadlineOption scoringDeadline;

  @Option(names = "--no-request-log", description = "Do not log requests to Kafka (and start no broker).")
  boolean noRequestLog;

  @Option(names = "--insecure-no-auth", description = "Allow binding a non-loopback --host with server.auth off (sets server.insecure_no_auth).")
  boolean insecureNoAuth;

  @Override
  public Integer call() throws Exception {
    if (!latency.equals("none") && !latency.equals("realistic")) {
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, "--latency must be none or realistic");
    }
    CaptureMode mode;
    try {
      mode = CaptureMode.parse(capture);
    } catch (IllegalArgumentException e) {
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, "--capture: " + e.getMessage());
    }
    if (scoringDeadline.problem() != null) {
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, scoringDeadline.problem());
    }
    ServerOptions o = new ServerOptions(config, host, port, latency.equals("realistic"), SwitchboardHome.find(), dataDir,
        !noRequestLog, kafka, kafkaPort, topic, mode).withScoringDeadlineMs(scoringDeadline.given()).withInsecureNoAuth(insecureNoAuth);
    if (kafkaConfig != null) {
      try {
        o = o.withKafka(KafkaConnection.fromFile(kafkaConfig, kafka));
      } catch (IllegalArgumentException e) {
        return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, "--kafka-config: " + e.getMessage());
      }
    }
    SwitchboardServer server;
    try {
      server = SwitchboardServer.start(o);
    } catch (ConfigException e) { // the file, or a policy or model it names: the user's to fix
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, e.getMessage());
    }
    // SIGTERM, Ctrl-C and POST /admin/shutdown drain (SwitchboardServer.close) on this thread and exit 0, as supervisors expect of a clean
    // stop; a JVM left to its default handling would exit 143. The shutdown hook covers any other exit.
    CountDownLatch stop = new CountDownLatch(1);
    StopSignals.onTermOrInt(stop::countDown);
    server.onShutdownRequest(stop::countDown); // POST /admin/shutdown: the same stop

    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server), "switchboard-shutdown"));
    spec.commandLine().getOut().println("Switchboard is listening on " + server.baseUrl() + "  (OpenAI-compatible: " + server.baseUrl() + "/v1)");
    if (server.kafkaBootstrap() != null) {
      spec.commandLine().getOut().println("Request log: Kafka " + server.kafkaBootstrap() + ", topic " + topic + " (capture " + mode.wireName() + ")");
    }
    spec.commandLine().getOut().flush();
    stop.await();
    closeQuietly(server);
    return 0;
  }

  private static void closeQuietly(SwitchboardServer server) {
    try {
      server.close();
    } catch (Exception e) {
      System.err.println("error during shutdown: " + e.getMessage());
    }
  }
}
