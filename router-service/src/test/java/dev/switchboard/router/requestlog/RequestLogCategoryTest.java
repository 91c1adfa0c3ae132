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

  /** A request log that hands each record to {@code sink}; spooling (3 records waiting) while {@code spooling} says so. */
  private static RequestLog stub(java.util.function.Consumer<RequestLogRecord> sink, java.util.function.BooleanSupplier spooling) {
    java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
    return new RequestLog() {
      @Override
      public void append(RequestLogRecord r) {
        appended.incrementAndGet();
        sink.accept(r);
      }

      @Override
      public RequestLogStats stats() {
        boolean s = spooling.getAsBoolean();
        return new RequestLogStats(appended.get(), 0, 0, 0, 0, 0, 0, 0, s ? 3 : 0, 0, s);
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void category_isTheBodysElseTheHeadersElseTheRoutes() throws Exception {
    Vertx v = Vertx.vertx();
    BlockingQueue<RequestLogRecord> logged = new LinkedBlockingQueue<>();
    RequestLog log = stub(logged::add, () -> false);
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
    RequestLog log = stub(logged::add, () -> false);
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

  /** /readyz stays ready while the request log spools (nothing is lost) but says so: the topic lags. */
  @Test
  void readyz_saysWhenTheRequestLogSpools() throws Exception {
    Vertx v = Vertx.vertx();
    java.util.concurrent.atomic.AtomicBoolean spooling = new java.util.concurrent.atomic.AtomicBoolean();
    RequestLog log = stub(r -> { }, spooling::get);
    try (FaultyOpenAiUpstream up = new FaultyOpenAiUpstream(v);
        GatewayHarness gw = GatewayHarness.start("""
            deployments:
              - { name: good, provider: openai, base_url: %s, model: ok }
            """.formatted(up.baseUrl()), null, o -> o.withObserver(new RequestLogObserver(log)))) {
      com.fasterxml.jackson.databind.JsonNode direct = RequestLogTestSupport.JSON.readTree(gw.get("/readyz").body());
      assertEquals("ready", direct.path("status").asText());
      assertEquals("direct", direct.at("/request_log/state").asText(), direct.toString());
      spooling.set(true);
      HttpResponse<String> r = gw.get("/readyz");
      assertEquals(200, r.statusCode(), "still ready: nothing is lost while spooling");
      com.fasterxml.jackson.databind.JsonNode body = RequestLogTestSupport.JSON.readTree(r.body());
      assertEquals("spooling", body.at("/request_log/state").asText(), r.body());
      assertEquals(3, body.at("/request_log/spool_pending").asLong());
    } finally {
      v.close();
    }
  }
}
