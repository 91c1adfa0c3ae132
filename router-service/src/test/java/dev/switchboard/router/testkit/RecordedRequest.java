package dev.switchboard.router.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A request a mock provider received. Header names are lower-cased.
 *
 * @param path the path without the query
 * @param query the raw query string, or null
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body) {

  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  public JsonNode json() {
    return TestRequests.json(body);
  }
}
