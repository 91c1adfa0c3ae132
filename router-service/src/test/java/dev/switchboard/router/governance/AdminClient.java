package dev.switchboard.router.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin API over HTTP, as curl would call it, with one credential. */
final class AdminClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final String credential;

  AdminClient(String baseUrl, String credential) {
    this.baseUrl = baseUrl;
    this.credential = credential;
  }

  /** A response: status, parsed body, raw text (to search for secrets). */
  record Reply(int status, JsonNode json, String text) {
    String code() {
      return json.path("error").path("code").asText(null);
    }
  }

  Reply post(String path, String body) throws Exception {
    return send("POST", path, body);
  }

  Reply patch(String path, String body) throws Exception {
    return send("PATCH", path, body);
  }

  Reply get(String path) throws Exception {
    return send("GET", path, null);
  }

  Reply delete(String path) throws Exception {
    return send("DELETE", path, null);
  }

  Reply send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json");
    if (credential != null) b.header("authorization", "Bearer " + credential);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()), r.body());
  }
}
