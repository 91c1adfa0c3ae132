package dev.switchboard.eval.cli;

import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard serve}: run the gateway until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    header = "Run the gateway (embedded defaults when no --config is given).",
    description = {
        "With no --config: every priced model of the shipped data is a deployment of the in-process recorded",
        "upstream, which answers with that model's real recorded response.",
        "With --config FILE: the YAML config (see README, 'Configuration'); it is reloaded when the file changes."})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Gateway config YAML. Default: embedded defaults.")
  Path config;

  @Option(names = "--host", description = "Interface to bind (overrides server.host). Default: 127.0.0.1.")
  String host;

  @Option(names = "--port", description = "Port (overrides server.port). Default: 8080.")
  Integer port;

  @Option(names = "--latency", defaultValue = "none", description = "Recorded upstream latency: none or realistic. Default: ${DEFAULT-VALUE}.")
  String latency;

  @Option(names = "--data-dir", defaultValue = ".switchboard", description = "Runtime state (Kafka log, spool). Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (!latency.equals("none") && !latency.equals("realistic")) {
      spec.commandLine().getErr().println("error: --latency must be none or realistic");
      return 2;
    }
    ServerOptions o = new ServerOptions(config, host, port, latency.equals("realistic"), SwitchboardHome.find(), dataDir);
    SwitchboardServer server = SwitchboardServer.start(o);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("error during shutdown: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "switchboard-shutdown"));
    spec.commandLine().getOut().println("Switchboard is listening on " + server.baseUrl() + "  (OpenAI-compatible: " + server.baseUrl() + "/v1)");
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
