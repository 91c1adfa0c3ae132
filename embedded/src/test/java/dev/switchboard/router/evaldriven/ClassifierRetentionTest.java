package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.testkit.ShippedAutoRoute;
import java.io.ByteArrayOutputStream;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload retention over HTTP: seven distinct classifiers are uploaded to a running router, the first
 * is made live by publishing a policy for it; uploads that no route uses beyond the five most recent
 * are deleted after each upload and after each swap, and the live one is never deleted.
 *
 * <p>The seven are the shipped classifier with a different ONNX {@code doc_string} appended (a
 * protobuf field repeated at the end wins), so each has its own sha256 and loads and scores as the
 * shipped one does.
 */
class ClassifierRetentionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_KEY = "retention-test-key";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path dir;

  /** The shipped classifier.onnx with ModelProto.doc_string (field 6) set to {@code doc}. */
  private static byte[] variant(byte[] onnx, String doc) {
    byte[] text = doc.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(onnx);
    b.write((6 << 3) | 2);
    b.write(text.length); // < 128: a one-byte varint
    b.writeBytes(text);
    return b.toByteArray();
  }

  private static HttpResponse<String> send(String base, String method, String path, String body, String type) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120)).header("content-type", type)
        .header("authorization", "Bearer " + ADMIN_KEY).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Set<String> stored() throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("data/classifiers"))) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Set<String> set(List<String> shas, int... idx) {
    Set<String> s = new TreeSet<>();
    for (int i : idx) s.add(shas.get(i));
    return s;
  }

  @Test
  void uploadsBeyondTheFiveMostRecentAreDeletedUnlessARouteUsesThem() throws Exception {
    Path home = SwitchboardHome.find();
    String shipped = Files.readString(home.resolve("policies/default.yaml"));
    Path policyFile = dir.resolve("auto.yaml");
    Files.writeString(policyFile, shipped);
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, ShippedAutoRoute.yaml(home, policyFile, 20_000, "server: { admin_key_env: RETENTION_ADMIN_KEY }"));
    byte[] onnx = Files.readAllBytes(home.resolve("models/default/classifier.onnx"));
    String defaultSha = Hashing.sha256Hex(onnx);
    JsonNode card = JSON.readTree(home.resolve("models/default/card.json").toFile());

    try (SwitchboardServer server = SwitchboardServer.start(new ServerOptions(config, "127.0.0.1", 0, false, home, dir.resolve("data"),
        false, null, 0, "t", CaptureMode.NONE).withEnv(name -> name.equals("RETENTION_ADMIN_KEY") ? ADMIN_KEY : null))) {
      String base = server.baseUrl();
      List<String> shas = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        String sha = sha(onnx, i);
        HttpResponse<String> up = send(base, "PUT", "/admin/classifiers/" + sha, uploadBody(card, onnx, i), "application/json");
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("stored", JSON.readTree(up.body()).path("status").asText());
        shas.add(sha);
        if (i == 0) {
          // the first upload goes live
          String policy = shipped.replaceFirst("(?m)^version: .*$", "version: retention-v0")
              .replaceFirst("(?m)^  sha256: [0-9a-f]{64}$", "  sha256: " + sha);
          HttpResponse<String> pub = send(base, "PUT", "/admin/policies/auto", policy, "application/yaml");
          assertEquals(200, pub.statusCode(), pub.body());
        }
        if (i < 5) assertEquals(shas.size(), stored().size(), "nothing deleted while at most five are stored: " + stored());
      }

      // 7 uploads: the five most recent (2..6) stay, and so does the live one (0); 1 is gone
      assertEquals(set(shas, 0, 2, 3, 4, 5, 6), stored());
      JsonNode live = JSON.readTree(send(base, "GET", "/admin/policies", "", "application/json").body()).path("routes").path("auto");
      assertEquals(shas.get(0), live.at("/classifier/sha256").asText());
      assertEquals(dir.resolve("data/classifiers").resolve(shas.get(0)).toString(), live.at("/classifier/path").asText());
      HttpResponse<String> routed = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/route")).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Name three rivers.\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, routed.statusCode(), routed.body());
      assertEquals("retention-v0", JSON.readTree(routed.body()).path("policy_version").asText());

      // re-uploading a stored one counts as recent: 2 becomes the newest, so 3 is now the oldest of the five
      HttpResponse<String> again = send(base, "PUT", "/admin/classifiers/" + shas.get(2), uploadBody(card, onnx, 2), "application/json");
      assertEquals("already_stored", JSON.readTree(again.body()).path("status").asText(), again.body());
      assertEquals(set(shas, 0, 2, 3, 4, 5, 6), stored());

      // a swap away from 0 (back to the shipped classifier, not an upload) leaves 0 unused and not recent: deleted
      HttpResponse<String> back = send(base, "PUT", "/admin/policies/auto", shipped.replaceFirst("(?m)^version: .*$", "version: retention-back"),
          "application/yaml");
      assertEquals(200, back.statusCode(), back.body());
      assertEquals(set(shas, 2, 3, 4, 5, 6), stored());
      live = JSON.readTree(send(base, "GET", "/admin/policies", "", "application/json").body()).path("routes").path("auto");
      assertEquals(defaultSha, live.at("/classifier/sha256").asText());

      // one more upload pushes out the oldest (3, since 2 was re-uploaded)
      HttpResponse<String> eighth = send(base, "PUT", "/admin/classifiers/" + sha(onnx, 7), uploadBody(card, onnx, 7), "application/json");
      assertEquals(200, eighth.statusCode(), eighth.body());
      Set<String> expected = set(shas, 2, 4, 5, 6);
      expected.add(sha(onnx, 7));
      assertEquals(expected, stored());
    }
  }

  private static String sha(byte[] onnx, int i) {
    return Hashing.sha256Hex(variant(onnx, "retention test variant " + i));
  }

  private static String uploadBody(JsonNode card, byte[] onnx, int i) {
    byte[] v = variant(onnx, "retention test variant " + i);
    ObjectNode c = card.deepCopy();
    ((ObjectNode) c.get("onnx")).put("sha256", Hashing.sha256Hex(v));
    ObjectNode body = JSON.createObjectNode();
    body.set("card", c);
    body.put("onnx_base64", Base64.getEncoder().encodeToString(v));
    return body.toString();
  }
}
