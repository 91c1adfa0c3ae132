package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.RoutingDataset.Prompt;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.testkit.BackgroundTraffic;
import dev.switchboard.router.testkit.ShippedAutoRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval-driven route of a gateway started from a YAML config: recorded deployments for the
 * shipped classifier's candidates, the shipped policy (copied, so the test can change it), an
 * admin key, and a generous scoring deadline (this suite tests decisions, not the deadline).
 */
class EvalDrivenRoutingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_KEY = "admin-test-key";
  @TempDir static Path dir;
  private static SwitchboardServer server;
  private static Path policyFile;
  private static String shippedPolicy;
  private static List<Prompt> testPrompts;
  private static List<Prompt> heldOutArena;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    Path home = SwitchboardHome.find();
    shippedPolicy = Files.readString(home.resolve("policies/default.yaml"));
    policyFile = dir.resolve("auto.yaml");
    Files.writeString(policyFile, shippedPolicy);
    Path config = dir.resolve("switchboard.yaml");
    // A second route with a default category for requests that name none. The shipped default ignores
    // categories (live traffic carries none it was trained on), so this route's policy names the
    // AlpacaEval-trained classifier, whose features include AlpacaEval's subsets (koala, oasst, ...).
    Path oasstPolicy = dir.resolve("oasst.yaml");
    Path aeModel = home.resolve("models/alpacaeval2");
    String aeSha = dev.switchboard.classifier.ClassifierCard.read(aeModel).onnxSha256();
    String shippedSha = dev.switchboard.classifier.ClassifierCard.read(home.resolve("models/default")).onnxSha256();
    Files.writeString(oasstPolicy, shippedPolicy.replace("path: models/default", "path: " + aeModel).replace(shippedSha, aeSha));
    Files.writeString(config, ShippedAutoRoute.yaml(home, policyFile, 20_000, "server: { admin_key_env: TEST_ADMIN_KEY }") + """
          - alias: auto-oasst
            type: eval-driven
            policy: %s
            default: gpt-4-1106-preview
            category: oasst
            deployments: [mixtral-8x7b-instruct-v0.1, gpt-3.5-turbo-1106, claude-instant-1.2, gpt-4-1106-preview]
        """.formatted(oasstPolicy));
    server = SwitchboardServer.start(new ServerOptions(config, "127.0.0.1", 0, false, home, dir.resolve("data"), false, null, 0,
        "t", dev.switchboard.router.requestlog.CaptureMode.NONE).withEnv(name -> name.equals("TEST_ADMIN_KEY") ? ADMIN_KEY : null));
    RoutingDataset ds = RoutingDatasets.load(home.resolve("datasets/alpacaeval2.parquet"));
    testPrompts = ds.prompts("test");
    // The default's own held-out data, with absolute grades (AlpacaEval's are relative: see docs/router.md).
    heldOutArena = new java.util.ArrayList<>();
    for (String f : List.of("datasets/arenabench_v1.parquet", "datasets/everyday_chat.parquet")) {
      RoutingDataset d = RoutingDatasets.load(home.resolve(f));
      heldOutArena.addAll(d.prompts("validation"));
      heldOutArena.addAll(d.prompts("test"));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> put(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::setHeader);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String chat(String prompt, String category, ObjectNode extra) {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", "auto");
    ArrayNode ms = o.putArray("messages");
    ms.addObject().put("role", "user").put("content", prompt);
    ObjectNode sb = extra == null ? JSON.createObjectNode() : extra;
    if (category != null) sb.put("category", category);
    if (!sb.isEmpty()) o.set("switchboard", sb);
    return o.toString();
  }

  private static JsonNode route(String prompt, String category, Map<String, String> headers) throws Exception {
    HttpResponse<String> r = post("/v1/route", chat(prompt, category, null), headers);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void easyPromptsGoToCheaperModelsMoreOftenThanHardOnes() throws Exception {
    // Ground truth from the data: easy = some cheap candidate was adequate (GPT-4 grade >= 5.5/10 on
    // arena-bench; everyday requests by construction), hard = none was. Prompts of the default's own
    // datasets it was not trained on (validation + test).
    int easyCheap = 0, easy = 0, hardCheap = 0, hard = 0;
    for (Prompt p : heldOutArena) {
      if (p.quality("gpt-4-1106-preview").isEmpty() || p.quality("mixtral-8x7b-instruct-v0.1").isEmpty()
          || p.quality("gpt-3.5-turbo-1106").isEmpty() || p.quality("claude-instant-1.2").isEmpty()) {
        continue;
      }
      boolean cheapAdequate = p.quality("mixtral-8x7b-instruct-v0.1").orElse(0) >= 0.5 || p.quality("gpt-3.5-turbo-1106").orElse(0) >= 0.5
          || p.quality("claude-instant-1.2").orElse(0) >= 0.5;
      JsonNode d = route(p.prompt(), p.category(), Map.of("x-switchboard-quality-target", "0.8"));
      boolean cheap = !d.path("model").asText().equals("gpt-4-1106-preview");
      if (cheapAdequate) {
        easy++;
        if (cheap) easyCheap++;
      } else {
        hard++;
        if (cheap) hardCheap++;
      }
    }
    double easyShare = easyCheap / (double) easy;
    double hardShare = hardCheap / (double) hard;
    assertTrue(easy > 10 && hard > 10, easy + " easy, " + hard + " hard");
    assertTrue(easyShare > hardShare, "cheap share on easy prompts " + easyShare + " should exceed that on hard ones " + hardShare);
  }

  @Test
  void routeEqualsTheDecisionTakenAndResponsesExplainIt() throws Exception {
    for (Prompt p : testPrompts.subList(0, 12)) {
      JsonNode d = route(p.prompt(), p.category(), Map.of());
      HttpResponse<String> r = post("/v1/chat/completions", chat(p.prompt(), p.category(), null), Map.of());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(d.path("model").asText(), r.headers().firstValue("x-switchboard-model").orElseThrow());
      assertEquals(d.path("model").asText(), r.headers().firstValue("x-switchboard-deployment").orElseThrow());
      assertEquals("auto", r.headers().firstValue("x-switchboard-route").orElseThrow());
      assertEquals(d.path("policy_version").asText(), r.headers().firstValue("x-switchboard-policy-version").orElseThrow());
      assertEquals(d.path("difficulty").asDouble(), Double.parseDouble(r.headers().firstValue("x-switchboard-difficulty").orElseThrow()), 1e-4);
      assertEquals(d.at("/predicted_quality").path(d.path("model").asText()).asDouble(),
          Double.parseDouble(r.headers().firstValue("x-switchboard-predicted-quality").orElseThrow()), 1e-4);
      assertTrue(Double.parseDouble(r.headers().firstValue("x-switchboard-cost-usd").orElseThrow()) > 0);
      String answer = JSON.readTree(r.body()).at("/choices/0/message/content").asText();
      assertTrue(p.byModel().containsKey(d.path("model").asText()) && !answer.startsWith("[switchboard recorded upstream]"),
          "the chosen model's real recorded answer comes back");
    }
  }

  /**
   * The shipped classifier makes no native call, so a short prompt is scored on the request's own
   * thread and a long one (past {@code classifier.inline_max_tokens}, 1,024 ~tokens by default) by
   * a worker; either way the scores are ONNX Runtime's own for the same graphs.
   */
  @Test
  void shortPromptsAreScoredInlineLongOnesByAWorkerBothAsOnnxRuntimeScoresThem() throws Exception {
    String shortPrompt = "Translate 'good morning' into French, please. (" + System.nanoTime() + ")";
    String longPrompt = ("Summarise the trade-offs of write-ahead logging against shadow paging for an embedded database, "
        + "with attention to crash recovery time. ").repeat(40) + System.nanoTime();
    assertTrue(longPrompt.length() / 4 > 1024, "past the inline limit");
    double inline0 = scored("inline"), worker0 = scored("worker");
    JsonNode shortDecision = route(shortPrompt, null, Map.of());
    assertEquals(inline0 + 1, scored("inline"), 0.0);
    assertEquals(worker0, scored("worker"), 0.0);
    JsonNode longDecision = route(longPrompt, null, Map.of());
    assertEquals(worker0 + 1, scored("worker"), 0.0);
    assertEquals(inline0 + 1, scored("inline"), 0.0);
    Path model = SwitchboardHome.find().resolve("models/default");
    try (dev.switchboard.classifier.Classifier ort = dev.switchboard.classifier.Classifier.load(model,
        new dev.switchboard.classifier.ClassifierOptions(1, 0, dev.switchboard.classifier.ClassifierOptions.GraphRuntime.ONNX_RUNTIME))) {
      for (var c : List.of(java.util.Map.entry(shortPrompt, shortDecision), java.util.Map.entry(longPrompt, longDecision))) {
        String messages = JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", c.getKey())).toString();
        dev.switchboard.classifier.Scores want = ort.score(dev.switchboard.classifier.base.ScoringInput.ofMessages(messages, null));
        assertEquals(want.difficulty(), c.getValue().path("difficulty").asDouble(), 1e-5, "difficulty of a prompt of " + c.getKey().length() + " chars");
      }
    }
  }

  private static double scored(String where) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    for (String line : r.body().split("\n")) {
      if (line.startsWith("switchboard_classifier_scored_total{") && line.contains("where=\"" + where + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  /**
   * {@code /v1/route} used to list the policy's thresholds even when a per-request quality target had
   * scaled the ones the decision was made by; a cheap model chosen below its listed bar looked like a bug.
   */
  @Test
  void routeListsTheThresholdsAPerRequestTargetDecidedBy() throws Exception {
    JsonNode live = adminPolicies().at("/routes/auto");
    // the shipped policy was tuned for a quality target: that fraction is its reference
    double scale = 0.8 / Double.parseDouble(live.path("target").asText().replace("quality=", ""));
    int met = 0;
    int belowThePolicysBar = 0;
    for (Prompt p : testPrompts.subList(0, 80)) {
      JsonNode d = route(p.prompt(), p.category(), Map.of("x-switchboard-quality-target", "0.8"));
      assertEquals(live.path("version").asText(), d.path("policy_version").asText());
      assertEquals(scale, d.path("threshold_scale").asDouble(), 1e-12);
      for (JsonNode c : live.path("candidates")) {
        String m = c.path("model").asText();
        assertEquals(c.path("threshold").asDouble(), d.at("/policy_thresholds").path(m).asDouble(), 0, d.toString());
        assertEquals(Math.min(1.0, c.path("threshold").asDouble() * scale), d.at("/thresholds").path(m).asDouble(), 1e-12, d.toString());
      }
      if (!d.path("reason").asText().equals("meets_threshold")) continue;
      met++;
      String chosen = d.path("model").asText();
      double q = d.at("/predicted_quality").path(chosen).asDouble();
      assertTrue(q >= d.at("/thresholds").path(chosen).asDouble(), "the chosen model meets its listed threshold: " + d);
      // and every cheaper candidate was passed over because it missed its listed threshold
      for (JsonNode c : live.path("candidates")) {
        String m = c.path("model").asText();
        if (m.equals(chosen)) break;
        assertTrue(d.at("/predicted_quality").path(m).asDouble() < d.at("/thresholds").path(m).asDouble(), d.toString());
      }
      if (q < d.at("/policy_thresholds").path(chosen).asDouble()) belowThePolicysBar++;
    }
    assertTrue(met > 10, met + " decisions met a threshold");
    assertTrue(belowThePolicysBar > 0, "the lower target decided at least once below the policy's own bar");
  }

  private static JsonNode adminPolicies() throws Exception {
    HttpRequest list = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/policies")).header("authorization", "Bearer " + ADMIN_KEY).build();
    return JSON.readTree(HTTP.send(list, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** Body {@code switchboard.category} beats the header, which beats the route's configured {@code category}. */
  @Test
  void theCategoryComesFromTheBodyElseTheHeaderElseTheRoute() throws Exception {
    String prompt = testPrompts.get(3).prompt();
    record Case(String route, String body, String header, String expected) {}
    List<Case> cases = List.of(
        new Case("auto", null, null, null),
        new Case("auto", "vicuna", null, "vicuna"),
        new Case("auto", null, "koala", "koala"),
        new Case("auto", "vicuna", "koala", "vicuna"),
        new Case("auto-oasst", null, null, "oasst"),
        new Case("auto-oasst", null, "oasst", "oasst"),
        new Case("auto-oasst", null, "koala", "koala"),
        new Case("auto-oasst", "vicuna", "koala", "vicuna"),
        new Case("auto-oasst", "vicuna", null, "vicuna"));
    Map<String, JsonNode> byCategory = new java.util.HashMap<>(); // route|category -> decision
    for (Case c : cases) {
      String body = chat(prompt, c.body(), null).replace("\"model\":\"auto\"", "\"model\":\"" + c.route() + "\"");
      HttpResponse<String> r = post("/v1/route", body, c.header() == null ? Map.of() : Map.of("x-switchboard-category", c.header()));
      assertEquals(200, r.statusCode(), r.body());
      JsonNode d = JSON.readTree(r.body());
      assertEquals(c.route(), d.path("route").asText());
      assertEquals(c.expected() == null, d.path("category").isNull(), c + " -> " + d);
      if (c.expected() != null) assertEquals(c.expected(), d.path("category").asText(), c + " -> " + d);
      // the category is a classifier feature: the scores follow the category used, whatever its source
      JsonNode seen = byCategory.putIfAbsent(c.route() + "|" + c.expected(), d);
      if (seen != null) {
        assertEquals(seen.path("predicted_quality"), d.path("predicted_quality"), c.toString());
        assertEquals(seen.path("difficulty"), d.path("difficulty"), c.toString());
      }
    }
    // auto-oasst's classifier learned AlpacaEval's subsets: its route default reaches the classifier.
    // Seen through the difficulty, which the IRT head computes with per-category terms whatever member
    // cross-validation chose for the quality scores (a kNN member, say, reads only the embedding).
    assertNotEquals(byCategory.get("auto-oasst|oasst").path("difficulty"),
        byCategory.get("auto-oasst|koala").path("difficulty"), "the route's default category reaches the classifier");
    // The shipped default was trained without categories: one it never saw changes nothing.
    assertEquals(byCategory.get("auto|null").path("predicted_quality"), byCategory.get("auto|koala").path("predicted_quality"));
  }

  @Test
  void aBadCategoryHeaderGetsA400NamingIt() throws Exception {
    for (String bad : List.of("", "x".repeat(201))) {
      for (String model : List.of("auto", "auto-oasst", "gpt-4-1106-preview")) {
        for (String path : List.of("/v1/chat/completions", "/v1/route")) {
          String body = chat("hi", "vicuna", null).replace("\"model\":\"auto\"", "\"model\":\"" + model + "\"");
          HttpResponse<String> r = post(path, body, Map.of("x-switchboard-category", bad));
          assertEquals(400, r.statusCode(), path + " " + model + " -> " + r.body());
          JsonNode e = JSON.readTree(r.body()).path("error");
          assertEquals("x-switchboard-category", e.path("param").asText(), r.body());
          assertEquals("invalid_request_error", e.path("type").asText(), r.body());
          assertEquals("invalid_value", e.path("code").asText(), r.body());
          assertTrue(e.path("message").asText().contains("'x-switchboard-category' must be a non-empty string of at most 200 characters"),
              r.body());
        }
      }
    }
    HttpResponse<String> ok = post("/v1/route", chat("hi", null, null), Map.of("x-switchboard-category", "x".repeat(200)));
    assertEquals(200, ok.statusCode(), "200 characters are allowed: " + ok.body());
  }

  @Test
  void perRequestTargetsAndCandidatesChangeTheDecision() throws Exception {
    Prompt changed = null;
    for (Prompt p : testPrompts) {
      JsonNode strict = route(p.prompt(), p.category(), Map.of());
      JsonNode lax = route(p.prompt(), p.category(), Map.of("x-switchboard-quality-target", "0.3"));
      if (!strict.path("model").asText().equals(lax.path("model").asText())) {
        changed = p;
        assertEquals("gpt-4-1106-preview", strict.path("model").asText(), "a lower target moves to a cheaper model, never a dearer one");
        break;
      }
    }
    assertNotNull(changed, "a quality target of 0.3 changes at least one decision");
    ObjectNode sb = JSON.createObjectNode();
    sb.putArray("candidates").add("claude-instant-1.2").add("gpt-3.5-turbo-1106");
    HttpResponse<String> r = post("/v1/route", chat(changed.prompt(), changed.category(), sb), Map.of());
    String m = JSON.readTree(r.body()).path("model").asText();
    assertTrue(m.equals("claude-instant-1.2") || m.equals("gpt-3.5-turbo-1106"), m);
    ObjectNode cap = JSON.createObjectNode().put("max_cost_usd", 0.000001);
    JsonNode capped = JSON.readTree(post("/v1/route", chat(changed.prompt(), changed.category(), cap), Map.of()).body());
    assertEquals("mixtral-8x7b-instruct-v0.1", capped.path("model").asText(), "over budget: the cheapest expected model");
  }

  @Test
  void badSwitchboardFieldsGetClear400s() throws Exception {
    record Case(String body, Map<String, String> headers, String param) {}
    List<Case> cases = List.of(
        new Case(chat("hi", null, JSON.createObjectNode().put("bogus", 1)), Map.of(), "switchboard.bogus"),
        new Case(chat("hi", null, JSON.createObjectNode().put("quality_target", 1.5)), Map.of(), "switchboard.quality_target"),
        new Case(chat("hi", null, JSON.createObjectNode().put("max_cost_usd", -1)), Map.of(), "switchboard.max_cost_usd"),
        new Case(chat("hi", null, (ObjectNode) JSON.createObjectNode().set("candidates", JSON.createArrayNode().add("gpt-9"))), Map.of(),
            "switchboard.candidates[0]"),
        new Case(chat("hi", null, null), Map.of("x-switchboard-quality-target", "lots"), "x-switchboard-quality-target"));
    for (Case c : cases) {
      for (String path : List.of("/v1/chat/completions", "/v1/route")) {
        HttpResponse<String> r = post(path, c.body(), c.headers());
        assertEquals(400, r.statusCode(), path + " " + c.body() + " -> " + r.body());
        assertEquals(c.param(), JSON.readTree(r.body()).at("/error/param").asText(), r.body());
      }
    }
    HttpResponse<String> onStatic = post("/v1/chat/completions",
        "{\"model\":\"gpt-4-1106-preview\",\"switchboard\":{\"quality_target\":0.5},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", Map.of());
    assertEquals(400, onStatic.statusCode(), "routing options on a non-eval-driven model are an error");
  }

  @Test
  void policiesReloadUnderTrafficWithoutLosingARequest() throws Exception {
    Map<String, String> admin = Map.of("authorization", "Bearer " + ADMIN_KEY);
    HttpRequest list = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/policies")).header("authorization", "Bearer " + ADMIN_KEY).build();
    String before = JSON.readTree(HTTP.send(list, HttpResponse.BodyHandlers.ofString()).body()).at("/routes/auto/version").asText();

    BackgroundTraffic traffic = BackgroundTraffic.start(4, Duration.ofSeconds(20), (client, n) -> {
      Prompt p = testPrompts.get((client * 31 + n) % testPrompts.size());
      return post("/v1/chat/completions", chat(p.prompt(), p.category(), null), Map.of()).statusCode();
    });
    traffic.awaitMore(8);
    // 1) through the admin API: a new version with a lower bar for the cheap models
    String v2 = shippedPolicy.replaceFirst("(?m)^version: .*$", "version: test-v2").replace("threshold: 0.231339", "threshold: 0.1");
    HttpResponse<String> put = put("/admin/policies/auto", v2, admin);
    assertEquals(200, put.statusCode(), put.body());
    // 2) a rejected one: unknown candidate
    HttpResponse<String> bad = put("/admin/policies/auto", v2.replace("model: mixtral-8x7b-instruct-v0.1", "model: no-such-model"), admin);
    assertEquals(422, bad.statusCode(), bad.body());
    assertTrue(JSON.readTree(bad.body()).at("/error/message").asText().contains("no-such-model"));
    // 3) a classifier hash mismatch is rejected too
    HttpResponse<String> hash = put("/admin/policies/auto", v2.replaceFirst("sha256: [0-9a-f]{64}", "sha256: " + "0".repeat(64)), admin);
    assertEquals(422, hash.statusCode(), hash.body());
    // 4) through the file: the watcher picks it up
    Files.writeString(policyFile, v2.replace("version: test-v2", "version: test-v3"));
    org.awaitility.Awaitility.await("the watcher's reload").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
        .until(() -> JSON.readTree(HTTP.send(list, HttpResponse.BodyHandlers.ofString()).body()).at("/routes/auto/version").asText()
            .equals("test-v3"));
    String live = JSON.readTree(HTTP.send(list, HttpResponse.BodyHandlers.ofString()).body()).at("/routes/auto/version").asText();
    assertEquals("test-v3", live);
    traffic.awaitMore(8); // requests on the reloaded policy
    BackgroundTraffic.Totals totals = traffic.stop();
    assertEquals(0, totals.failed(), "no request failed during the reloads");
    assertTrue(totals.ok() > 10, totals.ok() + " requests");
    assertNotEquals(before, live);
    HttpResponse<String> unauth = put("/admin/policies/auto", v2, Map.of("authorization", "Bearer wrong"));
    assertEquals(401, unauth.statusCode());
    // what `curl -d @policy.yaml` sends: a form, newlines stripped; told how to send it instead
    HttpResponse<String> form = put("/admin/policies/auto", v2.replace("\n", ""),
        Map.of("authorization", "Bearer " + ADMIN_KEY, "content-type", "application/x-www-form-urlencoded"));
    assertEquals(415, form.statusCode(), form.body());
    assertEquals("unsupported_media_type", JSON.readTree(form.body()).at("/error/code").asText());
    assertTrue(JSON.readTree(form.body()).at("/error/message").asText().contains("--data-binary"), form.body());
    assertEquals("test-v3", JSON.readTree(HTTP.send(list, HttpResponse.BodyHandlers.ofString()).body()).at("/routes/auto/version").asText(),
        "the live policy is untouched");
  }
}
