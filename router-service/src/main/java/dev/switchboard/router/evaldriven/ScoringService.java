package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.Scores;
import dev.switchboard.classifier.ScoringInput;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores prompts off the event loop. A fixed set of worker threads (one per core by default)
 * take jobs from one queue; a worker that finds more jobs waiting scores them as one batch
 * (micro-batching: under load the encoder runs fewer, larger calls). Completion is handed back
 * to the caller's event-loop context. Jobs whose caller gave up (deadline) are skipped; prompts
 * already in the classifier's cache are answered on the caller's thread without queueing.
 */
public final class ScoringService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

  private final Classifier classifier;
  private final BlockingQueue<Job> queue;
  private final int maxBatch;
  private final List<Thread> workers = new ArrayList<>();
  /** Jobs queued whose callers still wait (abandoned ones are skipped at no cost, so not counted). */
  private final AtomicInteger waiting = new AtomicInteger();
  /** Prompts the workers are encoding right now. */
  private final AtomicInteger inService = new AtomicInteger();
  /** Recent encoder time per prompt (moving average, written by workers): prices the queue. */
  private volatile long nanosPerPrompt;
  private volatile boolean closed;

  /** One prompt waiting to be scored. */
  static final class Job {
    private static final int QUEUED = 0, TAKEN = 1, ABANDONED = 2;
    final ScoringInput input;
    final Promise<Scores> promise;
    final Context context;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final ScoringService owner;

    Job(ScoringInput input, Promise<Scores> promise, Context context, ScoringService owner) {
      this.input = input;
      this.promise = promise;
      this.context = context;
      this.owner = owner;
    }

    /** The caller stopped waiting (deadline): a worker that finds the job later skips it. */
    void abandon() {
      if (state.compareAndSet(QUEUED, ABANDONED)) owner.waiting.decrementAndGet();
    }

    /** A worker takes the job; false if its caller gave up first. */
    boolean take() {
      if (!state.compareAndSet(QUEUED, TAKEN)) return false;
      owner.waiting.decrementAndGet();
      return true;
    }
  }

  public ScoringService(Classifier classifier, int workers, int maxBatch, int queueCapacity) {
    this.classifier = classifier;
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    CountDownLatch warm = new CountDownLatch(workers);
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(() -> {
        warmUp();
        warm.countDown();
        work();
      }, "switchboard-scoring-" + i);
      t.setDaemon(true);
      t.start();
      this.workers.add(t);
    }
    try {
      if (!warm.await(120, TimeUnit.SECONDS)) LOG.warn("scoring workers still warming up after 120 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Each worker has its own predictor (DJL's are not thread-safe), created on first use; scoring
   * a few prompts here creates it and lets the JIT compile the path before the first request,
   * which would otherwise miss its deadline and go to the route's default.
   */
  private void warmUp() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      sb.append("Warm-up sentence ").append(i).append(" of ").append(Thread.currentThread().getName()).append(" about routing. ");
      try {
        classifier.score(ScoringInput.ofText(sb.toString()));
      } catch (RuntimeException e) {
        LOG.warn("scoring warm-up failed: {}", e.toString());
        return;
      }
    }
  }

  public Classifier classifier() {
    return classifier;
  }

  /**
   * Scores answered from the classifier's cache, or null. One hash of the prompt: cheap enough
   * for the event loop, and a cached prompt then never waits behind uncached ones in the queue.
   */
  public Scores cached(ScoringInput input) {
    return classifier.cached(input);
  }

  /**
   * Queues a prompt; the future completes on {@code context}. Fails at once, rather than let the
   * caller wait for nothing, when the queue is full or when the prompts already waiting would keep
   * the workers busy past {@code budgetNanos} (the caller's deadline): under overload a request
   * then goes to its default immediately instead of after the whole deadline.
   *
   * @return the future and a handle to abandon the job
   */
  public Job submit(ScoringInput input, Context context, long budgetNanos) {
    Promise<Scores> p = Promise.promise();
    Job job = new Job(input, p, context, this);
    if (closed) {
      p.tryFail(new ScoringRejected("the scoring service is closed"));
      return job;
    }
    // Prompts being encoded are half done on average.
    long ahead = (2L * waiting.get() + inService.get()) * nanosPerPrompt / (2L * workers.size());
    if (ahead > budgetNanos) {
      p.tryFail(new ScoringRejected("about " + ahead / 1_000_000 + " ms of scoring is queued ahead, past the "
          + budgetNanos / 1_000_000 + " ms deadline"));
      return job;
    }
    waiting.incrementAndGet();
    if (!queue.offer(job)) {
      waiting.decrementAndGet();
      p.tryFail(new ScoringRejected("the scoring queue is full"));
    }
    return job;
  }

  public static Future<Scores> future(Job job) {
    return job.promise.future();
  }

  private void work() {
    List<Job> batch = new ArrayList<>(maxBatch);
    List<ScoringInput> inputs = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        Job first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.clear();
        inputs.clear();
        if (first.take()) batch.add(first);
        List<Job> more = new ArrayList<>();
        queue.drainTo(more, maxBatch - 1);
        for (Job j : more) if (j.take()) batch.add(j);
        if (batch.isEmpty()) continue;
        for (Job j : batch) inputs.add(j.input);
        inService.addAndGet(batch.size());
        Object[] results;
        try {
          results = score(batch, inputs);
        } finally {
          // Before the callers hear back, so the work they see finished is no longer priced as queued.
          inService.addAndGet(-batch.size());
        }
        for (int i = 0; i < batch.size(); i++) {
          Job j = batch.get(i);
          Object r = results[i];
          j.context.runOnContext(v -> {
            if (r instanceof Scores s) j.promise.tryComplete(s);
            else j.promise.tryFail((Throwable) r);
          });
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("scoring worker failed", e);
      }
    }
  }

  /** Per job, its {@link Scores} or the exception that scoring it threw. */
  private Object[] score(List<Job> batch, List<ScoringInput> inputs) {
    Object[] out = new Object[batch.size()];
    try {
      long t0 = System.nanoTime();
      List<Scores> scores = batch.size() == 1 ? List.of(classifier.score(inputs.get(0))) : classifier.scoreBatch(inputs);
      long perPrompt = (System.nanoTime() - t0) / batch.size();
      long before = nanosPerPrompt;
      nanosPerPrompt = before == 0 ? perPrompt : (7 * before + perPrompt) / 8; // racy between workers; an estimate
      for (int i = 0; i < out.length; i++) out[i] = scores.get(i);
    } catch (RuntimeException batchFailure) {
      // One bad prompt must not fail its batch-mates: score them one by one.
      for (int i = 0; i < out.length; i++) {
        try {
          out[i] = classifier.score(inputs.get(i));
        } catch (RuntimeException e) {
          out[i] = e;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) t.interrupt();
    for (Thread t : workers) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    classifier.close();
  }

  /** Scoring was refused (queue full or closed). */
  public static final class ScoringRejected extends RuntimeException {
    ScoringRejected(String message) {
      super(message, null, false, false);
    }
  }
}
