package dev.switchboard.eval.replay;

import dev.switchboard.router.kafka.KafkaConnection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What one replay invocation does.
 *
 * @param kafka the Kafka to read the request log from, with its client security settings
 * @param topic the request log topic
 * @param group consumer group; its committed offsets are where a later run resumes
 * @param from for partitions the group has no offset for: start at the first record at/after this
 *     time (null: the earliest record)
 * @param fromBeginning start at the earliest record even if the group has committed offsets
 *     (records already in this run's outputs are still skipped)
 * @param until stop each partition at its first record after this time (null: at the end)
 * @param maxRecords stop after this many records (poison included); 0 for no limit
 * @param candidates the models to ask; the last one is the strongest (the judge's reference)
 * @param concurrency candidate calls in flight at once
 * @param maxSpendUsd hard cap on candidate + judge spend ({@code +Infinity} for none)
 * @param maxTokens {@code max_tokens} for every call; also the output-token bound of the spend estimate
 * @param runDir {@code runs/ID/}: outcomes, summary
 */
public record ReplayOptions(
    KafkaConnection kafka,
    String topic,
    String group,
    Instant from,
    boolean fromBeginning,
    Instant until,
    long maxRecords,
    List<String> candidates,
    int concurrency,
    double maxSpendUsd,
    int maxTokens,
    Path runDir) {

  public ReplayOptions {
    if (kafka == null) {
      throw new IllegalArgumentException("--kafka: the request log's Kafka is required");
    }
    if (candidates == null || candidates.isEmpty()) {
      throw new IllegalArgumentException("--candidates: at least one candidate is required");
    }
    candidates = List.copyOf(candidates);
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be >= 1, got " + concurrency);
    }
    if (maxSpendUsd <= 0) {
      throw new IllegalArgumentException("--max-spend-usd must be > 0, got " + maxSpendUsd);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("--max-tokens must be >= 1, got " + maxTokens);
    }
  }

  /** Options on a Kafka that takes unauthenticated clients. */
  public ReplayOptions(String bootstrapServers, String topic, String group, Instant from, boolean fromBeginning, Instant until,
      long maxRecords, List<String> candidates, int concurrency, double maxSpendUsd, int maxTokens, Path runDir) {
    this(KafkaConnection.plaintext(bootstrapServers), topic, group, from, fromBeginning, until, maxRecords, candidates, concurrency,
        maxSpendUsd, maxTokens, runDir);
  }

  /** Kafka {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String strongestCandidate() {
    return candidates.get(candidates.size() - 1);
  }

  public String runId() {
    return runDir.toAbsolutePath().normalize().getFileName().toString();
  }
}
