package dev.switchboard.router.requestlog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log's one sender thread: takes records off the queue in batches and, depending on
 * {@link DeliveryState}, sends them directly or spools them; on close, sends or spools whatever is
 * still queued so nothing stays in memory.
 */
final class SenderLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);
  /** How long the sender naps between looks at the queue while records flow (see nextRecord). */
  private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Empty naps (about a second) before the sender blocks on the queue again. */
  private static final int IDLE_NAPS = 1_000;

  private final ArrayBlockingQueue<RequestLogRecord> queue;
  private final AtomicBoolean closing;
  private final RecordSerialiser serialiser;
  private final DirectSender direct;
  private final DeliveryState state;
  /** Consecutive empty looks at the queue (see nextRecord). */
  private int emptyNaps;

  SenderLoop(ArrayBlockingQueue<RequestLogRecord> queue, AtomicBoolean closing, RecordSerialiser serialiser,
      DirectSender direct, DeliveryState state) {
    this.queue = queue;
    this.closing = closing;
    this.serialiser = serialiser;
    this.direct = direct;
    this.state = state;
  }

  @Override
  public void run() {
    try {
      List<RequestLogRecord> batch = new ArrayList<>(SpoolDrainer.BATCH);
      while (!closing.get()) {
        batch.clear();
        RequestLogRecord first = nextRecord();
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, SpoolDrainer.BATCH - 1);
        }
        if (!state.spooling()) {
          sendDirect(batch);
          enterIfOutage(direct.check());
        } else {
          state.spool(serialiser.serialise(batch));
          state.probeAndDrain();
        }
        state.syncIfDue();
      }
      shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("request log: sender thread stopped: {}", e.toString(), e);
    } finally {
      state.close();
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
    if (!state.spooling()) {
      sendDirect(rest);
      if (!state.spooling()) {
        direct.awaitInFlight();
        if (direct.failureSeen()) {
          state.enter(new DirectSender.Outage(List.of(), false));
        }
      }
    } else {
      state.spool(serialiser.serialise(rest));
    }
  }

  private void sendDirect(List<RequestLogRecord> batch) {
    if (!batch.isEmpty()) {
      enterIfOutage(direct.send(serialiser.serialise(batch)));
    }
  }

  private void enterIfOutage(DirectSender.Outage outage) {
    if (outage != null) {
      state.enter(outage);
    }
  }
}
