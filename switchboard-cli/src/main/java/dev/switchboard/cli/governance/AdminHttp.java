package dev.switchboard.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.options.Exit;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The gateway's admin API over HTTP for the CLI: one request, the JSON answer, or a {@link Failure} carrying the
 * gateway's own error message. The CLI validates nothing the gateway validates, so both report the same error.
 */
final class AdminHttp {
  static final ObjectMapper JSON = dev.switchboard.classifier.base.Jackson.JSON;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String credential;

  AdminHttp(String baseUrl, String credential) {
    this.baseUrl = baseUrl;
    this.credential = credential;
  }

  /** A call that did not succeed: the message to print and the exit code it maps to. */
  static final class Failure extends Exception {
    final int exitCode;

    Failure(String message, int exitCode) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /**
   * Sends one admin request.
   *
   * @param method GET, POST, PATCH or DELETE
   * @param pathAndQuery e.g. {@code /admin/keys?team_id=t1}
   * @param body the JSON body, or null
   * @return the parsed answer of a 2xx
   * @throws Failure the gateway's error message on a 4xx ({@link Exit#REFUSED}), or why it could not be reached or
   *     failed ({@link Exit#FAILED})
   */
  JsonNode send(String method, String pathAndQuery, JsonNode body) throws Failure {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + credential)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) b.header("content-type", "application/json");
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach the gateway at " + baseUrl + " (" + (e.getMessage() == null ? e.toString() : e.getMessage())
          + "); is it running? (--gateway)", Exit.FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted", Exit.FAILED);
    }
    JsonNode answer;
    try {
      answer = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new Failure("the gateway answered " + r.statusCode() + " with something that is not JSON; is " + baseUrl
          + " a Switchboard gateway?", Exit.FAILED);
    }
    if (r.statusCode() / 100 == 2) return answer;
    String message = answer.path("error").path("message").asText("");
    if (message.isEmpty()) message = "the gateway answered HTTP " + r.statusCode();
    throw new Failure(message, r.statusCode() / 100 == 4 ? Exit.REFUSED : Exit.FAILED);
  }
}
