package dev.switchboard.eval.replay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/*
 * Why a pass over the records: the old estimate assumed prompts of ~400 tokens and printed "<= $1.03" for a run that
 * then spent $2.94 (issue #17). A bound has to come from the prompts themselves. Per record it is the spend cap's own
 * reservation (RecordReplayer.reservation): every candidate at its price for the prompt's UTF-8 bytes as input
 * tokens (no byte-level tokenizer makes more tokens than bytes, and the JSON's quotes and keys cover a chat template's
 * few tokens per message) and max_tokens of answer, plus the judge's calls. A hard cap bounds it too, so the pass
 * stops once the sum passes the cap.
 */
/** An upper bound of what a replay run spends on the records in the topic now, from a read-only pass over them. */
final class SpendBound {
  private SpendBound() {}

  /** The bound, and how many records it covers. */
  record Result(double usd, long records, boolean capped) {}

  /**
   * @param start where the run may start reading, per partition (at or before its real start)
   * @param end the end offsets now; records appended later are not covered
   * @param maxRecords the run's {@code --max-records} (0: none): only the dearest that many count
   * @param capUsd the run's hard cap ({@code +Infinity}: none)
   */
  static Result compute(Properties kafka, Map<TopicPartition, Long> start, Map<TopicPartition, Long> end, long maxRecords, double capUsd,
      RecordReplayer records, Duration timeout) {
    Properties p = (Properties) kafka.clone(); // no group: this pass commits nothing and joins nothing
    p.put("enable.auto.commit", "false");
    p.put("isolation.level", "read_committed");
    p.put("max.poll.records", "2000");
    PriorityQueue<Double> dearest = new PriorityQueue<>(); // with --max-records: the dearest maxRecords, smallest on top
    double sum = 0;
    long counted = 0;
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = start.keySet().stream().filter(tp -> end.getOrDefault(tp, 0L) > start.get(tp)).toList();
      c.assign(tps);
      for (TopicPartition tp : tps) c.seek(tp, start.get(tp));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!tps.isEmpty() && !done(c, tps, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) continue;
          double usd = cost(r.value(), records);
          if (usd == 0) continue;
          counted++;
          if (maxRecords > 0) {
            dearest.add(usd);
            sum += usd;
            if (dearest.size() > maxRecords) sum -= dearest.poll();
          } else {
            sum += usd;
          }
          if (sum > capUsd) return new Result(capUsd, counted, true);
        }
      }
      if (!tps.isEmpty() && !done(c, tps, end)) {
        // not read to the end in time: the bound cannot be given; the cap (if any) still holds
        return new Result(Double.isInfinite(capUsd) ? Double.POSITIVE_INFINITY : capUsd, counted, !Double.isInfinite(capUsd));
      }
    }
    return new Result(sum, counted, false);
  }

  /** A record's reservation; 0 for one the run skips (unreadable, a replay's own call, cut to fit the broker). */
  private static double cost(byte[] value, RecordReplayer records) {
    LoggedRequest req;
    try {
      req = LoggedRequest.parse(value);
    } catch (LoggedRequest.PoisonRecordException e) {
      return 0;
    }
    if (req.metadata().containsKey("replay_run") || "true".equals(req.metadata().get("truncated"))) return 0;
    return records.reservation(req);
  }

  private static boolean done(KafkaConsumer<String, byte[]> c, List<TopicPartition> tps, Map<TopicPartition, Long> end) {
    for (TopicPartition tp : tps) if (c.position(tp) < end.get(tp)) return false;
    return true;
  }
}
