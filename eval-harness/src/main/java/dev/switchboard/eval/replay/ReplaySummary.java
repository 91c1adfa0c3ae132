package dev.switchboard.eval.replay;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Result of one replay invocation, written to {@code runs/ID/summary.json}.
 *
 * @param consumed records read and handled in this invocation (poison and failures included)
 * @param graded records whose every candidate was graded (their rows are in the outputs)
 * @param ungradable records some candidate of which the grader could not score (no rows)
 * @param failed records some candidate call of which failed (no rows)
 * @param skippedAlreadyDone records found in this run's outputs from an earlier invocation
 * @param skippedCacheHits records the gateway answered from its response cache (metadata.cache hit or semantic-hit):
 *     not a fresh answer to a new prompt, so not replayed or graded
 * @param totalRows rows in {@code outcomes.parquet} after this invocation (all invocations)
 * @param timings where this invocation spent its time
 */
public record ReplaySummary(
    @JsonProperty("run_id") String runId,
    @JsonProperty("topic") String topic,
    @JsonProperty("group") String group,
    @JsonProperty("grader") String grader,
    @JsonProperty("candidates") List<String> candidates,
    @JsonProperty("consumed") long consumed,
    @JsonProperty("graded") long graded,
    @JsonProperty("ungradable") long ungradable,
    @JsonProperty("failed") long failed,
    @JsonProperty("failures") List<Problem> failures,
    @JsonProperty("poison") long poison,
    @JsonProperty("poison_records") List<Problem> poisonRecords,
    @JsonProperty("skipped_already_done") long skippedAlreadyDone,
    @JsonProperty("skipped_replay_traffic") long skippedReplayTraffic,
    @JsonProperty("skipped_truncated") long skippedTruncated,
    @JsonProperty("skipped_cache_hits") long skippedCacheHits,
    @JsonProperty("total_rows") long totalRows,
    @JsonProperty("estimated_max_usd") double estimatedMaxUsd,
    @JsonProperty("spent_usd") double spentUsd,
    @JsonProperty("max_spend_usd") Double maxSpendUsd,
    @JsonProperty("stopped_by_spend_cap") boolean stoppedBySpendCap,
    @JsonProperty("message") String message,
    @JsonProperty("timings") ReplayTimings timings) {

  /** A record replay could not use: where it is and why. */
  public record Problem(
      @JsonProperty("partition") int partition,
      @JsonProperty("offset") long offset,
      @JsonProperty("request_id") String requestId,
      @JsonProperty("reason") String reason) {}
}
