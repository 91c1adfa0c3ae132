package dev.switchboard.eval.replay;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.RoutingRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One logged request replayed: each candidate called (bounded by a semaphore shared by all
 * records), the answers graded, the outcome turned into dataset rows, every answer's cost charged
 * to the run's {@link SpendTracker}. {@link ReplayRun} owns the consumer loop, offsets and outputs;
 * this class owns what happens to a record in between.
 */
final class RecordReplayer {
  private final ReplayOptions o;
  private final CandidateClient client;
  private final Grader grader;
  private final PriceBook prices;
  private final SpendTracker spend;
  private final Semaphore permits;
  private final LongAdder gradeNanos = new LongAdder();
  private final LongAdder candidateCalls = new LongAdder();

  RecordReplayer(ReplayOptions options, CandidateClient client, Grader grader, PriceBook prices, SpendTracker spend) {
    this.o = options;
    this.client = client;
    this.grader = grader;
    this.prices = prices;
    this.spend = spend;
    this.permits = new Semaphore(options.concurrency());
  }

  /** Time spent starting grades (nanoseconds), for {@link ReplayTimings}. */
  long gradeNanos() {
    return gradeNanos.sum();
  }

  /** Candidate calls answered so far. */
  long candidateCalls() {
    return candidateCalls.sum();
  }

  enum Kind { GRADED, UNGRADABLE, FAILED }

  /** What became of one record: its rows when graded, the problem when its calls failed. */
  record Outcome(Kind kind, List<RoutingRow> rows, ReplaySummary.Problem problem) {}

  /** Calls every candidate on the record (at most {@code concurrency} calls in flight overall), then grades the answers. */
  CompletableFuture<Outcome> process(LoggedRequest req, ConsumerRecord<String, byte[]> r) {
    Map<String, CompletableFuture<CandidateAnswer>> calls = new LinkedHashMap<>();
    for (String c : o.candidates()) {
      calls.put(c, call(c, req));
    }
    return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new))
        .thenCompose(v -> {
          Map<String, CandidateAnswer> answers = new LinkedHashMap<>();
          calls.forEach((c, f) -> answers.put(c, f.join()));
          long g0 = System.nanoTime();
          CompletableFuture<Map<String, OptionalDouble>> graded = grader.grade(req, answers);
          gradeNanos.add(System.nanoTime() - g0);
          return graded.thenApply(q -> toOutcome(req, answers, q));
        })
        .exceptionally(e -> {
          Throwable c = e.getCause() != null ? e.getCause() : e;
          return new Outcome(Kind.FAILED, List.of(),
              new ReplaySummary.Problem(r.partition(), r.offset(), req.requestId(), String.valueOf(c.getMessage())));
        });
  }

  private CompletableFuture<CandidateAnswer> call(String candidate, LoggedRequest req) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<CandidateAnswer> f;
    try {
      f = client.complete(candidate, req.messages());
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.whenComplete((a, e) -> {
      permits.release();
      if (a != null) {
        candidateCalls.increment();
        spend.addCandidateSpend(cost(a));
      }
    });
  }

  private Outcome toOutcome(LoggedRequest req, Map<String, CandidateAnswer> answers, Map<String, OptionalDouble> q) {
    List<RoutingRow> rows = new ArrayList<>();
    for (CandidateAnswer a : answers.values()) {
      OptionalDouble quality = q.getOrDefault(a.candidate(), OptionalDouble.empty());
      if (quality.isEmpty()) {
        return new Outcome(Kind.UNGRADABLE, List.of(), null);
      }
      rows.add(new RoutingRow(req.requestId(), req.prompt(), req.messagesJson(), req.category(),
          split(req.requestId()), a.candidate(), clamp(quality.getAsDouble()), a.promptTokens(),
          a.completionTokens(), cost(a),
          "replay:" + o.runId()));
    }
    return new Outcome(Kind.GRADED, rows, null);
  }

  /** The answer's exact cost when the client knows it (in-process: the answering deployment's prices), else by candidate name. */
  private double cost(CandidateAnswer a) {
    return a.costUsd() != null ? a.costUsd() : prices.cost(a.candidate(), a.promptTokens(), a.completionTokens());
  }

  /** Deterministic 80/10/10 train/validation/test split by request id, stable across runs. */
  static String split(String requestId) {
    int b = Math.floorMod(requestId.hashCode() * 0x9E3779B1, 10);
    return b == 0 ? RoutingDataset.TEST : b == 1 ? RoutingDataset.VALIDATION : RoutingDataset.TRAIN;
  }

  /**
   * Upper-bound cost of a record: every candidate with a prompt of as many tokens as its messages' JSON has UTF-8 bytes
   * (a byte-level tokenizer makes at most one token a byte; the JSON's keys and quotes cover the chat template's few
   * tokens per message) and {@code maxTokens} of answer, plus, for a judge, one judge call per candidate whose prompt
   * holds the conversation and two answers. The spend cap reserves it and the printed estimate sums it (issue #17:
   * characters / 3 was not a bound).
   */
  double reservation(LoggedRequest req) {
    long in = utf8Bytes(req.messagesJson()) + 16;
    double total = 0;
    for (String c : o.candidates()) {
      total += prices.cost(c, in, o.maxTokens());
    }
    if (grader instanceof JudgeGrader) {
      String judge = grader.name().substring("judge:".length());
      // two answers of <= maxTokens each, taken at 8 bytes of text a token (English averages ~4)
      long judgeIn = in + 2L * o.maxTokens() * 8 + utf8Bytes(JudgeGrader.RUBRIC);
      total += o.candidates().size() * prices.cost(judge, judgeIn, o.maxTokens());
    }
    return total;
  }


  private static long utf8Bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static double clamp(double q) {
    return Math.max(0, Math.min(1, q));
  }
}
