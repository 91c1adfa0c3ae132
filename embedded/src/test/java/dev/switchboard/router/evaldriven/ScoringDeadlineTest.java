package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.router.Gateway;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** When scoring misses its deadline the route answers from its default and counts the fallback. */
class ScoringDeadlineTest {
  @TempDir Path dir;

  @Test
  void aLateScoreSendsTheRequestToTheDefaultDeployment() throws Exception {
    Path home = SwitchboardHome.find();
    // The slow fixture classifier (MiniLM): the shipped default scores in microseconds.
    dev.switchboard.router.testkit.SlowClassifier.policy(dir, "auto.yaml");
    Vertx upstreamVertx = Vertx.vertx();
    try (FaultyOpenAiUpstream up = new FaultyOpenAiUpstream(upstreamVertx)) {
      String u = up.baseUrl();
      // A 1 ms deadline: encoding a long prompt takes several milliseconds, so scoring is always late.
      GatewayConfig config = ConfigParser.parse("""
          server: { port: 0 }
          classifier: { path: %2$s, scoring_deadline_ms: 1 }
          deployments:
            - { name: mixtral-8x7b-instruct-v0.1, provider: openai, base_url: %1$s, model: ok }
            - { name: gpt-3.5-turbo-1106, provider: openai, base_url: %1$s, model: ok }
            - { name: claude-instant-1.2, provider: openai, base_url: %1$s, model: ok }
            - { name: gpt-4-1106-preview, provider: openai, base_url: %1$s, model: ok }
          routes:
            - alias: auto
              type: eval-driven
              policy: auto.yaml
              default: claude-instant-1.2
              deployments: [mixtral-8x7b-instruct-v0.1, gpt-3.5-turbo-1106, claude-instant-1.2, gpt-4-1106-preview]
          """.formatted(u, dev.switchboard.router.testkit.SlowClassifier.dir()), "t.yaml", dir);
      GatewayMetrics metrics = new GatewayMetrics();
      Vertx vertx = Gateway.newVertx(metrics);
      ListAppender<ILoggingEvent> logs = new ListAppender<>();
      logs.start();
      Logger setupLog = (Logger) LoggerFactory.getLogger(EvalDrivenSetup.class);
      setupLog.addAppender(logs);
      try (EvalDrivenSetup setup = EvalDrivenSetup.create(vertx, config, metrics)) {
        // No CPU scores MiniLM's longest prompt in 1 ms: the operator is told at startup, with the numbers.
        List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(1, warnings.size(), logs.list.toString());
        assertTrue(warnings.get(0).matches("classifier: scoring the longest prompt it embeds takes [0-9.]+ ms on this CPU "
            + "\\(1 intra-op thread\\(s\\)\\), more than classifier.scoring_deadline_ms 1: long prompts will go to their route's default .*"
            + "Raise classifier.scoring_deadline_ms \\(serve --scoring-deadline-ms\\) above [0-9]+ .*"), warnings.get(0));
        Gateway g = Gateway.start(vertx, metrics, setup.apply(Gateway.Options.of(config).withInstances(1), System::getenv))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        setup.started(g);
        String longPrompt = "Explain in detail, step by step, how a B-tree handles node splits and merges. ".repeat(30);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + longPrompt + "\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("claude-instant-1.2", r.headers().firstValue("x-switchboard-model").orElseThrow());
        assertEquals("timeout", r.headers().firstValue("x-switchboard-routing-fallback").orElseThrow());
        String m = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(m.contains("switchboard_routing_fallback_total{reason=\"timeout\",route=\"auto\"} 1.0"), m.lines().filter(l -> l.contains("fallback")).toList().toString());
        double longPromptSeconds = m.lines().filter(l -> l.startsWith("switchboard_classifier_long_prompt_score_seconds "))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
        assertTrue(longPromptSeconds > 0.001 && longPromptSeconds < 10, "long-prompt gauge: " + longPromptSeconds);
        g.close();
      } finally {
        setupLog.detachAppender(logs);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      upstreamVertx.close();
    }
  }
}
