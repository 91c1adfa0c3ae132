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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores prompts off the event loop. A fixed set of worker threads (one per core by default)
 * take jobs from one queue; a worker that finds more jobs waiting scores them as one batch
 * (micro-batching: under load the encoder runs fewer, larger calls). Completion is handed back
 * to the caller's event-loop context. Jobs whose caller gave up (deadline) are skipped.
 */
public final class ScoringService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

  private final Classifier classifier;
  private final BlockingQueue<Job> queue;
  private final int maxBatch;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean closed;

  /** One prompt waiting to be scored. {@code abandoned} is set when the caller's deadline passed. */
  static final class Job {
    final ScoringInput input;
    final Promise<Scores> promise;
    final Context context;
    volatile boolean abandoned;

    Job(ScoringInput input, Promise<Scores> promise, Context context) {
      this.input = input;
      this.promise = promise;
      this.context = context;
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
   * Queues a prompt; the future completes on {@code context}. Fails at once when the queue is
   * full (the caller falls back rather than waiting behind a backlog).
   *
   * @return the future and a handle to abandon the job
   */
  public Job submit(ScoringInput input, Context context) {
    Promise<Scores> p = Promise.promise();
    Job job = new Job(input, p, context);
    if (closed || !queue.offer(job)) {
      p.tryFail(new ScoringRejected(closed ? "the scoring service is closed" : "the scoring queue is full"));
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
        if (!first.abandoned) batch.add(first);
        List<Job> more = new ArrayList<>();
        queue.drainTo(more, maxBatch - 1);
        for (Job j : more) if (!j.abandoned) batch.add(j);
        if (batch.isEmpty()) continue;
        for (Job j : batch) inputs.add(j.input);
        score(batch, inputs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("scoring worker failed", e);
      }
    }
  }

  private void score(List<Job> batch, List<ScoringInput> inputs) {
    try {
      List<Scores> scores = batch.size() == 1 ? List.of(classifier.score(inputs.get(0))) : classifier.scoreBatch(inputs);
      for (int i = 0; i < batch.size(); i++) {
        Job j = batch.get(i);
        Scores s = scores.get(i);
        j.context.runOnContext(v -> j.promise.tryComplete(s));
      }
    } catch (RuntimeException batchFailure) {
      // One bad prompt must not fail its batch-mates: score them one by one.
      for (Job j : batch) {
        try {
          Scores s = classifier.score(j.input);
          j.context.runOnContext(v -> j.promise.tryComplete(s));
        } catch (RuntimeException e) {
          j.context.runOnContext(v -> j.promise.tryFail(e));
        }
      }
    }
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
