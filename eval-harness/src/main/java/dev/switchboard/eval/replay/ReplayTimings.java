package dev.switchboard.eval.replay;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where one replay invocation spent its time (milliseconds of wall time unless noted), for
 * {@code summary.json} and {@code bench/replay.sh}. Times are those of the consuming thread, which
 * polls and dispatches batch k+1 while batch k's calls finish, then writes and commits batch k
 * while batch k+1's calls run: the calls themselves (and grading, on the threads that complete
 * them) overlap the other phases, so the phases add up to about the total.
 *
 * @param consumeMs polling Kafka and parsing records
 * @param callsMs dispatching candidate calls (blocked while {@code --concurrency} are in flight) and
 *     waiting for a batch's last answers (and grades)
 * @param gradeMs time inside the grader, summed over records (overlaps {@code calls_ms})
 * @param segmentsMs writing outcome segments (fsync) and committing offsets
 * @param parquetMs merging the segments into {@code outcomes.parquet}
 * @param totalMs the whole invocation, from connecting to Kafka to writing the summary
 * @param records records handled (as {@code consumed} in the summary)
 * @param candidateCalls candidate calls answered (judge calls excluded)
 */
record ReplayTimings(
    @JsonProperty("consume_ms") double consumeMs,
    @JsonProperty("calls_ms") double callsMs,
    @JsonProperty("grade_ms") double gradeMs,
    @JsonProperty("segments_ms") double segmentsMs,
    @JsonProperty("parquet_ms") double parquetMs,
    @JsonProperty("total_ms") double totalMs,
    @JsonProperty("records") long records,
    @JsonProperty("candidate_calls") long candidateCalls) {

  @JsonProperty("records_per_second")
  public double recordsPerSecond() {
    return totalMs <= 0 ? 0 : records * 1000.0 / totalMs;
  }

  @JsonProperty("candidate_calls_per_second")
  public double callsPerSecond() {
    return totalMs <= 0 ? 0 : candidateCalls * 1000.0 / totalMs;
  }
}
