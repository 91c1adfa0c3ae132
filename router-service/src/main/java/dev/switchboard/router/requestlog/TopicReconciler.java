package dev.switchboard.router.requestlog;

import dev.switchboard.router.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the record ids (and, for records written before record ids, the keys) a topic holds from
 * given offsets to its current end, with a plain consumer (no group: {@code assign} +
 * {@code seek}, nothing committed). The request log uses it before draining its spool: a spooled
 * record whose record id is already in that range was written by Kafka although its
 * acknowledgement was lost, and must not be sent again.
 */
final class TopicReconciler {

  /**
   * What was found and, per partition, the offset the read got to: the end offsets taken at the
   * start when {@code complete}, otherwise where the time ran out (read on from there next time).
   *
   * @param recordIds the record ids of records that carry one ({@link RecordIds#HEADER})
   * @param legacyKeys the keys (request ids) of records written without a record id, by a version
   *     before record ids: only spooled records without a record id are matched against them
   */
  record Result(Set<String> recordIds, Set<String> legacyKeys, Map<Integer, Long> positions, boolean complete) {
    int found() {
      return recordIds.size() + legacyKeys.size();
    }
  }

  private TopicReconciler() {}

  /**
   * Keys of {@code topic} from {@code from} (per partition; a missing partition is read from its
   * beginning; {@code null} reads nothing and only returns the end offsets) to the end offsets
   * taken at the start. A read that does not finish in {@code timeout} returns what it got so far
   * ({@code complete == false}). Throws if Kafka does not answer. {@code clock} (nanoseconds,
   * {@code System::nanoTime} outside tests) measures the timeout.
   */
  static Result keysSince(KafkaConnection kafka, String topic, Map<Integer, Long> from, Duration timeout,
      LongSupplier clock) {
    long deadline = clock.getAsLong() + timeout.toNanos();
    Properties p = kafka.properties();
    p.put("enable.auto.commit", "false");
    p.put("client.id", "switchboard-requestlog-reconcile");
    p.put("request.timeout.ms", "5000");
    p.put("default.api.timeout.ms", Long.toString(Math.max(1000, timeout.toMillis())));
    p.put("max.poll.records", "2000");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      List<TopicPartition> tps = new ArrayList<>();
      if (infos != null) {
        for (PartitionInfo i : infos) {
          tps.add(new TopicPartition(topic, i.partition()));
        }
      }
      Map<Integer, Long> ends = new HashMap<>();
      if (tps.isEmpty()) {
        return new Result(Set.of(), Set.of(), Map.of(), true);
      }
      consumer.endOffsets(tps, remaining(deadline, clock)).forEach((tp, off) -> ends.put(tp.partition(), off));
      Set<String> ids = new HashSet<>();
      Set<String> keys = new HashSet<>();
      if (from == null) {
        return new Result(ids, keys, Map.copyOf(ends), true);
      }
      List<TopicPartition> toRead = new ArrayList<>();
      Map<TopicPartition, Long> starts = new HashMap<>();
      List<TopicPartition> fromStart = new ArrayList<>();
      for (TopicPartition tp : tps) {
        Long start = from.get(tp.partition());
        if (start == null) {
          fromStart.add(tp);
        } else {
          starts.put(tp, start);
        }
      }
      if (!fromStart.isEmpty()) {
        consumer.beginningOffsets(fromStart, remaining(deadline, clock)).forEach(starts::put);
      }
      starts.forEach((tp, start) -> {
        if (start < ends.get(tp.partition())) {
          toRead.add(tp);
        }
      });
      if (toRead.isEmpty()) {
        return new Result(ids, keys, Map.copyOf(ends), true);
      }
      consumer.assign(toRead);
      for (TopicPartition tp : toRead) {
        consumer.seek(tp, starts.get(tp));
      }
      while (!done(consumer, toRead, ends)) {
        if (clock.getAsLong() > deadline) {
          Map<Integer, Long> positions = new HashMap<>(ends);
          for (TopicPartition tp : toRead) {
            positions.put(tp.partition(), Math.min(consumer.position(tp), ends.get(tp.partition())));
          }
          return new Result(ids, keys, Map.copyOf(positions), false);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() >= ends.get(r.partition())) {
            continue;
          }
          String id = RecordIds.of(r.headers());
          if (id != null) {
            ids.add(id);
          } else if (r.key() != null) {
            keys.add(r.key());
          }
        }
      }
      return new Result(ids, keys, Map.copyOf(ends), true);
    }
  }

  private static boolean done(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> tps, Map<Integer, Long> ends) {
    for (TopicPartition tp : tps) {
      if (consumer.position(tp) < ends.get(tp.partition())) {
        return false;
      }
    }
    return true;
  }

  private static Duration remaining(long deadline, LongSupplier clock) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - clock.getAsLong()));
  }
}
