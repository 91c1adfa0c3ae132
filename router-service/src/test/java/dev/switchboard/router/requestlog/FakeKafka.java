package dev.switchboard.router.requestlog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka in memory, for the request log's tests: a one-partition topic (a list of keys, offset =
 * index), a switch for the broker probe, and one {@link Session} (Kafka's {@link MockProducer},
 * autoComplete off) per producer the log opens, so the test decides each send's outcome.
 */
final class FakeKafka implements KafkaClients {

  private final List<String> topic = new ArrayList<>(); // guarded by this
  /** The record id header of each record in {@link #topic} (null: none). Guarded by this. */
  private final List<String> recordIds = new ArrayList<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final List<Map<Integer, Long>> reads = new CopyOnWriteArrayList<>();
  private volatile boolean reachable = true;

  @Override
  public Producer<String, byte[]> newProducer() {
    Session s = new Session();
    sessions.add(s);
    return s;
  }

  @Override
  public boolean createTopicIfMissing() {
    return true;
  }

  @Override
  public boolean reachable() {
    return reachable;
  }

  /** Like {@link TopicReconciler#keysSince} on partition 0 (a missing partition: from offset 0). */
  @Override
  public synchronized TopicReconciler.Result keysSince(Map<Integer, Long> from, Duration timeout) {
    reads.add(from == null ? null : Map.copyOf(from));
    Map<Integer, Long> end = Map.of(0, (long) topic.size());
    if (from == null) {
      return new TopicReconciler.Result(Set.of(), Set.of(), end, true);
    }
    Set<String> ids = new HashSet<>();
    Set<String> legacy = new HashSet<>();
    for (int i = (int) Math.min(from.getOrDefault(0, 0L), topic.size()); i < topic.size(); i++) {
      if (recordIds.get(i) != null) {
        ids.add(recordIds.get(i));
      } else {
        legacy.add(topic.get(i));
      }
    }
    return new TopicReconciler.Result(ids, legacy, end, true);
  }

  /** Nobody listens any more: the probe fails (sends already made still wait for the test). */
  void down() {
    reachable = false;
  }

  void up() {
    reachable = true;
  }

  /** @return the keys in the topic, in offset order */
  synchronized List<String> topic() {
    return List.copyOf(topic);
  }

  /** @return how many producers the log opened */
  int sessions() {
    return sessions.size();
  }

  /** @return the producer the log opened last */
  Session session() {
    return sessions.get(sessions.size() - 1);
  }

  /** @return the {@code from} of every reconciliation read, in order (null: only the end offsets) */
  List<Map<Integer, Long>> reads() {
    return new ArrayList<>(reads);
  }

  /** @return the record ids in the topic, in offset order (null: a record without one) */
  synchronized List<String> recordIds() {
    return new ArrayList<>(recordIds);
  }

  /** Writes a record as a producer would (a send whose acknowledgement nobody saw). */
  synchronized long write(String key, String recordId) {
    topic.add(key);
    recordIds.add(recordId);
    return topic.size() - 1;
  }

  private long write(ProducerRecord<String, byte[]> r) {
    return write(r.key(), RecordIds.of(r.headers()));
  }

  /**
   * One producer session. A send acknowledged by {@link #completeNext()} is written to the topic and
   * its metadata carries the topic's offset (MockProducer numbers sends per session, failed ones
   * included, which would make the acknowledged offsets, and so the reconcile mark, wrong).
   */
  final class Session extends MockProducer<String, byte[]> {
    /** The next failure is a lost acknowledgement: the broker writes the record anyway. */
    private boolean writeOnError;

    Session() {
      super(false, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> r, Callback callback) {
      return super.send(r, (md, err) -> {
        RecordMetadata outcome = md;
        if (err == null) {
          // Timestamp -1: none (the log never reads it).
          outcome = new RecordMetadata(new TopicPartition(r.topic(), 0), write(r), 0, -1L,
              r.key().length(), r.value().length);
        } else if (writeOnError) {
          writeOnError = false;
          write(r);
        }
        if (callback != null) {
          callback.onCompletion(outcome, err);
        }
      });
    }

    /** The next send fails and the broker did not write it (a dropped connection). */
    boolean failNext() {
      return errorNext(new NetworkException("Disconnected from node 1"));
    }

    /** The broker writes the next record but its acknowledgement is lost: the send times out. */
    synchronized boolean writeNextButLoseAck() {
      writeOnError = true;
      return errorNext(new TimeoutException("Expiring 1 record(s) for t-0: 5000 ms has passed since batch creation"));
    }

    /**
     * Like {@code KafkaProducer.close(Duration.ZERO)}: sends not completed yet fail at once (MockProducer
     * alone would leave their callbacks pending for ever).
     */
    @Override
    public void close(Duration timeout) {
      synchronized (this) {
        while (errorNext(new KafkaException("Producer is closed forcefully."))) {
          // fail the next one
        }
      }
      super.close(timeout);
    }
  }
}
