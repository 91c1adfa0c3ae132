package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.Scores;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.classifier.encoder.MiniLmEncoder;
import dev.switchboard.classifier.encoder.StaticManifest;
import dev.switchboard.classifier.text.PromptText;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores prompts off the event loop. A fixed set of worker threads (one per core by default)
 * take jobs from one queue; a worker that finds more jobs waiting scores them as one batch
 * (micro-batching: under load the static encoder and the router graph run one call per batch;
 * MiniLM still encodes prompt by prompt). Completion is handed back
 * to the caller's event-loop context. Jobs whose caller gave up (deadline) are skipped, and so are
 * jobs whose own encoding would end after their deadline (priced by their length); prompts
 * already in the classifier's cache are answered on the caller's thread without queueing, and so
 * are short prompts of a classifier that runs in plain Java ({@code EvalDrivenRouting}).
 *
 * <p>Each job names the classifier it is scored with (the one of the policy that decided it) and
 * holds a reference to it until a worker is done with it, so a classifier swapped out while jobs
 * wait is closed only after them. {@link #warm} runs a new classifier on every worker before it
 * serves.
 */
final class ScoringService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);
  private static final long PROBE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Per-call cost (tokenizer, heads, hand-offs) in token equivalents. */
  private static final int FIXED_UNITS = 8;
  /**
   * ~17,000 characters of ordinary prose: longer than what any encoder embeds (MiniLM cuts it to 256
   * tokens; the static encoder reads PromptText's 16,384 characters, ~3,500 tokens), so it is the
   * slowest prompt there is for either.
   */
  private static final String LONG_PROMPT = ("Compare two ways of storing time series on disk, a log-structured merge tree "
      + "and a columnar file with per-block statistics, for a workload of many small writes and rare range scans. ").repeat(90);

  private final BlockingQueue<Job> queue;
  private final int maxBatch;
  private final List<Thread> workers = new ArrayList<>();
  /** Per worker: classifiers to warm before its next job. */
  private final List<ConcurrentLinkedQueue<WarmTask>> mailboxes = new ArrayList<>();
  /** {@link #units Units} of the jobs queued whose callers still wait (abandoned ones are skipped at no cost, so not counted). */
  private final AtomicLong waitingUnits = new AtomicLong();
  /** Units of the prompts the workers are scoring right now. */
  private final AtomicLong inServiceUnits = new AtomicLong();
  /** Time a worker took to score a prompt at the encoder's token cap, measured at its last warm-up (0 before). */
  private volatile long longPromptNanos;
  /**
   * The one price: recent scoring time per {@link #units unit} of prompt length (moving average
   * over batches, seeded by the warm-up's long prompt). It prices the work queued ahead of a new
   * prompt (admission) and tells a worker whether a job can still make its deadline.
   */
  private volatile long nanosPerUnit;
  /** When a worker last finished a batch, or claimed a probe ({@link #clock}). */
  private final AtomicLong lastScoredAt;
  /**
   * Now, in nanoseconds ({@code System::nanoTime}): deadlines, and the quiet second after which a
   * prompt is scored whatever its price. Injected so a test can pass that second without waiting it.
   */
  private final java.util.function.LongSupplier clock;
  /** Workers time the long prompt one at a time (see {@link #warmUp}). */
  private final Object longPromptTiming = new Object();
  private volatile boolean closed;

  /** One prompt waiting to be scored. */
  static final class Job {
    private static final int QUEUED = 0, TAKEN = 1, ABANDONED = 2;
    final ScoringInput input;
    final Promise<Scores> promise;
    final Context context;
    /** The clock's time by which the caller needs the scores. */
    final long deadline;
    /** Referenced (acquired) by the submitter; released by the worker that dequeues the job. */
    final LoadedClassifier classifier;
    /** Its encoding cost ({@link ScoringService#units}), set when it is submitted. */
    int units;
    /** The prompt as the classifier reads it, made once when the job is priced (null: invalid, the classifier says why). */
    PromptText.View view;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final ScoringService owner;

    Job(ScoringInput input, Promise<Scores> promise, Context context, long deadline, LoadedClassifier classifier,
        ScoringService owner) {
      this.input = input;
      this.promise = promise;
      this.context = context;
      this.deadline = deadline;
      this.classifier = classifier;
      this.owner = owner;
    }

    /** The caller stopped waiting (deadline): a worker that finds the job later skips it. */
    void abandon() {
      if (state.compareAndSet(QUEUED, ABANDONED)) owner.waitingUnits.addAndGet(-units);
    }

    /** A worker takes the job (now in service); false if its caller gave up first. */
    boolean take() {
      if (!state.compareAndSet(QUEUED, TAKEN)) return false;
      // In service before no longer waiting: admission must never see the queue emptier than it is.
      owner.inServiceUnits.addAndGet(units);
      owner.waitingUnits.addAndGet(-units);
      return true;
    }
  }

  /** A classifier to warm on every worker; done when the last worker finished. */
  private record WarmTask(Classifier classifier, AtomicInteger left, CompletableFuture<Void> done) {}

  /** Starts the workers and warms {@code initial} on each of them before returning. */
  public ScoringService(Classifier initial, int workers, int maxBatch, int queueCapacity) {
    this(initial, workers, maxBatch, queueCapacity, System::nanoTime);
  }

  /** @param clock now in nanoseconds, {@code System::nanoTime} outside tests */
  public ScoringService(Classifier initial, int workers, int maxBatch, int queueCapacity, java.util.function.LongSupplier clock) {
    this.clock = clock;
    this.lastScoredAt = new AtomicLong(clock.getAsLong());
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    CountDownLatch warm = new CountDownLatch(workers);
    for (int i = 0; i < workers; i++) {
      ConcurrentLinkedQueue<WarmTask> mailbox = new ConcurrentLinkedQueue<>();
      mailboxes.add(mailbox);
      Thread t = new Thread(() -> {
        warmUp(initial);
        warm.countDown();
        work(mailbox);
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
   *
   * @return the failure, or null
   */
  private RuntimeException warmUp(Classifier classifier) {
    StringBuilder sb = new StringBuilder();
    String worker = Thread.currentThread().getName();
    try {
      for (int i = 0; i < 16; i++) {
        sb.append("Warm-up sentence ").append(i).append(" of ").append(worker).append(" about routing. ");
        classifier.score(ScoringInput.ofText(sb.toString()));
      }
      // The slowest prompt there is: one at the encoder's cap (longer ones are cut to it). Timed
      // here, where it is cheap, because on a slow CPU it can exceed the scoring deadline, and then
      // every long prompt goes to its route's default: the operator must hear of it at startup.
      // One worker at a time and the fastest of three: at startup the other workers and the JIT
      // compete for the cores, which doubled the time on 2 cores (132 vs 61 ms) when measured together.
      long best = Long.MAX_VALUE;
      synchronized (longPromptTiming) {
        for (int i = 0; i < 3; i++) {
          String prompt = "Long warm-up prompt " + i + " of " + worker + " at " + System.nanoTime() + ": " + LONG_PROMPT;
          long t0 = System.nanoTime();
          classifier.score(ScoringInput.ofText(prompt));
          best = Math.min(best, System.nanoTime() - t0);
        }
      }
      longPromptNanos = best;
      if (nanosPerUnit == 0) nanosPerUnit = best / units(ScoringInput.ofText(LONG_PROMPT), tokenCap(classifier));
      return null;
    } catch (RuntimeException e) {
      LOG.warn("scoring warm-up failed: {}", e.toString());
      return e;
    }
  }

  /**
   * Fastest of three times one worker took to score a prompt at the encoder's token cap (the longest it
   * encodes), measured when the last classifier was warmed; 0 before.
   */
  public long longPromptNanos() {
    return longPromptNanos;
  }

  /**
   * Warms {@code classifier} on every worker (each creates its own predictors and lets the JIT
   * see the path) between jobs. The future fails if scoring fails on any worker: such a
   * classifier must not serve.
   */
  public CompletableFuture<Void> warm(Classifier classifier) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(ScoringRejected.overloaded("the scoring service is closed"));
      return done;
    }
    WarmTask task = new WarmTask(classifier, new AtomicInteger(mailboxes.size()), done);
    for (ConcurrentLinkedQueue<WarmTask> m : mailboxes) m.add(task);
    return done;
  }

  /**
   * Scores answered from {@code classifier}'s cache, or null. One hash of the prompt: cheap enough
   * for the event loop, and a cached prompt then never waits behind uncached ones in the queue.
   * The caller holds a reference to {@code classifier}.
   */
  public Scores cached(ScoringInput input, LoadedClassifier classifier) {
    return classifier.classifier().cached(input);
  }

  /**
   * Queues a prompt for {@code classifier}, whose reference the job takes over (released once a
   * worker is done with it, or at once when the job is refused); the future completes on
   * {@code context}. Fails at once, rather than let the caller wait for nothing, when the queue is
   * full or when the prompts already waiting would keep the workers busy past {@code budgetNanos}
   * (the caller's deadline): under overload a request then goes to its default immediately instead
   * of after the whole deadline.
   *
   * @return the future and a handle to abandon the job
   */
  public Job submit(ScoringInput input, Context context, long budgetNanos, LoadedClassifier classifier) {
    return submit(input, null, context, budgetNanos, classifier);
  }

  /** As {@link #submit(ScoringInput, Context, long, LoadedClassifier)} with the prompt's view already made (null: the worker makes it). */
  public Job submit(ScoringInput input, PromptText.View view, Context context, long budgetNanos, LoadedClassifier classifier) {
    Promise<Scores> p = Promise.promise();
    Job job = new Job(input, p, context, clock.getAsLong() + budgetNanos, classifier, this);
    job.view = view != null ? view : viewOf(input);
    job.units = units(job.view, tokenCap(classifier.classifier()));
    if (closed) {
      classifier.release();
      p.tryFail(ScoringRejected.overloaded("the scoring service is closed"));
      return job;
    }
    // Prompts being encoded are half done on average. A job is late unless the work ahead of it
    // *and its own* encoding fit the budget; admitting it anyway spends a worker on an answer
    // nobody waits for and keeps its caller waiting the whole deadline. With nothing ahead it is
    // always admitted: that is how the price per prompt is re-learned after a slow spell.
    long price = nanosPerUnit;
    long ahead = (2L * waitingUnits.get() + inServiceUnits.get()) * price / (2L * workers.size());
    long own = job.units * price;
    if (ahead > 0 && ahead + own > budgetNanos) {
      classifier.release();
      p.tryFail(ScoringRejected.overloaded("about " + ahead / 1_000_000 + " ms of scoring is queued ahead, past the "
          + budgetNanos / 1_000_000 + " ms deadline with its own ~" + own / 1_000_000 + " ms"));
      return job;
    }
    waitingUnits.addAndGet(job.units);
    if (!queue.offer(job)) {
      waitingUnits.addAndGet(-job.units);
      classifier.release();
      p.tryFail(ScoringRejected.overloaded("the scoring queue is full"));
    }
    return job;
  }

  /** What scoring {@code input} is expected to take now (0 before the first warm-up). */
  long priceOf(ScoringInput input, Classifier classifier) {
    return units(input, tokenCap(classifier)) * nanosPerUnit;
  }


  /** Where a classifier's encoder stops reading, in ~tokens: MiniLM's 256, a static encoder's budget, or all of PromptText's cap. */
  static int tokenCap(Classifier classifier) {
    String id = classifier.card().encoderId();
    if (!Encoders.isStatic(id)) {
      return MiniLmEncoder.MAX_TOKENS;
    }
    int budget = StaticManifest.maxTokensOf(id);
    return budget > 0 ? budget : 2 * PromptText.KEEP_CHARS / 4;
  }

  /**
   * A prompt's encoding cost in ~tokens: a fixed part plus the text the encoder embeds at ~4
   * characters per token, capped where the encoder stops reading ({@link #tokenCap}). An estimate
   * from characters: an exact count would tokenize every prompt twice (the classifier tokenizes it
   * again). A prompt the classifier will reject counts as the fixed part (it fails fast).
   */
  static int units(ScoringInput input, int capTokens) {
    return units(viewOf(input), capTokens);
  }

  static int units(PromptText.View view, int capTokens) {
    return view == null ? FIXED_UNITS : FIXED_UNITS + Math.min(capTokens, view.embedText().length() / 4);
  }

  /** The classifier's view of {@code input}, or null when it is invalid (the classifier then fails it with the reason). */
  private static PromptText.View viewOf(ScoringInput input) {
    try {
      return PromptText.of(input);
    } catch (RuntimeException e) {
      return null;
    }
  }

  public static Future<Scores> future(Job job) {
    return job.promise.future();
  }

  private void work(ConcurrentLinkedQueue<WarmTask> mailbox) {
    List<Job> taken = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        for (WarmTask w; (w = mailbox.poll()) != null; ) {
          RuntimeException failed = warmUp(w.classifier());
          if (failed != null) w.done().completeExceptionally(failed);
          else if (w.left().decrementAndGet() == 0) w.done().complete(null);
        }
        Job first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        taken.clear();
        taken.add(first);
        queue.drainTo(taken, maxBatch - 1);
        // One batch per classifier: during a swap jobs of the old and the new one may queue together.
        Map<LoadedClassifier, List<Job>> byClassifier = new IdentityHashMap<>();
        long now = clock.getAsLong();
        long price = nanosPerUnit;
        // With no batch finished for a second, score anyway: the price is re-learned only from what
        // is scored. One worker claims the probe (moving the clock), so the others keep refusing.
        long last = lastScoredAt.get();
        boolean probe = now - last > PROBE_AFTER_NANOS && lastScoredAt.compareAndSet(last, now);
        for (Job j : taken) {
          if (!j.take()) {
            j.classifier.release(); // abandoned by its caller
            continue;
          }
          int units = j.units;
          if (!probe && price > 0 && now + units * price > j.deadline) {
            inServiceUnits.addAndGet(-units);
            j.classifier.release();
            String why = "its encoding (~" + units * price / 1_000_000 + " ms for a prompt of ~" + units
                + " tokens on this CPU) would end after its deadline, " + Math.max(0, j.deadline - now) / 1_000_000 + " ms away";
            j.context.runOnContext(v -> j.promise.tryFail(ScoringRejected.tooLate(why)));
            continue;
          }
          byClassifier.computeIfAbsent(j.classifier, c -> new ArrayList<>()).add(j);
        }
        long unsettled = byClassifier.values().stream().flatMap(List::stream).mapToLong(j -> j.units).sum(); // taken, so counted in service
        try {
          for (Map.Entry<LoadedClassifier, List<Job>> e : byClassifier.entrySet()) {
            List<Job> batch = e.getValue();
            List<ScoringInput> inputs = batch.stream().map(j -> j.input).toList();
            List<PromptText.View> views = batch.stream().map(j -> j.view).collect(java.util.stream.Collectors.toList()); // may hold nulls
            int units = batch.stream().mapToInt(j -> j.units).sum();
            Object[] results;
            try {
              results = score(e.getKey().classifier(), inputs, views, units);
            } finally {
              // Before the callers hear back, so the work they see finished is no longer priced as queued.
              inServiceUnits.addAndGet(-units);
              unsettled -= units;
              for (int i = 0; i < batch.size(); i++) e.getKey().release();
            }
            for (int i = 0; i < batch.size(); i++) {
              Job j = batch.get(i);
              Object r = results[i];
              j.context.runOnContext(v -> {
                if (r instanceof Scores s) j.promise.tryComplete(s);
                else j.promise.tryFail((Throwable) r);
              });
            }
          }
        } finally {
          inServiceUnits.addAndGet(-unsettled); // batches a failure skipped must not count as busy for ever
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("scoring worker failed", e);
      }
    }
  }

  /** Per input, its {@link Scores} or the exception that scoring it threw. */
  private Object[] score(Classifier classifier, List<ScoringInput> inputs, List<PromptText.View> views, int units) {
    Object[] out = new Object[inputs.size()];
    try {
      long t0 = System.nanoTime();
      List<Scores> scores = classifier.scoreBatch(inputs, views);
      long t1 = System.nanoTime(); // t0..t1 is work done: real time, whatever the clock
      lastScoredAt.set(clock.getAsLong());
      long perUnit = (t1 - t0) / Math.max(1, units);
      long beforeUnit = nanosPerUnit;
      nanosPerUnit = beforeUnit == 0 ? perUnit : (7 * beforeUnit + perUnit) / 8; // racy between workers; an estimate
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

  /** Stops the workers; jobs still queued fail and give their classifier references back. */
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
    List<Job> left = new ArrayList<>();
    queue.drainTo(left);
    for (Job j : left) {
      j.classifier.release();
      j.context.runOnContext(v -> j.promise.tryFail(ScoringRejected.overloaded("the scoring service is closed")));
    }
    for (ConcurrentLinkedQueue<WarmTask> m : mailboxes) {
      for (WarmTask w; (w = m.poll()) != null; ) w.done().completeExceptionally(ScoringRejected.overloaded("the scoring service is closed"));
    }
  }

  /** Scoring was refused: queue full, too much queued ahead, or closed ({@code overloaded}); or the prompt's own encoding would end after its deadline ({@code timeout}). */
  public static final class ScoringRejected extends RuntimeException {
    private final String reason;

    private ScoringRejected(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    static ScoringRejected overloaded(String message) {
      return new ScoringRejected("overloaded", message);
    }

    static ScoringRejected tooLate(String message) {
      return new ScoringRejected("timeout", message);
    }

    /** The routing fallback reason: {@code overloaded} or {@code timeout}. */
    public String reason() {
      return reason;
    }
  }
}
