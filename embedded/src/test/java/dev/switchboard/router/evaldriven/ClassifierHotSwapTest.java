package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.dataset.RoutingDataset.Prompt;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.testkit.BackgroundTraffic;
import dev.switchboard.router.testkit.ShippedAutoRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classifier hot swap over HTTP on a running router: the shipped 4-candidate classifier serves
 * first; the 8-candidate AlpacaEval pool classifier (it predicts the same four models, differently)
 * plays the retrained one. Each test reads the live pair at its start, so the order does not matter.
 */
class ClassifierHotSwapTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_KEY = "swap-test-key";
  private static final Map<String, String> ADMIN = Map.of("authorization", "Bearer " + ADMIN_KEY);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir static Path dir;
  private static Path home;
  private static SwitchboardServer server;
  private static Path policyFile;
  private static String shippedPolicy;
  private static String defaultSha;
  private static Path pool8;
  private static String pool8Sha;
  private static List<Prompt> prompts;

  @BeforeAll
  static void start() throws Exception {
    home = SwitchboardHome.find();
    shippedPolicy = Files.readString(home.resolve("policies/default.yaml"));
    defaultSha = Hashing.sha256Hex(Files.readAllBytes(home.resolve("models/default/classifier.onnx")));
    pool8 = home.resolve("models/alpacaeval2_pool8");
    pool8Sha = Hashing.sha256Hex(Files.readAllBytes(pool8.resolve("classifier.onnx")));
    policyFile = dir.resolve("auto.yaml");
    Files.writeString(policyFile, shippedPolicy);
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, ShippedAutoRoute.yaml(home, policyFile, 20_000, "server: { admin_key_env: SWAP_ADMIN_KEY }"));
    server = SwitchboardServer.start(new ServerOptions(config, "127.0.0.1", 0, false, home, dir.resolve("data"), false, null, 0,
        "t", CaptureMode.NONE).withEnv(name -> name.equals("SWAP_ADMIN_KEY") ? ADMIN_KEY : null));
    prompts = RoutingDatasets.load(home.resolve("datasets/alpacaeval2.parquet")).prompts("test").subList(0, 12);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> send(String method, String path, String body, String type, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(120))
        .header("content-type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode livePolicies() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/policies"))
        .header("authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("routes").path("auto");
  }

  private static String chat(Prompt p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", "auto");
    o.putArray("messages").addObject().put("role", "user").put("content", p.prompt());
    if (p.category() != null) o.putObject("switchboard").put("category", p.category());
    return o.toString();
  }

  private static JsonNode route(Prompt p) throws Exception {
    HttpResponse<String> r = send("POST", "/v1/route", chat(p), "application/json", Map.of());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** {"card": ..., "onnx_base64": ...} of a model directory, as {@code switchboard retune --publish} sends it. */
  private static String upload(JsonNode card, byte[] onnx) {
    ObjectNode o = JSON.createObjectNode();
    o.set("card", card);
    o.put("onnx_base64", Base64.getEncoder().encodeToString(onnx));
    return o.toString();
  }

  /** The shipped policy, re-versioned and bound to another classifier. */
  private static String policyFor(String version, String classifierPath, String sha) {
    return shippedPolicy.replaceFirst("(?m)^version: .*$", "version: " + version)
        .replaceFirst("(?m)^  path: .*$", "  path: " + classifierPath)
        .replaceFirst("(?m)^  sha256: [0-9a-f]{64}$", "  sha256: " + sha);
  }

  /** Publishes the shipped policy (shipped classifier) again if another pair is live. */
  private static void backToShipped(String version) throws Exception {
    if (livePolicies().at("/classifier/sha256").asText().equals(defaultSha)) return;
    HttpResponse<String> r = send("PUT", "/admin/policies/auto", policyFor(version, "models/default", defaultSha), "application/yaml", ADMIN);
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void aClassifierUploadedOverHttpDecidesOnceItsPolicyIsPublished() throws Exception {
    backToShipped("shipped-again-1");
    List<JsonNode> before = new ArrayList<>();
    for (Prompt p : prompts) before.add(route(p));
    assertEquals(defaultSha, livePolicies().at("/classifier/sha256").asText());

    // the upload: stored under the data directory, nothing serves with it yet
    HttpResponse<String> up = send("PUT", "/admin/classifiers/" + pool8Sha,
        upload(JSON.readTree(pool8.resolve("card.json").toFile()), Files.readAllBytes(pool8.resolve("classifier.onnx"))), "application/json", ADMIN);
    assertEquals(200, up.statusCode(), up.body());
    assertTrue(Files.isRegularFile(dir.resolve("data/classifiers").resolve(pool8Sha).resolve("classifier.onnx")));
    assertEquals(before.get(0).path("policy_version").asText(), route(prompts.get(0)).path("policy_version").asText());

    // the policy names it by sha256; its path is meaningless here (tuned on another machine)
    HttpResponse<String> put = send("PUT", "/admin/policies/auto", policyFor("retrained-v1", "/elsewhere/runs/x/model", pool8Sha),
        "application/yaml", ADMIN);
    assertEquals(200, put.statusCode(), put.body());
    JsonNode live = livePolicies();
    assertEquals("retrained-v1", live.path("version").asText());
    assertEquals(pool8Sha, live.at("/classifier/sha256").asText());
    assertEquals(dir.resolve("data/classifiers").resolve(pool8Sha).toString(), live.at("/classifier/path").asText());
    assertFalse(live.at("/classifier/loaded_at").asText().isEmpty());

    int differing = 0;
    for (int i = 0; i < prompts.size(); i++) {
      JsonNode after = route(prompts.get(i));
      assertEquals("retrained-v1", after.path("policy_version").asText());
      if (!after.path("predicted_quality").equals(before.get(i).path("predicted_quality"))) differing++;
    }
    assertEquals(prompts.size(), differing, "every prompt's predicted qualities come from the new classifier");

    String metrics = send("GET", "/metrics", "", "text/plain", Map.of()).body();
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("switchboard_classifier_loaded_at_seconds{") && l.contains("sha256=\"" + pool8Sha + "\"")
        && l.contains("route=\"auto\"")), "the live classifier is a metric");
    assertFalse(metrics.contains("sha256=\"" + defaultSha + "\""), "the swapped-out classifier is no longer reported");
    assertFalse(metrics.contains("path=\""), "no filesystem path on the unauthenticated /metrics");
  }

  @Test
  void badClassifiersAreRejectedWithTheReasonAndTheOldPairKeepsServing() throws Exception {
    JsonNode live = livePolicies();
    String version = live.path("version").asText();
    String sha = live.at("/classifier/sha256").asText();
    JsonNode before = route(prompts.get(0));
    JsonNode card = JSON.readTree(pool8.resolve("card.json").toFile());
    byte[] onnx = Files.readAllBytes(pool8.resolve("classifier.onnx"));

    // bytes that do not hash to the URL's sha256
    byte[] flipped = onnx.clone();
    flipped[flipped.length / 2] ^= 1;
    HttpResponse<String> r = send("PUT", "/admin/classifiers/" + pool8Sha, upload(card, flipped), "application/json", ADMIN);
    assertEquals(422, r.statusCode(), r.body());
    assertEquals("classifier_rejected", JSON.readTree(r.body()).at("/error/code").asText());
    assertTrue(JSON.readTree(r.body()).at("/error/message").asText().contains("classifier hash mismatch"), r.body());

    // consistent hashes, but not an ONNX model
    byte[] garbage = "this is not an onnx model".getBytes(StandardCharsets.UTF_8);
    String garbageSha = Hashing.sha256Hex(garbage);
    ObjectNode lying = card.deepCopy();
    ((ObjectNode) lying.get("onnx")).put("sha256", garbageSha);
    r = send("PUT", "/admin/classifiers/" + garbageSha, upload(lying, garbage), "application/json", ADMIN);
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).at("/error/message").asText().contains("cannot be loaded"), r.body());
    assertFalse(Files.exists(dir.resolve("data/classifiers").resolve(garbageSha)), "a rejected upload is not stored");

    // malformed requests
    r = send("PUT", "/admin/classifiers/" + pool8Sha, "{\"card\": 1}", "application/json", ADMIN);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("missing_classifier", JSON.readTree(r.body()).at("/error/code").asText());
    r = send("PUT", "/admin/classifiers/not-a-sha", upload(card, onnx), "application/json", ADMIN);
    assertEquals(400, r.statusCode(), r.body());
    r = send("PUT", "/admin/classifiers/" + pool8Sha, upload(card, onnx), "application/json", Map.of("authorization", "Bearer wrong"));
    assertEquals(401, r.statusCode(), r.body());

    // a policy naming a classifier the router has nowhere
    String nowhere = "ab".repeat(32);
    r = send("PUT", "/admin/policies/auto", policyFor("bad-1", "models/no-such-model", nowhere), "application/yaml", ADMIN);
    assertEquals(422, r.statusCode(), r.body());
    String msg = JSON.readTree(r.body()).at("/error/message").asText();
    assertTrue(msg.contains("classifier hash mismatch") && msg.contains("PUT /admin/classifiers/" + nowhere), msg);

    // classifier.path is confined: a real classifier outside the allowed folders (here a copy of the
    // arena-bench model under target/, never uploaded, and the same through ../) is refused with the same
    // words as a path where nothing is, so the answer says nothing about what exists out there
    Path outside = home.resolve("router-service/target/outside-model");
    Files.createDirectories(outside);
    for (String f : List.of("card.json", "classifier.onnx")) {
      Files.copy(home.resolve("models/arenabench").resolve(f), outside.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    String outsideSha = Hashing.sha256Hex(Files.readAllBytes(outside.resolve("classifier.onnx")));
    String traversal = dir.relativize(outside).toString(); // ../../outside-model, from the policy's folder
    assertTrue(traversal.startsWith(".."), traversal);
    for (String path : List.of(outside.toString(), traversal, "/no/such/model")) {
      r = send("PUT", "/admin/policies/auto", policyFor("bad-0", path, outsideSha), "application/yaml", ADMIN);
      assertEquals(422, r.statusCode(), r.body());
      String why = JSON.readTree(r.body()).at("/error/message").asText();
      assertTrue(why.contains("classifier.path '" + path + "' is outside the folders a policy may load a classifier from"), why);
      assertFalse(why.contains("holds") || why.contains("has no predicted quality"), "nothing about what is there: " + why);
    }

    // a classifier whose candidates are not the policy's (arena-bench: two models)
    Path arena = home.resolve("models/arenabench");
    String arenaSha = Hashing.sha256Hex(Files.readAllBytes(arena.resolve("classifier.onnx")));
    r = send("PUT", "/admin/policies/auto", policyFor("bad-2", arena.toString(), arenaSha), "application/yaml", ADMIN);
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).at("/error/message").asText().contains("has no predicted quality in the classifier"), r.body());

    // a path whose classifier is not the one the policy names
    r = send("PUT", "/admin/policies/auto", policyFor("bad-3", arena.toString(), nowhere), "application/yaml", ADMIN);
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).at("/error/message").asText().contains("holds " + arenaSha), r.body());

    JsonNode after = livePolicies();
    assertEquals(version, after.path("version").asText());
    assertEquals(sha, after.at("/classifier/sha256").asText());
    assertTrue(after.path("last_rejection").asText().contains("bad-3") || after.path("last_rejection").asText().contains(arenaSha),
        after.path("last_rejection").asText());
    JsonNode again = route(prompts.get(0));
    assertEquals(before.path("policy_version"), again.path("policy_version"));
    assertEquals(before.path("predicted_quality"), again.path("predicted_quality"));
  }

  @Test
  void trafficDuringClassifierSwapsLosesNoRequestAndTheOldClassifierIsClosed() throws Exception {
    backToShipped("shipped-again-2");
    // the retrained model as a new directory next to the policy file, named by a relative path (the file-watch route)
    Path newModel = Files.createDirectories(dir.resolve("runs/r1/model"));
    Files.copy(pool8.resolve("card.json"), newModel.resolve("card.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pool8.resolve("classifier.onnx"), newModel.resolve("classifier.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    PolicyRegistry registry = server.evalDriven().routing().policies();
    LoadedClassifier shipped = registry.get("auto").classifier();

    // bound: the swaps below take a few seconds
    BackgroundTraffic traffic = BackgroundTraffic.start(4, Duration.ofSeconds(60), (client, n) -> {
      Prompt p = prompts.get((client * 5 + n) % prompts.size());
      return send("POST", "/v1/chat/completions", chat(p), "application/json", Map.of()).statusCode();
    });
    traffic.awaitMore(4);
    // 1) the policy file now names the new model directory (relative to the file): the watcher swaps
    Files.writeString(policyFile, policyFor("file-swap", "runs/r1/model", pool8Sha));
    org.awaitility.Awaitility.await("the watcher's swap").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> livePolicies().path("version").asText().equals("file-swap"));
    assertEquals("file-swap", livePolicies().path("version").asText(), "the watcher installed the new pair");
    assertEquals(pool8Sha, livePolicies().at("/classifier/sha256").asText());
    // 2) and back through the admin API
    HttpResponse<String> back = send("PUT", "/admin/policies/auto", policyFor("admin-swap", "models/default", defaultSha), "application/yaml", ADMIN);
    assertEquals(200, back.statusCode(), back.body());
    traffic.awaitMore(4); // requests on the swapped-back pair
    BackgroundTraffic.Totals totals = traffic.stop();
    assertEquals(0, totals.failed(), "no request failed during the swaps");
    assertTrue(totals.ok() > 4, totals.ok() + " requests");
    assertEquals(defaultSha, livePolicies().at("/classifier/sha256").asText());
    assertTrue(shipped.closed(), "the first shipped classifier was closed once no scoring used it");
    assertNotEquals(shipped, registry.get("auto").classifier(), "the shipped model was loaded again from its path");
    assertFalse(registry.get("auto").classifier().closed());
  }
}
