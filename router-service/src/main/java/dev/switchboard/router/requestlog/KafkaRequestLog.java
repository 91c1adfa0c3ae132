package dev.switchboard.router.requestlog;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log on Kafka, with a disk spool for outages.
 *
 * <p>{@link #append} only offers the record to a bounded queue. One sender thread serialises
 * records (applying the capture mode) and works in one of two modes:
 *
 * <ul>
 *   <li><b>direct</b>: records go to an idempotent {@code acks=all} producer, key = request id. When
 *       a send fails (callback error, delivery timeout, or {@code send} blocking past
 *       {@code max.block.ms}), the thread stops sending, flushes the producer so every in-flight
 *       record gets its final outcome, spools exactly the records that failed (in append order) and
 *       closes the producer: records Kafka acknowledged are never spooled.
 *   <li><b>spooling</b>: every new record is appended to the spool (so nothing overtakes older
 *       spooled records). Every probe interval, if a TCP connection to a bootstrap server succeeds, a
 *       fresh producer drains the spool in batches, oldest first; a batch is committed in the spool
 *       only once Kafka acknowledged it. Before the first batch the topic is re-read from the last
 *       offsets acknowledged before any spooled record was sent ({@link ReconcileMark}); spooled
 *       records whose request id is already there (Kafka wrote them, the acknowledgement was lost)
 *       are dropped instead of sent again, which makes delivery exactly once. Records of a partly failed batch that Kafka did acknowledge
 *       are remembered and skipped on the retry. An empty spool switches back to direct mode.
 * </ul>
 *
 * <p>On start a non-empty spool (left by an earlier process) puts the log in spooling mode, so old
 * records are delivered before new ones. {@link #close()} sends or spools whatever is queued.
 */
public final class KafkaRequestLog implements RequestLog {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);
  private static final int BATCH = 500;
  /** How long the sender naps between looks at the queue while records flow (see nextRecord). */
  private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Empty naps (about a second) before the sender blocks on the queue again. */
  private static final int IDLE_NAPS = 1_000;
  private static final long SYNC_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** No acknowledgement for this long with sends in flight: check whether Kafka is still there. */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RequestLogConfig config;
  private final ObjectMapper json = Jackson.JSON;
  private final ArrayBlockingQueue<RequestLogRecord> queue;
  private final DiskSpool spool;
  private final Thread sender;
  private final AtomicBoolean closing = new AtomicBoolean();

  private final AtomicLong appended = new AtomicLong();
  private final AtomicLong queueDropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong drained = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  /** Records whose texts were cut to fit {@link #maxRecordBytes}. */
  private final AtomicLong truncated = new AtomicLong();
  /** The largest record value sent: the producer's max.request.size less room for the batch's framing. */
  private final int maxRecordBytes;
  private volatile long spoolDropped;
  private volatile long spoolRefused;
  private volatile long spoolPending;
  private volatile long spoolBytes;
  private volatile boolean spooling;

  // Sender-thread state.
  private KafkaProducer<String, byte[]> producer;
  private boolean topicChecked;
  private long seq;
  private final ConcurrentLinkedQueue<Failed> failed = new ConcurrentLinkedQueue<>();
  private volatile boolean failureSeen;
  /** Direct sends whose callback has not run yet. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Last time a direct send was acknowledged, or in-flight went from 0 to 1. */
  private volatile long lastProgressNanos = System.nanoTime();
  private long lastSync = System.nanoTime();
  private boolean spoolDirty;
  /** Sender thread only: consecutive empty looks at the queue (see nextRecord). */
  private int emptyNaps;
  /** Spool positions (record ends) acknowledged by Kafka in a partly failed drain batch. */
  private final Set<DiskSpool.Position> deliveredAhead = new HashSet<>();

  /**
   * Per partition, the offset after the highest one Kafka acknowledged to this log (written by the
   * producer's I/O thread, replaced as a whole so a send can keep a consistent snapshot cheaply).
   */
  private volatile Map<Integer, Long> acked = Map.of();
  private final Object ackLock = new Object();
  /**
   * Where the topic must be re-read before draining, because some spooled record may already be in
   * it (see {@link ReconcileMark}); null when no spooled record was ever handed to a producer.
   */
  private Map<Integer, Long> reconcileFrom;
  /**
   * Reconciliation done so far while the spool is not empty: request ids found in the topic, and
   * where the read got to (null: not started). A later recovery reads on from there.
   */
  private final Set<String> inTopic = new HashSet<>();
  private Map<Integer, Long> reconciledUpTo;

  /** A serialised record on its way to Kafka. */
  private record Pending(long seq, String key, byte[] value) {}

  /**
   * A direct send that failed: Kafka may still have written it (a lost acknowledgement). If it did,
   * it sits at or after {@code ackedAtSend}, the acknowledged offsets when it was sent.
   */
  private record Failed(Pending pending, Map<Integer, Long> ackedAtSend) {}

  /** Opens the spool and starts the sender thread. Does not wait for Kafka. */
  public KafkaRequestLog(RequestLogConfig config) {
    this.config = config;
    this.maxRecordBytes = Integer.parseInt(config.producerOverrides().getOrDefault("max.request.size", "1048576")) - (64 << 10);
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.spool = new DiskSpool(config.spoolDir(), config.spoolMaxBytes(), config.spoolSegmentBytes(),
        config.spoolFullPolicy());
    this.spooling = !spool.isEmpty();
    this.reconcileFrom = spooling ? readMark() : null;
    if (!spooling) {
      deleteMark();
    }
    refreshSpoolGauges();
    this.sender = new Thread(this::run, "requestlog-sender");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  @Override
  public void append(RequestLogRecord r) {
    appended.incrementAndGet();
    if (closing.get() || !queue.offer(r)) {
      queueDropped.incrementAndGet();
    }
  }

  /** Records logged with their texts cut to fit the broker (metadata.truncated). */
  public long truncated() {
    return truncated.get();
  }

  @Override
  public RequestLogStats stats() {
    return new RequestLogStats(appended.get(), delivered.get(), spooled.get(), drained.get(), spoolDropped,
        spoolRefused, queueDropped.get(), rejected.get(), spoolPending, spoolBytes, spooling);
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      sender.join(config.closeTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sender.isAlive()) {
      LOG.warn("request log: sender did not finish within {} ms; {} queued records not written",
          config.closeTimeout().toMillis(), queue.size());
      sender.interrupt();
    }
  }

  // ---------------------------------------------------------------- sender thread

  private void run() {
    try {
      long nextProbe = 0;
      List<RequestLogRecord> batch = new ArrayList<>(BATCH);
      while (!closing.get()) {
        batch.clear();
        RequestLogRecord first = nextRecord();
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
        }
        if (!spooling) {
          sendDirect(batch);
          if (failureSeen) {
            enterOutage(List.of(), false);
          } else if (stalled()) {
            if (!reachable()) {
              // Acks stopped and nobody listens: don't wait out the delivery timeout.
              enterOutage(List.of(), true);
            } else {
              lastProgressNanos = System.nanoTime(); // slow, not gone: check again in a while
            }
          }
        } else {
          toSpool(serialise(batch));
          long now = System.nanoTime();
          if (now >= nextProbe) {
            nextProbe = now + config.probeInterval().toNanos();
            if (reachable()) {
              drainSpool();
            }
          }
        }
        maybeSync();
      }
      shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("request log: sender thread stopped: {}", e.toString(), e);
    } finally {
      closeProducer();
      try {
        spool.close();
      } catch (RuntimeException e) {
        LOG.warn("request log: closing the spool failed: {}", e.getMessage());
      }
      refreshSpoolGauges();
    }
  }

  /**
   * The next queued record, or null after a short wait. While traffic flows the sender naps
   * {@link #NAP_NANOS} between looks instead of waiting on the queue: a thread waiting on the
   * queue's condition makes every {@code append()} on the event loop pay a futex wake-up and a
   * context switch, which costs more than the whole append. After {@link #IDLE_NAPS} empty
   * looks the sender blocks again, so an idle gateway does not poll.
   */
  private RequestLogRecord nextRecord() throws InterruptedException {
    RequestLogRecord r = queue.poll();
    if (r != null) {
      emptyNaps = 0;
      return r;
    }
    if (emptyNaps < IDLE_NAPS) {
      emptyNaps++;
      LockSupport.parkNanos(NAP_NANOS);
      return queue.poll();
    }
    r = queue.poll(50, TimeUnit.MILLISECONDS);
    if (r != null) {
      emptyNaps = 0;
    }
    return r;
  }

  /** Close: send or spool what is queued; nothing stays in memory. */
  private void shutdown() {
    List<RequestLogRecord> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!spooling) {
      sendDirect(rest);
      if (!spooling) {
        awaitInFlight();
        if (failureSeen) {
          enterOutage(List.of(), false);
        }
      }
    } else {
      toSpool(serialise(rest));
    }
  }

  private void sendDirect(List<RequestLogRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<Pending> pending = serialise(batch);
    if (producer == null && !reachable()) {
      // No producer yet (start, or after an outage) and nobody listening: don't wait for timeouts.
      enterOutage(pending, false);
      return;
    }
    ensureProducer();
    long blockedSince = 0;
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      if (failureSeen) {
        enterOutage(pending.subList(i, pending.size()), false);
        return;
      }
      try {
        if (inFlight.getAndIncrement() == 0) {
          lastProgressNanos = System.nanoTime();
        }
        Map<Integer, Long> ackedAtSend = acked;
        producer.send(new ProducerRecord<>(config.topic(), p.key(), p.value()), (md, err) -> {
          if (err == null) {
            noteAck(md);
            delivered.incrementAndGet();
            lastProgressNanos = System.nanoTime();
          } else if (isPermanent(err)) {
            rejected.incrementAndGet();
            LOG.warn("request log: Kafka refused record {} for good: {}", p.key(), err.toString());
          } else {
            failed.add(new Failed(p, ackedAtSend));
            failureSeen = true;
          }
          inFlight.decrementAndGet();
        });
        blockedSince = 0;
      } catch (RuntimeException e) {
        inFlight.decrementAndGet();
        // Buffer full (Kafka slower than traffic) or no metadata within max.block.ms (new topic,
        // busy broker, or Kafka gone). Retry while Kafka answers, up to the delivery timeout.
        long now = System.nanoTime();
        blockedSince = blockedSince == 0 ? now : blockedSince;
        if (now - blockedSince < config.deliveryTimeout().toNanos() && reachable()) {
          if (e instanceof BufferExhaustedException) {
            flushProducer();
          }
          i--;
          continue;
        }
        LOG.warn("request log: Kafka unavailable ({}); spooling to {}", e.getMessage(), config.spoolDir());
        enterOutage(pending.subList(i, pending.size()), true);
        return;
      }
    }
  }

  /** In-flight sends but no acknowledgement for a while. */
  private boolean stalled() {
    return inFlight.get() > 0 && System.nanoTime() - lastProgressNanos > STALL_NANOS;
  }

  /** Waits for every direct send's callback; gives up early if Kafka stops answering. */
  private void awaitInFlight() {
    long deadline = System.nanoTime() + config.deliveryTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      if (stalled()) {
        if (!reachable()) {
          closeProducer(); // fails the in-flight callbacks at once
        }
        lastProgressNanos = System.nanoTime();
      }
      sleepQuietly(2);
    }
  }

  /**
   * Kafka is unreachable: let every in-flight send finish (success or failure, bounded by the
   * delivery timeout; at once with {@code abort}), spool exactly the failed records plus {@code notSent} in append order,
   * drop the producer and switch to spooling.
   */
  private void enterOutage(List<Pending> notSent, boolean abort) {
    if (!spooling) {
      LOG.warn("request log: Kafka at {} not reachable; spooling to {}", config.bootstrapServers(), config.spoolDir());
    }
    if (abort) {
      // Kafka is gone: closing the producer now fails every in-flight send (they could only time out).
      closeProducer();
    }
    awaitInFlight();
    closeProducer();
    List<Pending> toSpool = new ArrayList<>(notSent);
    Map<Integer, Long> uncertainFrom = null;
    for (Failed f; (f = failed.poll()) != null; ) {
      toSpool.add(f.pending());
      uncertainFrom = ReconcileMark.min(uncertainFrom, f.ackedAtSend());
    }
    toSpool.sort(Comparator.comparingLong(Pending::seq));
    failureSeen = false;
    spooling = true;
    if (uncertainFrom != null) {
      // Before the records reach the spool: a later process draining it must reconcile too.
      setMark(ReconcileMark.min(reconcileFrom, uncertainFrom));
    }
    toSpool(toSpool);
  }

  private void toSpool(List<Pending> records) {
    for (Pending p : records) {
      if (spool.append(p.key(), p.value())) {
        spooled.incrementAndGet();
        spoolDirty = true;
      }
    }
    refreshSpoolGauges();
  }

  /** Delivers the spool oldest first; returns when it is empty (direct mode) or Kafka fails again. */
  private void drainSpool() {
    ensureProducer();
    boolean reconciled = false;
    while (true) {
      // Keep the global order: whatever arrived meanwhile goes behind the spooled records.
      List<RequestLogRecord> arrived = new ArrayList<>();
      queue.drainTo(arrived);
      toSpool(serialise(arrived));
      if (spool.isEmpty()) {
        spooling = false;
        deliveredAhead.clear();
        inTopic.clear();
        reconciledUpTo = null;
        setMark(null);
        LOG.info("request log: Kafka reachable again; spool drained");
        return;
      }
      if (!reconciled) {
        if (!reconcile()) {
          closeProducer(); // go on at the next probe; never drain before reconciling
          return;
        }
        reconciled = true;
      }
      List<SpooledRecord> recs = spool.peek(BATCH);
      int n = recs.size();
      // Written by the producer's I/O thread, read here after flush().
      AtomicIntegerArray ok = new AtomicIntegerArray(n);
      CountDownLatch done = new CountDownLatch(n);
      boolean sendFailed = false;
      for (int i = 0; i < n; i++) {
        SpooledRecord r = recs.get(i);
        if (deliveredAhead.contains(r.next()) || inTopic.contains(r.key())) {
          // Acknowledged in an earlier, partly failed batch, or written by Kafka although the
          // acknowledgement was lost: sending it again would duplicate it.
          ok.set(i, 1);
          done.countDown();
          continue;
        }
        final int idx = i;
        try {
          producer.send(new ProducerRecord<>(config.topic(), r.key(), r.value()), (md, err) -> {
            if (err == null) {
              noteAck(md);
            }
            if (err == null || isPermanent(err)) {
              if (err != null) {
                rejected.incrementAndGet();
              }
              ok.set(idx, 1);
            }
            done.countDown();
          });
        } catch (BufferExhaustedException e) {
          flushProducer();
          i--;
        } catch (RuntimeException e) {
          sendFailed = true;
          break;
        }
      }
      if (sendFailed) {
        closeProducer();
      }
      awaitBatch(done);
      int prefix = 0;
      while (prefix < n && ok.get(prefix) == 1) {
        prefix++;
      }
      if (prefix > 0) {
        spool.commit(recs.get(prefix - 1).next());
        int fresh = 0;
        for (int i = 0; i < prefix; i++) {
          if (!deliveredAhead.remove(recs.get(i).next())) {
            fresh++; // not already counted when a failed batch first delivered it
          }
        }
        drained.addAndGet(fresh);
        delivered.addAndGet(fresh);
        refreshSpoolGauges();
      }
      if (prefix < n || sendFailed) {
        for (int i = prefix; i < n; i++) {
          if (ok.get(i) == 1 && deliveredAhead.add(recs.get(i).next())) {
            drained.incrementAndGet();
            delivered.incrementAndGet();
          }
        }
        closeProducer();
        return;
      }
      if (closing.get()) {
        return;
      }
    }
  }

  /**
   * Before the first drain batch of a recovery: collects the request ids the topic holds from
   * {@link #reconcileFrom} to its end into {@link #inTopic}. Kafka wrote those records although this
   * log never got their acknowledgement; they are dropped from the spool instead of being sent
   * again. This is exact as long as request ids are unique (several gateways may share the topic).
   * With no mark yet, nothing spooled was ever sent: the mark becomes the current end offsets,
   * written before the first batch goes out so a crash between a batch's delivery and its spool
   * commit is reconciled by the next process. A long read is resumed at the next probe (progress is
   * kept until the spool is empty). Returns false if the topic is not read to its end yet.
   */
  private boolean reconcile() {
    Duration timeout = config.deliveryTimeout().compareTo(Duration.ofSeconds(10)) > 0
        ? config.deliveryTimeout() : Duration.ofSeconds(10);
    try {
      Map<Integer, Long> from = reconciledUpTo != null ? reconciledUpTo : reconcileFrom;
      TopicReconciler.Result r = TopicReconciler.keysSince(config.bootstrapServers(), config.topic(), from, timeout);
      if (reconcileFrom == null) {
        setMark(r.positions());
      }
      inTopic.addAll(r.keys());
      reconciledUpTo = r.positions();
      if (!r.keys().isEmpty()) {
        LOG.info("request log: reconciling with {}: {} spool-era records found after {}", config.topic(),
            r.keys().size(), from);
      }
      return r.complete();
    } catch (RuntimeException e) {
      LOG.warn("request log: cannot read {} to reconcile the spool ({}); retrying later", config.topic(), e.toString());
      return false;
    }
  }

  /** Records the highest acknowledged offset per partition (producer I/O thread). */
  private void noteAck(RecordMetadata md) {
    if (md == null || !md.hasOffset()) {
      return;
    }
    long next = md.offset() + 1;
    synchronized (ackLock) {
      Long cur = acked.get(md.partition());
      if (cur == null || next > cur) {
        Map<Integer, Long> m = new java.util.HashMap<>(acked);
        m.put(md.partition(), next);
        acked = Map.copyOf(m);
      }
    }
  }

  /** Sets the reconcile mark in memory and on disk; null clears it (spool empty). */
  private void setMark(Map<Integer, Long> mark) {
    if (mark == null && reconcileFrom == null) {
      return;
    }
    reconcileFrom = mark;
    try {
      if (mark == null) {
        ReconcileMark.delete(config.spoolDir());
      } else {
        ReconcileMark.write(config.spoolDir(), mark);
      }
    } catch (RuntimeException e) {
      // The mark still holds in memory; only a restart before the spool drains would miss it.
      LOG.warn("request log: {}", e.getMessage());
    }
  }

  private Map<Integer, Long> readMark() {
    try {
      return ReconcileMark.read(config.spoolDir());
    } catch (RuntimeException e) {
      LOG.warn("request log: {}; reconciling the spool against the whole topic", e.getMessage());
      return Map.of();
    }
  }

  private void deleteMark() {
    try {
      ReconcileMark.delete(config.spoolDir());
    } catch (RuntimeException e) {
      LOG.warn("request log: {}", e.getMessage());
    }
  }

  /** Waits for a drain batch's callbacks; if acks stop and Kafka is gone, aborts the producer. */
  private void awaitBatch(CountDownLatch done) {
    long deadline = System.nanoTime() + config.deliveryTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
    try {
      while (!done.await(STALL_NANOS, TimeUnit.NANOSECONDS)) {
        if (System.nanoTime() > deadline) {
          closeProducer();
        } else if (!reachable()) {
          closeProducer();
        }
        if (producer == null) {
          done.await(5, TimeUnit.SECONDS);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Pending> serialise(List<RequestLogRecord> batch) {
    List<Pending> out = new ArrayList<>(batch.size());
    for (RequestLogRecord r : batch) {
      try {
        RequestLogRecord captured = r.withCapture(config.capture());
        byte[] value = json.writeValueAsBytes(captured);
        if (value.length > maxRecordBytes) {
          value = fitted(captured, value.length);
        }
        out.add(new Pending(seq++, r.requestId(), value));
      } catch (Exception e) {
        rejected.incrementAndGet();
        LOG.warn("request log: cannot serialise record {}: {}", r.requestId(), e.getMessage());
      }
    }
    return out;
  }

  /**
   * A record over the producer's limit, its texts cut until it fits: Kafka refuses such a record
   * for good (1 MiB by default, while bodies may be 4 MiB), and an answered request must not go
   * unlogged. Each halving of the per-text budget is one more serialisation; a few at most.
   */
  private byte[] fitted(RequestLogRecord r, long originalBytes) throws java.io.IOException {
    int budget = maxRecordBytes / 2;
    byte[] value;
    do {
      value = json.writeValueAsBytes(r.truncated(budget, originalBytes));
      budget /= 2;
    } while (value.length > maxRecordBytes && budget >= 64);
    truncated.incrementAndGet();
    LOG.debug("request log: record {} cut from {} to {} bytes to fit the producer's limit", r.requestId(), originalBytes, value.length);
    return value;
  }

  private void ensureProducer() {
    if (producer != null) {
      return;
    }
    if (!topicChecked) {
      topicChecked = createTopicIfMissing();
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers());
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("linger.ms", "5");
    p.put("compression.type", "lz4");
    // A small producer buffer: a backlog waits in our queue, where no delivery timeout runs, rather
    // than in the producer, where a slow broker would expire it and send it to the spool.
    p.put("buffer.memory", Long.toString(4L << 20));
    long delivery = config.deliveryTimeout().toMillis();
    long request = Math.max(500, Math.min(10_000, delivery / 2 - 10));
    p.put("delivery.timeout.ms", Long.toString(delivery));
    p.put("request.timeout.ms", Long.toString(request));
    // send() waits this long for metadata when Kafka is down: short, the sender must move on to the spool.
    p.put("max.block.ms", "2000");
    p.put("reconnect.backoff.max.ms", "1000");
    p.put("client.id", "switchboard-requestlog");
    p.putAll(config.producerOverrides());
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Creates the topic if missing. Tolerates failure (auto-creation or an admin may have done it). */
  private boolean createTopicIfMissing() {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.bootstrapServers());
    p.put("request.timeout.ms", "2000");
    p.put("default.api.timeout.ms", "3000");
    p.put("client.id", "switchboard-requestlog-admin");
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(config.topic(), java.util.Optional.of(config.partitions()),
              java.util.Optional.empty())))
          .all().get(4, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return true;
      }
      LOG.warn("request log: cannot create topic {}: {}", config.topic(), e.getCause().getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.warn("request log: cannot create topic {}: {}", config.topic(), e.toString());
      return false;
    }
  }

  private void flushProducer() {
    if (producer != null) {
      try {
        producer.flush();
      } catch (RuntimeException e) {
        LOG.warn("request log: producer flush failed: {}", e.getMessage());
      }
    }
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("request log: producer close: {}", e.getMessage());
      }
      producer = null;
    }
  }

  /** A TCP connection to any bootstrap server: cheap, and quiet (the producer would log warnings). */
  private boolean reachable() {
    for (String hp : config.bootstrapServers().split(",")) {
      String s = hp.trim();
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        continue;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))), 500);
        return true;
      } catch (Exception e) {
        // try the next one
      }
    }
    return false;
  }

  /** Errors no retry can fix: spooling the record would only block the spool forever. */
  private static boolean isPermanent(Exception e) {
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidRecordException || e instanceof SerializationException;
  }

  private void maybeSync() {
    long now = System.nanoTime();
    if (spoolDirty && now - lastSync >= SYNC_EVERY_NANOS) {
      spool.sync();
      spoolDirty = false;
      lastSync = now;
    }
  }

  private void refreshSpoolGauges() {
    spoolDropped = spool.droppedRecords();
    spoolRefused = spool.refusedRecords();
    spoolPending = spool.pendingRecords();
    spoolBytes = spool.totalBytes();
  }

}
