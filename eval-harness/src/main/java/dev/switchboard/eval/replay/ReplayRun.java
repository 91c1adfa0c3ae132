package dev.switchboard.eval.replay;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One replay invocation: consume logged requests, ask every candidate, grade, write outcome
 * segments, then commit offsets; at the end merge all segments into {@code outcomes.parquet} and
 * write {@code summary.json}.
 *
 * <p>Offsets are committed only after the segment covering them is on disk, and segments record the
 * offsets they cover, so a crash at any point resumes without duplicate or missing outputs.
 */
public final class ReplayRun {

  private static final int MAX_LISTED = 100;
  private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(30);

  private final ReplayOptions o;
  private final Grader grader;
  private final PriceBook prices;
  private final PrintStream out;
  private final SpendTracker spend;
  private final OutcomeSegments segments;
  private final ObjectMapper json = Jackson.PRETTY;
  /** Called after a segment is written and before its offsets are committed (tests simulate a crash here). */
  Runnable afterSegmentWritten = () -> {};

  private long consumed;
  private long graded;
  private long ungradable;
  private long failed;
  private long skipped;
  private final List<ReplaySummary.Problem> failures = new ArrayList<>();
  private long poison;
  /** Records logged with their texts cut to fit the broker (metadata.truncated): the real prompt is not there. */
  private long truncated;
  /** Records the gateway answered from its response cache (metadata.cache = hit or semantic-hit), skipped. */
  private long cacheHits;
  /** Records of earlier replays' own calls (metadata.replay_run), skipped. */
  private long replayTraffic;
  private final List<ReplaySummary.Problem> poisonList = new ArrayList<>();
  private boolean capHit;
  /** Rows of the segments this invocation wrote (the final merge reads only older segments from disk). */
  private final List<RoutingRow> written = new ArrayList<>();
  /** Phase timings (nanoseconds); see {@link ReplayTimings}. */
  private long consumeNanos;
  private long callsNanos;
  /** Each record's candidate calls and grading. */
  private final RecordReplayer records;
  private long segmentsNanos;
  private long parquetNanos;
  private long startNanos;

  public ReplayRun(ReplayOptions options, CandidateClient client, Grader grader, PriceBook prices, PrintStream out) {
    this.o = options;
    this.grader = grader;
    this.prices = prices;
    this.out = out;
    this.spend = new SpendTracker(options.maxSpendUsd(), grader);
    this.records = new RecordReplayer(options, client, grader, prices, spend);
    this.segments = new OutcomeSegments(options.runDir());
  }

  /** Runs to the end of the topic (or --until/--max/the spend cap) and returns the summary. */
  public ReplaySummary run() {
    startNanos = System.nanoTime();
    Map<String, Long> covered = segments.coveredOffsets();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<PartitionInfo> parts;
      try {
        parts = consumer.partitionsFor(o.topic(), Duration.ofSeconds(15));
      } catch (org.apache.kafka.common.errors.AuthenticationException e) {
        throw new IllegalArgumentException("Kafka at " + o.bootstrapServers() + " refused the login (" + e.getMessage()
            + "); give its client settings with --kafka-config FILE (the embedded broker's are in DATA_DIR/kafka/client.properties)");
      }
      if (parts == null || parts.isEmpty()) {
        throw new IllegalArgumentException("topic " + o.topic() + " does not exist at " + o.bootstrapServers());
      }
      double estimate = printEstimate(consumer, parts);
      Set<TopicPartition> done = new HashSet<>();
      consumer.subscribe(List.of(o.topic()), new Positioner(consumer, covered));
      long assignDeadline = System.nanoTime() + ASSIGNMENT_TIMEOUT.toNanos();
      boolean stop = false;
      while (!stop) {
        long p0 = System.nanoTime();
        ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
        consumeNanos += System.nanoTime() - p0;
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
          if (System.nanoTime() > assignDeadline) {
            throw new IllegalStateException("no partition of " + o.topic() + " was assigned to group " + o.group()
                + " within " + ASSIGNMENT_TIMEOUT.toSeconds() + " s (another replay with this group running?)");
          }
          continue;
        }
        stop = dispatch(consumer, batch, covered, done);
        // The previous batch's calls ran while this one was dispatched; write and commit it now,
        // while this batch's calls run.
        completePending(consumer);
        pending = next;
        next = null;
        if (!stop && batch.isEmpty()) {
          completePending(consumer);
          stop = atEnd(consumer, assigned, done);
        }
      }
      completePending(consumer);
      return finish(estimate);
    }
  }

  /** A dispatched batch: the last offset handled per partition and its records' outcomes (in flight). */
  private record Batch(Map<TopicPartition, Long> handled, List<CompletableFuture<RecordReplayer.Outcome>> work) {}

  /** The batch whose calls are in flight, written and committed after the next batch is dispatched. */
  private Batch pending;
  /** The batch {@link #dispatch} just started. */
  private Batch next;

  /**
   * Starts one poll batch: parses its records and dispatches their candidate calls (blocking while
   * {@code --concurrency} calls are in flight). Leaves it in {@link #next}; returns true when the
   * run must stop (max, cap).
   */
  private boolean dispatch(KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> batch,
      Map<String, Long> covered, Set<TopicPartition> done) {
    if (batch.isEmpty()) {
      return false;
    }
    long d0 = System.nanoTime();
    long parseNanos = 0;
    Map<TopicPartition, Long> handled = new LinkedHashMap<>();
    List<CompletableFuture<RecordReplayer.Outcome>> work = new ArrayList<>();
    boolean stop = false;
    for (ConsumerRecord<String, byte[]> r : batch) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      if (done.contains(tp)) {
        continue;
      }
      if (o.maxRecords() > 0 && consumed >= o.maxRecords()) {
        stop = true;
        break;
      }
      if (o.until() != null && r.timestamp() > o.until().toEpochMilli()) {
        done.add(tp);
        consumer.pause(List.of(tp));
        continue;
      }
      Long cov = covered.get(key(tp));
      if (cov != null && r.offset() <= cov) {
        skipped++;
        handled.put(tp, r.offset());
        continue;
      }
      LoggedRequest req;
      long r0 = System.nanoTime();
      try {
        req = LoggedRequest.parse(r.value());
        parseNanos += System.nanoTime() - r0;
      } catch (LoggedRequest.PoisonRecordException e) {
        parseNanos += System.nanoTime() - r0;
        consumed++;
        poison++;
        if (poisonList.size() < MAX_LISTED) {
          poisonList.add(new ReplaySummary.Problem(r.partition(), r.offset(), r.key(), e.getMessage()));
        }
        handled.put(tp, r.offset());
        continue;
      }
      if (req.metadata().containsKey("replay_run")) {
        // A replay's own call through the gateway, not client traffic: replaying it would grade the router's graders.
        consumed++;
        replayTraffic++;
        handled.put(tp, r.offset());
        continue;
      }
      if (isCacheHit(req)) {
        // Answered from the gateway's response cache: a repeat of a prompt logged (and replayed) when it was first
        // answered; grading it again would count that prompt twice.
        consumed++;
        cacheHits++;
        handled.put(tp, r.offset());
        continue;
      }
      if ("true".equals(req.metadata().get("truncated"))) {
        // The gateway cut this record's texts to fit the broker: re-asking the cut prompt would
        // grade the candidates on a prompt nobody sent.
        consumed++;
        truncated++;
        handled.put(tp, r.offset());
        continue;
      }
      double reservation = records.reservation(req);
      if (!spend.tryReserve(reservation)) {
        capHit = true;
        stop = true;
        break;
      }
      consumed++;
      handled.put(tp, r.offset());
      work.add(records.process(req, r).whenComplete((x, e) -> spend.release(reservation)));
    }
    consumeNanos += parseNanos;
    callsNanos += System.nanoTime() - d0 - parseNanos;
    if (!handled.isEmpty()) {
      next = new Batch(handled, work);
    }
    // Records after a stop point (max/cap) were not handled: the committed offsets say where a
    // later run starts.
    return stop;
  }

  /** Waits for the pending batch's outcomes, writes its segment, then commits its offsets. */
  private void completePending(KafkaConsumer<String, byte[]> consumer) {
    Batch b = pending;
    if (b == null) {
      return;
    }
    pending = null;
    long w0 = System.nanoTime();
    List<RoutingRow> rows = new ArrayList<>(b.work().size() * o.candidates().size());
    for (CompletableFuture<RecordReplayer.Outcome> f : b.work()) {
      RecordReplayer.Outcome ro = f.join();
      switch (ro.kind()) {
        case GRADED -> {
          graded++;
          rows.addAll(ro.rows());
        }
        case UNGRADABLE -> ungradable++;
        case FAILED -> {
          failed++;
          if (failures.size() < MAX_LISTED) {
            failures.add(ro.problem());
          }
        }
      }
    }
    long s0 = System.nanoTime();
    callsNanos += s0 - w0;
    Map<String, Long> last = new LinkedHashMap<>();
    b.handled().forEach((tp, off) -> last.put(key(tp), off));
    segments.append(last, rows);
    written.addAll(rows);
    afterSegmentWritten.run();
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    b.handled().forEach((tp, off) -> commit.put(tp, new OffsetAndMetadata(off + 1)));
    consumer.commitSync(commit);
    segmentsNanos += System.nanoTime() - s0;
  }

  /** Prints (and returns) an upper bound of this run's spend on the records in the topic now (see {@link SpendBound}). */
  private double printEstimate(KafkaConsumer<String, byte[]> consumer, List<PartitionInfo> parts) {
    List<TopicPartition> tps = parts.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(tps));
    Map<TopicPartition, Long> start = new HashMap<>();
    for (TopicPartition tp : tps) {
      OffsetAndMetadata c = committed.get(tp);
      // --from may seek before the committed offset: then count from the beginning, a superset
      boolean fromStart = c == null || o.fromBeginning() || o.from() != null;
      start.put(tp, fromStart ? begin.getOrDefault(tp, 0L) : c.offset());
    }
    SpendBound.Result b = SpendBound.compute(o.kafka().properties(), start, end, o.maxRecords(), o.maxSpendUsd(), records,
        Duration.ofMinutes(2));
    String how = Double.isInfinite(b.usd()) ? "unknown (the records could not be read in time; set --max-spend-usd)"
        : String.format("<= $%.4f", b.usd());
    out.printf("replay: %d records x %d candidates; spend %s (%s)%n", b.records(), o.candidates().size(), how,
        b.capped() ? "the cap, --max-spend-usd, which the run never passes"
            : "each prompt's UTF-8 bytes as input tokens and " + o.maxTokens() + " tokens of answer at each candidate's price"
                + (grader instanceof JudgeGrader ? ", judge calls included" : ""));
    out.printf("replay: cap %s%n", Double.isInfinite(o.maxSpendUsd()) ? "none" : String.format("$%.4f", o.maxSpendUsd()));
    return b.usd();
  }

  private boolean atEnd(KafkaConsumer<String, byte[]> consumer, Set<TopicPartition> assigned, Set<TopicPartition> done) {
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
    for (TopicPartition tp : assigned) {
      if (!done.contains(tp) && consumer.position(tp) < end.getOrDefault(tp, 0L)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the gateway served {@code req} from its response cache ({@code metadata.cache}, issue #16). */
  static boolean isCacheHit(LoggedRequest req) {
    String c = req.metadata().get("cache");
    return "hit".equals(c) || "semantic-hit".equals(c);
  }

  private ReplaySummary finish(double estimate) {
    long q0 = System.nanoTime();
    List<RoutingRow> all = segments.rows(written);
    try {
      if (!all.isEmpty()) {
        RoutingDatasets.write(o.runDir().resolve("outcomes.parquet"), all);
      }
      parquetNanos = System.nanoTime() - q0;
      String message = capHit
          ? String.format("spend cap reached: $%.4f spent of $%.4f; stopped after %d records. Outputs and offsets up to"
              + " there are saved: rerun with a higher --max-spend-usd (same --group and --out) to continue.",
              spend.spent(), o.maxSpendUsd(), consumed)
          : String.format("done: %d records, %d graded, %d rows in outcomes.parquet, $%.4f spent.", consumed, graded,
              all.size(), spend.spent())
              + (truncated > 0 ? " " + truncated + " records were logged cut to fit the broker (metadata.truncated) and not replayed." : "")
              + (cacheHits > 0 ? " " + cacheHits + " records were answered from the response cache (metadata.cache) and not replayed." : "");
      ReplaySummary s = new ReplaySummary(o.runId(), o.topic(), o.group(), grader.name(), o.candidates(), consumed,
          graded, ungradable, failed, List.copyOf(failures), poison, List.copyOf(poisonList), skipped, replayTraffic, truncated, cacheHits, all.size(),
          estimate, spend.spent(), Double.isInfinite(o.maxSpendUsd()) ? null : o.maxSpendUsd(), capHit, message,
          new ReplayTimings(consumeNanos / 1e6, callsNanos / 1e6, records.gradeNanos() / 1e6, segmentsNanos / 1e6, parquetNanos / 1e6,
              (System.nanoTime() - startNanos) / 1e6, consumed, records.candidateCalls()));
      Files.writeString(o.runDir().resolve("summary.json"), json.writeValueAsString(s));
      out.println("replay: " + message);
      ReplayTimings t = s.timings();
      out.printf(java.util.Locale.ROOT, "replay: %.1f s: %.0f records/s, %.0f candidate calls/s (consume %.1f s, calls %.1f s, segments %.1f s,"
          + " parquet %.1f s)%n", t.totalMs() / 1000, t.recordsPerSecond(), t.callsPerSecond(), t.consumeMs() / 1000,
          t.callsMs() / 1000, t.segmentsMs() / 1000, t.parquetMs() / 1000);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write outputs in " + o.runDir() + ": " + e.getMessage(), e);
    }
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties p = o.kafka().properties(); // the security settings too: the log is readable only with credentials
    p.put("group.id", o.group());
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", "read_committed");
    // A batch is answered, written and committed before the next poll (within max.poll.interval.ms),
    // so its size trades the per-batch cost (fsync, commit, the wait for its slowest call) against
    // the time one batch takes against slow, rate-limited providers.
    p.put("max.poll.records", Integer.toString(Math.max(8, Math.min(1000, o.concurrency() * 8))));
    p.put("max.poll.interval.ms", "900000");
    p.put("client.id", "switchboard-replay-" + o.runId());
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static String key(TopicPartition tp) {
    return tp.topic() + ":" + tp.partition();
  }



  /** Positions newly assigned partitions: --from-beginning, --from, then past this run's outputs. */
  private final class Positioner implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Long> covered;

    Positioner(KafkaConsumer<String, byte[]> consumer, Map<String, Long> covered) {
      this.consumer = consumer;
      this.covered = covered;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> tps) {
      if (tps.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(tps));
      for (TopicPartition tp : tps) {
        boolean hasCommit = committed.get(tp) != null;
        if (o.fromBeginning()) {
          consumer.seekToBeginning(List.of(tp));
        } else if (!hasCommit && o.from() != null) {
          OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(tp, o.from().toEpochMilli())).get(tp);
          if (at != null) {
            consumer.seek(tp, at.offset());
          } else {
            consumer.seekToEnd(List.of(tp));
          }
        }
        Long cov = covered.get(key(tp));
        long pos = consumer.position(tp);
        if (cov != null && pos <= cov) {
          skipped += cov + 1 - pos;
          consumer.seek(tp, cov + 1); // done by an earlier invocation whose commit was lost
        }
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> tps) {
      // Finish the batch in flight while its partitions are still ours (offsets are committed synchronously).
      completePending(consumer);
    }
  }
}
