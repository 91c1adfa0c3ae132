package dev.switchboard.router.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.testkit.FaultyOpenAiUpstream;
import dev.switchboard.router.testkit.GatewayHarness;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets a clear OpenAI-shaped error naming the field; never a stack trace; nothing reaches upstream. */
class GatewayBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx v;
  private static FaultyOpenAiUpstream upstream;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws Exception {
    v = Vertx.vertx();
    upstream = new FaultyOpenAiUpstream(v);
    gw = GatewayHarness.start("""
        server: { max_body_bytes: 1048576 }
        deployments:
          - { name: good, provider: openai, base_url: %s, model: ok }
        """.formatted(upstream.baseUrl()));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    v.close();
  }

  private static JsonNode error(HttpResponse<String> r) throws Exception {
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers().toString());
    assertFalse(r.body().contains("Exception"), "no stack trace or exception names: " + r.body());
    assertFalse(r.body().contains("\tat "), r.body());
    JsonNode e = JSON.readTree(r.body()).path("error");
    assertTrue(e.has("message") && e.has("type") && e.has("param") && e.has("code"), r.body());
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON            | {\"model\": \"good\", \"messages\": [            | 400 | invalid_json               | ",
      "not an object             | [1,2,3]                                        | 400 | invalid_json               | ",
      "missing model             | {\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | missing_required_parameter | model",
      "model not a string        | {\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_value | model",
      "missing messages          | {\"model\":\"good\"}                             | 400 | missing_required_parameter | messages",
      "messages not an array     | {\"model\":\"good\",\"messages\":\"hi\"}            | 400 | invalid_value              | messages",
      "empty messages            | {\"model\":\"good\",\"messages\":[]}               | 400 | invalid_value              | messages",
      "bad role                  | {\"model\":\"good\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]} | 400 | invalid_value | messages[0].role",
      "content wrong type        | {\"model\":\"good\",\"messages\":[{\"role\":\"user\",\"content\":5}]} | 400 | invalid_value | messages[0].content",
      "missing content           | {\"model\":\"good\",\"messages\":[{\"role\":\"user\"}]} | 400 | missing_required_parameter | messages[0].content",
      "temperature out of range  | {\"model\":\"good\",\"temperature\":7,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_value | temperature",
      "stream not boolean        | {\"model\":\"good\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_value | stream",
      "max_tokens negative       | {\"model\":\"good\",\"max_tokens\":-1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_value | max_tokens",
      "unknown switchboard field | {\"model\":\"good\",\"switchboard\":{\"qualty\":1},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | unknown_parameter | switchboard.qualty",
      "unknown model             | {\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 404 | model_not_found | model",
  })
  void badRequestsAreRejectedNamingTheField(String name, String body, int status, String code, String param) throws Exception {
    int before = upstream.received().size();
    HttpResponse<String> r = gw.post("/v1/chat/completions", body);
    assertEquals(status, r.statusCode(), name + ": " + r.body());
    JsonNode e = error(r);
    assertEquals(code, e.path("code").asText(), r.body());
    if (param == null) assertTrue(e.path("param").isNull(), r.body()); else assertEquals(param, e.path("param").asText(), r.body());
    assertEquals(before, upstream.received().size(), "a rejected request never reaches an upstream");
  }

  @Test
  void aTenMegabyteBodyIs413() throws Exception {
    byte[] big = new byte[10 * 1024 * 1024];
    Arrays.fill(big, (byte) 'a');
    byte[] prefix = "{\"model\":\"good\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(prefix, 0, big, 0, prefix.length);
    HttpResponse<String> r = gw.post("/v1/chat/completions", big, Map.of());
    assertEquals(413, r.statusCode());
    assertEquals("request_too_large", error(r).path("code").asText());
  }

  @Test
  void invalidUtf8IsRejectedAsInvalidJson() throws Exception {
    byte[] body = "{\"model\":\"good\",\"messages\":[{\"role\":\"user\",\"content\":\"bad \u0000\"}]}".getBytes(StandardCharsets.UTF_8);
    int i = new String(body, StandardCharsets.UTF_8).indexOf('\u0000');
    body[i] = (byte) 0xC3; // a lead byte followed by '"': not valid UTF-8
    HttpResponse<String> r = gw.post("/v1/chat/completions", body, Map.of());
    assertEquals(400, r.statusCode(), r.body());
    JsonNode e = error(r);
    assertEquals("invalid_json", e.path("code").asText());
    assertTrue(e.path("message").asText().toLowerCase().contains("utf-8"), e.path("message").asText());
  }

  /** Overlong forms and encoded surrogates are invalid UTF-8 too (Jackson alone would decode them). */
  @Test
  void overlongAndSurrogateEncodingsAreRejectedNotRewritten() throws Exception {
    String prefix = "{\"model\":\"good\",\"messages\":[{\"role\":\"user\",\"content\":\"a";
    byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};
    for (byte[] seq : bad) {
      byte[] body = concat(prefix.getBytes(StandardCharsets.UTF_8), seq, "\"}]}".getBytes(StandardCharsets.UTF_8));
      int before = upstream.received().size();
      HttpResponse<String> r = gw.post("/v1/chat/completions", body, Map.of());
      assertEquals(400, r.statusCode(), r.body());
      assertEquals("invalid_json", error(r).path("code").asText());
      assertTrue(error(r).path("message").asText().contains("not valid UTF-8: byte " + prefix.length()), error(r).path("message").asText());
      assertEquals(before, upstream.received().size());
    }
    // the real thing, up to four bytes, still goes through
    String ok = prefix + "é € 😀\"}]}";
    assertEquals(200, gw.post("/v1/chat/completions", ok.getBytes(StandardCharsets.UTF_8), Map.of()).statusCode());
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrors() throws Exception {
    HttpResponse<String> r = gw.get("/v1/nothing");
    assertEquals(404, r.statusCode());
    assertEquals("unknown_url", error(r).path("code").asText());
  }

  @Test
  void theSwitchboardFieldIsStrippedBeforeTheUpstream() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions",
        "{\"model\":\"good\",\"switchboard\":{\"category\":\"koala\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode sent = upstream.received().get(upstream.received().size() - 1).body();
    assertFalse(sent.has("switchboard"), sent.toString());
    assertEquals("ok", sent.path("model").asText(), "the upstream model id replaces the client's model name");
  }

  @Test
  void modelsListsDeploymentsWithPrices() throws Exception {
    JsonNode m = JSON.readTree(gw.get("/v1/models").body());
    assertEquals("list", m.path("object").asText());
    assertEquals("good", m.at("/data/0/id").asText());
    assertEquals("deployment", m.at("/data/0/switchboard/kind").asText());
    assertTrue(m.at("/data/0/switchboard").has("input_price_per_mtok"));
    assertEquals(200, gw.get("/healthz").statusCode());
    assertEquals(200, gw.get("/readyz").statusCode());
  }
}
