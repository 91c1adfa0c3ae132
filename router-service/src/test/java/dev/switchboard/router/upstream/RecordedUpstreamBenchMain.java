package dev.switchboard.router.upstream;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves the recorded upstream for load tools (bench/recorded-upstream/run.sh): one recorded
 * answer of about 300 words for the prompt "bench prompt" as model "bench-model", no latency.
 * Args: port, verticle instances, seconds to stay up.
 */
public final class RecordedUpstreamBenchMain {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int instances = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    StringBuilder answer = new StringBuilder();
    for (int i = 0; i < 300; i++) answer.append(i == 0 ? "" : " ").append("word").append(i);
    InMemoryRecordedAnswers answers = new InMemoryRecordedAnswers().add("bench-model", "bench prompt", answer.toString(), 10, 400);
    Vertx vertx = Vertx.vertx();
    RecordedUpstreamOptions options = new RecordedUpstreamOptions("127.0.0.1", port, LatencyProfile.NONE, Map.of());
    vertx.deployVerticle(() -> new RecordedUpstream(answers, options), new DeploymentOptions().setInstances(instances))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.println("READY");
    new java.util.concurrent.CountDownLatch(1).await(seconds, TimeUnit.SECONDS); // serve for the bench's duration
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
