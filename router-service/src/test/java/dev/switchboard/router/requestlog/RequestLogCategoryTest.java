package dev.switchboard.router.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import dev.switchboard.router.testkit.GatewayHarness;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The request log's {@code category} is the one the request was routed with, on every route: the
 * body's {@code switchboard.category}, else the header {@code x-switchboard-category}, else the
 * route's configured {@code category} (eval-driven routes: {@code EvalDrivenRoutingTest}).
 */
class RequestLogCategoryTest {

  @Test
  void category_isTheBodysElseTheHeadersElseTheRoutes() throws Exception {
    Vertx v = Vertx.vertx();
    BlockingQueue<RequestLogRecord> logged = new LinkedBlockingQueue<>();
    RequestLog log = new RequestLog() {
      @Override
      public void append(RequestLogRecord r) {
        logged.add(r);
      }

      @Override
      public RequestLogStats stats() {
        return new RequestLogStats(logged.size(), 0, 0, 0, 0, 0, 0, 0, 0, 0, false);
      }

      @Override
      public void close() {}
    };
    try (FaultyOpenAiUpstream up = new FaultyOpenAiUpstream(v);
        GatewayHarness gw = GatewayHarness.start("""
            deployments:
              - { name: good, provider: openai, base_url: %s, model: ok }
            routes:
              - { alias: support, deployments: [good], category: support-bot }
            """.formatted(up.baseUrl()), null, o -> o.withObserver(new RequestLogObserver(log)))) {
      record Case(String model, String body, String header, String expected) {}
      for (Case c : new Case[] {
          new Case("support", null, null, "support-bot"),
          new Case("support", null, "koala", "koala"),
          new Case("support", "vicuna", "koala", "vicuna"),
          new Case("good", null, null, null),
          new Case("good", null, "koala", "koala")}) {
        String sb = c.body() == null ? "" : ",\"switchboard\":{\"category\":\"" + c.body() + "\"}";
        HttpResponse<String> r = gw.post("/v1/chat/completions",
            ("{\"model\":\"" + c.model() + "\"" + sb + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8),
            c.header() == null ? Map.of() : Map.of("x-switchboard-category", c.header()));
        assertEquals(200, r.statusCode(), r.body());
        RequestLogRecord rec = logged.poll(10, TimeUnit.SECONDS);
        assertNotNull(rec, "a record for " + c);
        assertEquals(c.expected(), rec.category(), c.toString());
      }
    } finally {
      v.close();
    }
  }

  /**
   * A replay run marks its own calls so later replays skip them; only with the admin key, or any
   * client could keep its traffic out of replay (and out of what retune learns from).
   */
  @Test
  void replayMark_isHonouredOnlyWithTheAdminKey() throws Exception {
    Vertx v = Vertx.vertx();
    BlockingQueue<RequestLogRecord> logged = new LinkedBlockingQueue<>();
    RequestLog log = new RequestLog() {
      @Override
      public void append(RequestLogRecord r) {
        logged.add(r);
      }

      @Override
      public RequestLogStats stats() {
        return new RequestLogStats(logged.size(), 0, 0, 0, 0, 0, 0, 0, 0, 0, false);
      }

      @Override
      public void close() {}
    };
    try (FaultyOpenAiUpstream up = new FaultyOpenAiUpstream(v);
        GatewayHarness gw = GatewayHarness.start("""
            server: { admin_key_env: ADMIN }
            deployments:
              - { name: good, provider: openai, base_url: %s, model: ok }
            """.formatted(up.baseUrl()), null, o -> o.withObserver(new RequestLogObserver(log))
                .withEnv(name -> name.equals("ADMIN") ? "admin-secret" : null))) {
      byte[] body = "{\"model\":\"good\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
      record Case(Map<String, String> headers, String expected) {}
      for (Case c : new Case[] {
          new Case(Map.of("x-switchboard-replay", "run-1"), null),
          new Case(Map.of("x-switchboard-replay", "run-1", "x-switchboard-replay-key", "guess"), null),
          new Case(Map.of("x-switchboard-replay", "run-1", "x-switchboard-replay-key", "admin-secret"), "run-1")}) {
        HttpResponse<String> r = gw.post("/v1/chat/completions", body, c.headers());
        assertEquals(200, r.statusCode(), r.body());
        RequestLogRecord rec = logged.poll(10, TimeUnit.SECONDS);
        assertNotNull(rec, "a record for " + c);
        assertEquals(c.expected(), rec.metadata().get("replay_run"), c.toString());
        assertEquals(false, rec.toString().contains("admin-secret"), "the key is never logged");
      }
    } finally {
      v.close();
    }
  }
}
