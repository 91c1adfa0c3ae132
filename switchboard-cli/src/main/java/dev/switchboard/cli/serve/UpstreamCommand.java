package dev.switchboard.cli.serve;

import dev.switchboard.dataset.parquet.ParquetRecordedAnswers;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.upstream.LatencyProfile;
import dev.switchboard.router.upstream.RecordedUpstream;
import dev.switchboard.router.upstream.RecordedUpstreamOptions;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard upstream}: the recorded provider as a standalone OpenAI-compatible server. */
@Command(name = "upstream", mixinStandardHelpOptions = true,
    header = "Run the recorded upstream: an OpenAI-compatible server answering with real recorded responses.",
    description = {"Used by tests, benchmarks and other gateways. The request's model picks whose recording answers."})
public final class UpstreamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "8081", description = "Port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--ttft-ms", defaultValue = "0", description = "Simulated time to first token. Default: ${DEFAULT-VALUE} (benchmarks).")
  long ttftMs;

  @Option(names = "--tokens-per-second", defaultValue = "0", description = "Simulated output speed; 0 = instant. Default: ${DEFAULT-VALUE}.")
  double tokensPerSecond;

  @Override
  public Integer call() throws Exception {
    var answers = ParquetRecordedAnswers.load(SwitchboardHome.datasets().resolve("recorded").resolve("answers.parquet"));
    Vertx vertx = Vertx.vertx();
    RecordedUpstream up = new RecordedUpstream(answers, new RecordedUpstreamOptions(host, port, new LatencyProfile(ttftMs, tokensPerSecond), Map.of()));
    vertx.deployVerticle(up).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    spec.commandLine().getOut().println("Recorded upstream listening on " + up.baseUrl() + " (" + answers.models().size() + " models)");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
