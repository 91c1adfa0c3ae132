package dev.switchboard.eval.loop;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.Hashing;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Talks to a running router's admin API: {@code PUT /admin/classifiers/{sha256}} uploads a
 * classifier, {@code PUT /admin/policies/{route}} installs a policy, {@code GET /admin/policies}
 * shows what is live. Every failure is a {@link PublishException}
 * whose message says what to do; the admin key is never part of a message.
 */
public final class PolicyPublisher {
  public static final String DEFAULT_KEY_ENV = "SWITCHBOARD_ADMIN_KEY";
  private static final ObjectMapper JSON = Jackson.JSON;

  private final String baseUrl;
  private final String adminKey;
  private final HttpClient http;

  /** @param routerUrl e.g. {@code http://127.0.0.1:8080} (a trailing {@code /} or {@code /v1} is ignored) */
  public PolicyPublisher(String routerUrl, String adminKey) {
    String u = routerUrl.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.endsWith("/v1")) {
      u = u.substring(0, u.length() - 3);
    }
    this.baseUrl = u;
    this.adminKey = adminKey;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** The router's answer to a successful publish. */
  public record Published(String route, String version, String status) {}

  /** A publish or query that did not work; {@code status} is the HTTP status, or 0 when there was no answer. */
  public static final class PublishException extends RuntimeException {
    private final int status;

    public PublishException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Installs {@code yaml} as the policy of {@code route}. */
  public Published publish(String route, String yaml) {
    HttpRequest req = request("/admin/policies/" + route)
        .header("content-type", "application/yaml")
        .PUT(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)).build();
    JsonNode body = send(req, "PUT /admin/policies/" + route);
    return new Published(body.path("route").asText(route), body.path("version").asText(), body.path("status").asText());
  }

  /** The router's answer to a classifier upload. */
  public record Uploaded(String sha256, String status) {}

  /**
   * {@code PUT /admin/classifiers/{sha256}}: sends a model directory's {@code card.json} and
   * {@code classifier.onnx} (the heads; the encoder comes with the router) so that a policy naming
   * that sha256 can be published to a router on another machine.
   */
  public Uploaded uploadClassifier(Path modelDir) throws IOException {
    byte[] onnx = Files.readAllBytes(modelDir.resolve(ClassifierCard.ONNX_FILE));
    JsonNode card = JSON.readTree(modelDir.resolve(ClassifierCard.FILE).toFile());
    String sha = Hashing.sha256Hex(onnx);
    ObjectNode body = JSON.createObjectNode();
    body.set("card", card);
    body.put("onnx_base64", Base64.getEncoder().encodeToString(onnx));
    HttpRequest req = request("/admin/classifiers/" + sha)
        .header("content-type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)).build();
    JsonNode answer = send(req, "PUT /admin/classifiers/" + sha);
    return new Uploaded(answer.path("sha256").asText(sha), answer.path("status").asText());
  }

  /** {@code GET /admin/policies}: every eval-driven route's live policy. */
  public JsonNode livePolicies() {
    return send(request("/admin/policies").GET().build(), "GET /admin/policies");
  }

  /** The live policy version of {@code route}, or null if the router has no such route. */
  public String liveVersion(String route) {
    JsonNode r = livePolicies().path("routes").path(route);
    return r.isMissingNode() ? null : r.path("version").asText(null);
  }

  /** The sha256 of the classifier the live policy of {@code route} scores with, or null if the router has no such route. */
  public String liveClassifier(String route) {
    JsonNode r = livePolicies().path("routes").path(route);
    return r.isMissingNode() ? null : r.path("classifier").path("sha256").asText(null);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (adminKey != null) {
      b.header("authorization", "Bearer " + adminKey);
    }
    return b;
  }

  private JsonNode send(HttpRequest req, String what) {
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new PublishException(0, "cannot reach the router at " + baseUrl + " (connection refused); is it running?");
    } catch (HttpTimeoutException e) {
      throw new PublishException(0, "the router at " + baseUrl + " did not answer " + what + " within 30 s");
    } catch (IOException e) {
      throw new PublishException(0, "cannot reach the router at " + baseUrl + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException(0, "interrupted while waiting for the router");
    }
    String reason = reason(r.body());
    switch (r.statusCode()) {
      case 200 -> {
        try {
          return JSON.readTree(r.body());
        } catch (IOException e) {
          throw new PublishException(200, "the router answered " + what + " with something that is not JSON");
        }
      }
      case 401 -> throw new PublishException(401, "the router refused the admin key (401): " + reason
          + " Set the environment variable named by --admin-key-env to the router's admin key.");
      case 403 -> throw new PublishException(403, "the router's admin API is off (403): " + reason);
      case 404 -> throw new PublishException(404, (what.contains("/admin/classifiers/")
          ? "the router has no classifier upload API (404; an older version?): " : "the router has no such route (404): ") + reason);
      case 422 -> throw new PublishException(422, "the router rejected the " + (what.contains("/admin/classifiers/") ? "classifier" : "policy")
          + " (422): " + reason);
      default -> throw new PublishException(r.statusCode(), what + " failed with HTTP " + r.statusCode() + ": " + reason);
    }
  }

  /** The OpenAI-style error message of a response body, else the body itself (shortened). */
  static String reason(String body) {
    if (body == null || body.isBlank()) {
      return "(empty answer)";
    }
    try {
      JsonNode n = JSON.readTree(body);
      String m = n.path("error").path("message").asText(null);
      if (m != null) {
        return m;
      }
    } catch (IOException e) {
      // not JSON: show the text
    }
    return body.length() > 500 ? body.substring(0, 500) + "…" : body;
  }
}
