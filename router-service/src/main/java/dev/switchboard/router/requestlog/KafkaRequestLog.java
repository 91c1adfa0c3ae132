package dev.switchboard.router.requestlog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
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
 *       {@code max.block.ms}), the thread stops sending, lets every in-flight record get its final
 *       outcome, spools exactly the records that failed (in append order) and closes the producer:
 *       records Kafka acknowledged are never spooled.
 *   <li><b>spooling</b>: every new record is appended to the spool (so nothing overtakes older
 *       spooled records). Every probe interval, if a TCP connection to a bootstrap server succeeds, a
 *       fresh producer drains the spool in batches, oldest first; a batch is committed in the spool
 *       only once Kafka acknowledged it. Before the first batch the topic is re-read from the last
 *       offsets acknowledged before any spooled record was sent ({@link ReconcileMark}); spooled
 *       records whose request id is already there (Kafka wrote them, the acknowledgement was lost)
 *       are dropped instead of sent again, which makes delivery exactly once. Records of a partly
 *       failed batch that Kafka did acknowledge are remembered and skipped on the retry. An empty
 *       spool switches back to direct mode.
 * </ul>
 *
 * <p>On start a non-empty spool (left by an earlier process) puts the log in spooling mode, so old
 * records are delivered before new ones. {@link #close()} sends or spools whatever is queued.
 *
 * <h2>Where each job lives</h2>
 * This class only wires the parts and owns the queue. {@link SenderLoop} is the sender thread;
 * {@link DeliveryState} the direct/spooling state machine; {@link DirectSender} direct sends and
 * their in-flight bookkeeping; {@link SpoolDrainer} the drain; {@link Reconciliation} the lost-ack
 * check; {@link ProducerSlot} the producer's lifecycle; {@link RecordSerialiser} capture and JSON;
 * {@link RequestLogCounters} the statistics. Everything that touches Kafka goes through
 * {@link KafkaClients} (the broker probe, {@link BrokerProbe}, included), and every reading of time
 * through one clock, so tests drive outages with Kafka's {@code MockProducer} and a clock they move.
 * All parts log under this class's name, so one logger setting still covers the whole request log.
 */
public final class KafkaRequestLog implements RequestLog {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);

  private final RequestLogConfig config;
  private final ArrayBlockingQueue<RequestLogRecord> queue;
  private final RequestLogCounters counters = new RequestLogCounters();
  private final DeliveryState state;
  private final Thread sender;
  private final AtomicBoolean closing = new AtomicBoolean();

  /**
   * Opens the spool and starts the sender thread. Does not wait for Kafka.
   *
   * @param config where to log and how
   */
  public KafkaRequestLog(RequestLogConfig config) {
    this(config, new LiveKafkaClients(config, System::nanoTime), System::nanoTime);
  }

  /**
   * The same with its seams exposed, for tests.
   *
   * @param kafka every client of Kafka the log uses
   * @param clock nanoseconds, {@code System::nanoTime} outside tests: every deadline, probe interval
   *     and stall the log measures is measured on it (waiting itself is real time)
   */
  KafkaRequestLog(RequestLogConfig config, KafkaClients kafka, LongSupplier clock) {
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    DiskSpool spool = new DiskSpool(config.spoolDir(), config.spoolMaxBytes(), config.spoolSegmentBytes(),
        config.spoolFullPolicy());
    RecordSerialiser serialiser = new RecordSerialiser(config, counters);
    ProducerSlot producer = new ProducerSlot(kafka);
    AckedOffsets acked = new AckedOffsets();
    Reconciliation reconciliation = new Reconciliation(config, kafka, spool.isEmpty());
    DirectSender direct = new DirectSender(config, kafka, producer, acked, counters, clock);
    SpoolDrainer drainer = new SpoolDrainer(config, kafka, spool, producer, acked, reconciliation, counters, clock,
        closing::get);
    Supplier<List<Pending>> arrivals = () -> {
      List<RequestLogRecord> arrived = new ArrayList<>();
      queue.drainTo(arrived);
      return serialiser.serialise(arrived);
    };
    this.state = new DeliveryState(config, kafka, spool, producer, direct, drainer, reconciliation, counters, clock,
        arrivals);
    this.sender = new Thread(new SenderLoop(queue, closing, serialiser, direct, state), "requestlog-sender");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  @Override
  public void append(RequestLogRecord r) {
    counters.appended.incrementAndGet();
    if (closing.get() || !queue.offer(r)) {
      counters.queueDropped.incrementAndGet();
    }
  }

  /**
   * Records logged with their texts cut to fit the broker (metadata.truncated).
   *
   * @return how many since the log was opened
   */
  public long truncated() {
    return counters.truncated.get();
  }

  @Override
  public RequestLogStats stats() {
    return counters.snapshot(state.spooling());
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
}
