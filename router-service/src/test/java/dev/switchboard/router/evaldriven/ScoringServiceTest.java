package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.classifier.Scores;
import dev.switchboard.classifier.base.ScoringInput;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scoring queue's admission (shed what cannot make its deadline) and the cache fast path. */
class ScoringServiceTest {
  /** Added to System.nanoTime() on the service's clock: passes time without waiting it. */
  private static final java.util.concurrent.atomic.AtomicLong skew = new java.util.concurrent.atomic.AtomicLong();
  private static final long LONG_BUDGET = TimeUnit.SECONDS.toNanos(60);
  private static Vertx vertx;
  private static ScoringService scoring;
  private static LoadedClassifier classifier;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // One worker, so what is queued waits behind what is being scored; the slow fixture classifier
    // (MiniLM, milliseconds per prompt), because the shipped default scores in microseconds.
    Classifier c = Classifier.load(dev.switchboard.router.testkit.SlowClassifier.dir(), new ClassifierOptions(1, 100));
    classifier = new LoadedClassifier(c, "fixtures/minilm-classifier", java.time.Instant.now());
    scoring = new ScoringService(c, 1, 16, 64, () -> System.nanoTime() + skew.get());
  }

  @AfterAll
  static void stop() throws Exception {
    scoring.close();
    classifier.release();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A reference for one job (the job releases it). */
  private static LoadedClassifier ref() {
    assertTrue(classifier.tryAcquire());
    return classifier;
  }

  /** A prompt near the encoder's 256-token cap: several milliseconds to score on any machine. */
  private static ScoringInput longPrompt(String tag) {
    return ScoringInput.ofText(tag + " Explain step by step how a B-tree splits and merges nodes under concurrent writers. ".repeat(20));
  }

  private static Scores await(Future<Scores> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static Throwable awaitFailure(Future<Scores> f) throws Exception {
    try {
      Scores s = await(f);
      throw new AssertionError("expected a failure, got " + s);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void promptsThatCannotMakeTheirDeadlineAreRefusedAtOnceWhileTheOthersAreScored() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    // Scoring one prompt prices the queue (the service learns its encoder time per prompt).
    await(ScoringService.future(scoring.submit(longPrompt("price"), ctx, LONG_BUDGET, ref())));
    ScoringService.Job busy = scoring.submit(longPrompt("busy"), ctx, LONG_BUDGET, ref());
    ScoringService.Job queued = scoring.submit(longPrompt("queued"), ctx, LONG_BUDGET, ref());
    // "busy" and "queued" take milliseconds to encode (in one batch or one after the other): a 1 ms budget cannot be met.
    ScoringService.Job late = scoring.submit(longPrompt("late"), ctx, TimeUnit.MILLISECONDS.toNanos(1), ref());
    Future<Scores> refused = ScoringService.future(late);
    assertTrue(refused.failed(), "refused without waiting");
    ScoringService.ScoringRejected why = assertInstanceOf(ScoringService.ScoringRejected.class, refused.cause());
    assertTrue(why.getMessage().contains("queued ahead, past the 1 ms deadline"), why.getMessage());
    assertNotNull(await(ScoringService.future(busy)));
    assertNotNull(await(ScoringService.future(queued)));
    // With nothing queued or in service the same budget passes admission, but the worker sees that
    // encoding this prompt alone takes longer than 1 ms and answers at once instead of starting it.
    Future<Scores> again = ScoringService.future(scoring.submit(longPrompt("again"), ctx, TimeUnit.MILLISECONDS.toNanos(1), ref()));
    ScoringService.ScoringRejected tooLate = assertInstanceOf(ScoringService.ScoringRejected.class, awaitFailure(again));
    assertEquals("timeout", tooLate.reason());
    assertTrue(tooLate.getMessage().contains("would end after its deadline"), tooLate.getMessage());
  }

  @Test
  void aPromptThatCannotMakeItsDeadlineIsStillScoredWhenNothingWasScoredForASecond() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    await(ScoringService.future(scoring.submit(longPrompt("recent"), ctx, LONG_BUDGET, ref())));
    Future<Scores> refused = ScoringService.future(scoring.submit(longPrompt("refused"), ctx, TimeUnit.MILLISECONDS.toNanos(1), ref()));
    assertInstanceOf(ScoringService.ScoringRejected.class, awaitFailure(refused));
    // The price is learned only from what is scored: after a quiet second one prompt is scored
    // whatever its estimate, so a price from a slow spell cannot refuse long prompts for ever.
    skew.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_100)); // a quiet second passes (on the service's clock)
    Future<Scores> probe = ScoringService.future(scoring.submit(longPrompt("probe"), ctx, TimeUnit.MILLISECONDS.toNanos(1), ref()));
    assertNotNull(await(probe));
  }

  @Test
  void promptLengthIsPricedAsTheEncoderSeesIt() {
    // A fixed part, then ~4 characters per token, capped where the encoder stops reading (MiniLM: 256).
    assertEquals(8 + 20, ScoringService.units(ScoringInput.ofText("x".repeat(80)), 256));
    assertEquals(8 + 256, ScoringService.units(ScoringInput.ofText("word ".repeat(2_000)), 256));
    assertEquals(8 + 2_500, ScoringService.units(ScoringInput.ofText("word ".repeat(2_000)), 4_096));
    // A conversation is priced by what is embedded: the last user turn (plus a short system head),
    // not by the whole history.
    String history = "{\"role\":\"user\",\"content\":\"" + "old turn ".repeat(500) + "\"},{\"role\":\"assistant\",\"content\":\"ok\"},";
    assertEquals(8 + 10, ScoringService.units(ScoringInput.ofMessages("[" + history + "{\"role\":\"user\",\"content\":\"" + "y".repeat(40) + "\"}]"), 256));
    // Invalid input fails fast in the classifier: only the fixed part.
    assertEquals(8, ScoringService.units(ScoringInput.ofText(" "), 256));
  }

  @Test
  void aPromptWhoseOwnEncodingWouldOverrunItsBudgetIsRefusedWhenAnythingIsAhead() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    await(ScoringService.future(scoring.submit(longPrompt("price again"), ctx, LONG_BUDGET, ref())));
    ScoringService.Job busy = scoring.submit(longPrompt("ahead"), ctx, LONG_BUDGET, ref());
    // One worker, one prompt ahead: at most one price of waiting (queued) or half of one (being
    // encoded), then one price of its own. 1.2 prices cover the wait but not wait + own encoding.
    long budget = scoring.priceOf(longPrompt("own time"), classifier.classifier()) * 12 / 10;
    Future<Scores> late = ScoringService.future(scoring.submit(longPrompt("own time"), ctx, budget, ref()));
    assertTrue(late.failed(), "refused without waiting");
    assertTrue(late.cause().getMessage().contains("with its own"), late.cause().getMessage());
    assertNotNull(await(ScoringService.future(busy)));
  }

  @Test
  void cachedPromptsAreAnsweredWithoutTheQueue() throws Exception {
    ScoringInput in = ScoringInput.ofText("What is the capital of France? (cache test)");
    assertNull(scoring.cached(in, classifier));
    Scores scored = await(ScoringService.future(scoring.submit(in, vertx.getOrCreateContext(), LONG_BUDGET, ref())));
    assertSame(scored, scoring.cached(in, classifier));
    assertNull(scoring.cached(ScoringInput.ofText("What is the capital of Spain? (cache test)"), classifier));
    assertEquals(scored.difficulty(), scoring.cached(ScoringInput.ofText("What is the capital of France? (cache test)"), classifier).difficulty());
  }
}
