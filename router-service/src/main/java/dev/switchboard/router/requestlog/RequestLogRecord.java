package dev.switchboard.router.requestlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One gateway request as written to the request log topic (JSON, snake_case, see
 * {@code docs/request-log.md}). Built by the gateway when a request finishes; the log applies the
 * configured {@link CaptureMode} to {@code messages} and {@code response} before writing.
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION} for records built by this code
 * @param requestId unique id of the request; the Kafka record key
 * @param time when the request arrived, ISO-8601 UTC (e.g. {@code 2026-11-25T12:00:00.123Z})
 * @param route the route that handled it, or null for a direct deployment call
 * @param alias the {@code model} the client asked for
 * @param deployment the deployment that produced the answer (null if none did)
 * @param candidates deployments the policy considered, with their predicted quality
 * @param difficulty the classifier's difficulty score in [0,1], or null if not scored
 * @param policyVersion version of the routing policy (thresholds/model) that decided
 * @param capture {@code full}, {@code redacted} or {@code none}: how messages/response were captured
 * @param messages the OpenAI messages array (null when capture is {@code none})
 * @param response the answer text (null when capture is {@code none} or no answer)
 * @param usage token usage of the final answer
 * @param costUsd cost of all attempts in USD
 * @param latency latency break-down in milliseconds
 * @param status HTTP status returned to the client
 * @param attempts every upstream attempt in order, including retries and fallbacks
 * @param fallbacks how many times the gateway moved to another deployment
 * @param error client-visible error message, or null on success
 * @param category optional task/app label (from the request or the classifier)
 * @param metadata free-form string metadata (e.g. {@code reference} answer, app name)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"schema_version", "record_id", "request_id"})
public record RequestLogRecord(
    @JsonProperty("schema_version") int schemaVersion,
    @JsonProperty("request_id") String requestId,
    @JsonProperty("time") String time,
    @JsonProperty("route") String route,
    @JsonProperty("alias") String alias,
    @JsonProperty("deployment") String deployment,
    @JsonProperty("candidates") List<Candidate> candidates,
    @JsonProperty("difficulty") Double difficulty,
    @JsonProperty("policy_version") String policyVersion,
    @JsonProperty("capture") String capture,
    @JsonProperty("messages") JsonNode messages,
    @JsonProperty("response") String response,
    @JsonProperty("usage") Tokens usage,
    @JsonProperty("cost_usd") double costUsd,
    @JsonProperty("latency") Latency latency,
    @JsonProperty("status") int status,
    @JsonProperty("attempts") List<Attempt> attempts,
    @JsonProperty("fallbacks") int fallbacks,
    @JsonProperty("error") String error,
    @JsonProperty("category") String category,
    @JsonProperty("metadata") Map<String, String> metadata,
    @JsonProperty("record_id") String recordId) {

  public static final int SCHEMA_VERSION = 1;

  /** A record without its record id yet: the request log gives it one when it serialises it. */
  public RequestLogRecord(int schemaVersion, String requestId, String time, String route, String alias,
      String deployment, List<Candidate> candidates, Double difficulty, String policyVersion, String capture,
      JsonNode messages, String response, Tokens usage, double costUsd, Latency latency, int status,
      List<Attempt> attempts, int fallbacks, String error, String category, Map<String, String> metadata) {
    this(schemaVersion, requestId, time, route, alias, deployment, candidates, difficulty, policyVersion, capture,
        messages, response, usage, costUsd, latency, status, attempts, fallbacks, error, category, metadata, null);
  }

  /** This record with its server-generated unique id (see {@code docs/request-log.md}). */
  public RequestLogRecord withRecordId(String id) {
    return new RequestLogRecord(schemaVersion, requestId, time, route, alias, deployment, candidates, difficulty,
        policyVersion, capture, messages, response, usage, costUsd, latency, status, attempts, fallbacks, error,
        category, metadata, id);
  }

  public RequestLogRecord {
    if (requestId == null || requestId.isBlank()) {
      throw new IllegalArgumentException("request_id is required");
    }
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A deployment the routing policy considered. */
  public record Candidate(
      @JsonProperty("deployment") String deployment,
      @JsonProperty("predicted_quality") double predictedQuality) {}

  /** Token usage of the answer. */
  public record Tokens(
      @JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("completion_tokens") long completionTokens) {}

  /**
   * Latency break-down, milliseconds.
   *
   * @param totalMs arrival of the request to the last byte sent to the client
   * @param upstreamMs time spent waiting on providers (all attempts)
   * @param gatewayOverheadMs {@code totalMs - upstreamMs}
   * @param scoringMs classifier time (part of the overhead)
   */
  public record Latency(
      @JsonProperty("total_ms") double totalMs,
      @JsonProperty("upstream_ms") double upstreamMs,
      @JsonProperty("gateway_overhead_ms") double gatewayOverheadMs,
      @JsonProperty("scoring_ms") double scoringMs) {}

  /**
   * One upstream attempt.
   *
   * @param status upstream HTTP status (0 if no response)
   * @param errorKind an {@code ErrorKind} name, or null on success
   */
  public record Attempt(
      @JsonProperty("deployment") String deployment,
      @JsonProperty("status") int status,
      @JsonProperty("error_kind") String errorKind,
      @JsonProperty("latency_ms") double latencyMs) {}

  /** A builder: {@code time} defaults to now, {@code status} to 200, lists and maps to empty. */
  public static Builder builder(String requestId) {
    return new Builder(requestId);
  }

  /** Fluent construction of a record (the gateway fills it in as the request progresses). */
  public static final class Builder {
    private final String requestId;
    private String time = java.time.Instant.now().toString();
    private String route;
    private String alias;
    private String deployment;
    private List<Candidate> candidates = List.of();
    private Double difficulty;
    private String policyVersion;
    private JsonNode messages;
    private String response;
    private Tokens usage = new Tokens(0, 0);
    private double costUsd;
    private Latency latency;
    private int status = 200;
    private List<Attempt> attempts = List.of();
    private int fallbacks;
    private String error;
    private String category;
    private Map<String, String> metadata = Map.of();

    private Builder(String requestId) {
      this.requestId = requestId;
    }

    public Builder time(java.time.Instant t) { this.time = t.toString(); return this; }
    public Builder route(String v) { this.route = v; return this; }
    public Builder alias(String v) { this.alias = v; return this; }
    public Builder deployment(String v) { this.deployment = v; return this; }
    public Builder candidates(List<Candidate> v) { this.candidates = v; return this; }
    public Builder difficulty(Double v) { this.difficulty = v; return this; }
    public Builder policyVersion(String v) { this.policyVersion = v; return this; }
    public Builder messages(JsonNode v) { this.messages = v; return this; }
    public Builder response(String v) { this.response = v; return this; }
    public Builder usage(long promptTokens, long completionTokens) { this.usage = new Tokens(promptTokens, completionTokens); return this; }
    public Builder costUsd(double v) { this.costUsd = v; return this; }
    public Builder latency(Latency v) { this.latency = v; return this; }
    public Builder status(int v) { this.status = v; return this; }
    public Builder attempts(List<Attempt> v) { this.attempts = v; return this; }
    public Builder fallbacks(int v) { this.fallbacks = v; return this; }
    public Builder error(String v) { this.error = v; return this; }
    public Builder category(String v) { this.category = v; return this; }
    public Builder metadata(Map<String, String> v) { this.metadata = v; return this; }

    /** The record, with {@code capture} left for the request log to set. */
    public RequestLogRecord build() {
      return new RequestLogRecord(SCHEMA_VERSION, requestId, time, route, alias, deployment, candidates, difficulty,
          policyVersion, null, messages, response, usage, costUsd, latency, status, attempts, fallbacks, error,
          category, metadata);
    }
  }

  /** This record with {@code messages}/{@code response} captured under {@code mode}. */
  /** Metadata keys of a record whose texts were cut to fit the broker ({@link #truncated}). */
  public static final String TRUNCATED = "truncated";
  public static final String ORIGINAL_BYTES = "original_bytes";

  /**
   * This record with every text of its messages and its response longer than {@code maxChars}
   * cut to its head and tail around a marker, and {@code metadata.truncated = "true"},
   * {@code metadata.original_bytes} = the full record's size: logged (so nothing answered goes
   * unlogged) but marked, so replay knows it cannot re-ask the real prompt.
   */
  public RequestLogRecord truncated(int maxChars, long originalBytes) {
    Map<String, String> md = new java.util.LinkedHashMap<>(metadata);
    md.put(TRUNCATED, "true");
    md.put(ORIGINAL_BYTES, Long.toString(originalBytes));
    return new RequestLogRecord(schemaVersion, requestId, time, route, alias, deployment, candidates, difficulty, policyVersion,
        capture, messages == null ? null : cut(messages.deepCopy(), maxChars), response == null ? null : cut(response, maxChars),
        usage, costUsd, latency, status, attempts, fallbacks, error, category, md, recordId);
  }

  private static JsonNode cut(JsonNode node, int maxChars) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      List<String> names = new java.util.ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String f : names) {
        JsonNode v = o.get(f);
        if (v.isTextual()) o.put(f, cut(v.asText(), maxChars)); else cut(v, maxChars);
      }
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode v = a.get(i);
        if (v.isTextual()) a.set(i, com.fasterxml.jackson.databind.node.TextNode.valueOf(cut(v.asText(), maxChars))); else cut(v, maxChars);
      }
    }
    return node;
  }

  private static String cut(String s, int maxChars) {
    if (s.length() <= maxChars) {
      return s;
    }
    int half = maxChars / 2;
    return s.substring(0, half) + "\n[... " + (s.length() - 2 * half) + " characters cut to fit the request log ...]\n"
        + s.substring(s.length() - half);
  }

  public RequestLogRecord withCapture(CaptureMode mode) {
    return new RequestLogRecord(schemaVersion, requestId, time, route, alias, deployment, candidates,
        difficulty, policyVersion, mode.wireName(), mode.messages(messages), mode.text(response), usage,
        costUsd, latency, status, attempts, fallbacks, error, category, metadata, recordId);
  }
}
