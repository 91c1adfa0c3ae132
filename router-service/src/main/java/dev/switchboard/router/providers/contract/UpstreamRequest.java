package dev.switchboard.router.providers.contract;

import java.util.Map;

/**
 * An HTTP request to a provider, fully formed by an adapter. Header values may hold the API key:
 * never log this record (its {@link #toString()} masks headers for that reason).
 */
public record UpstreamRequest(String method, String url, Map<String, String> headers, byte[] body) {
  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + url + ", headers=" + headers.keySet() + ", " + body.length + " bytes]";
  }
}
