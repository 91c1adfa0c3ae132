package dev.switchboard.eval.loop;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.eval.replay.InProcessCandidateClient;
import dev.switchboard.eval.replay.RecordedGrader;
import dev.switchboard.eval.replay.ReplayOptions;
import dev.switchboard.eval.replay.ReplayRun;
import dev.switchboard.eval.replay.ReplaySummary;
import dev.switchboard.eval.run.EvalException;
import dev.switchboard.eval.run.ScoreCache;
import dev.switchboard.router.embedded.InProcessGateway;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole loop in one process: router (embedded broker, recorded provider, route {@code auto} on a
 * copy of the shipped policy) -> client traffic -> replay from Kafka with the recorded grader ->
 * retune against the live classifier -> publish to the running router -> the same traffic again ->
 * before/after report. With {@link Options#retrain} the retune first trains a new classifier (as
 * {@code retune --retrain}); only a kept pair is uploaded and published, so pass 2 runs on the new
 * pair or, when it was not kept, on the live one.
 *
 * <h2>Honest traffic</h2>
 *
 * The traffic is the {@code test} split of the dataset the live classifier was trained on (its
 * card's {@code dataset.path}): prompts it never saw, so pass 1 measures the router out of sample.
 * Each prompt is sent once per pass; asking for more prompts than the split holds sends the whole
 * split and says so, rather than repeat prompts (a repeat is scored from the classifier's cache, is
 * graded twice by the replay, and would inflate the counts the verdicts rest on). The router runs
 * with {@code serve}'s scoring deadline unless told otherwise, so late scores fall back to the
 * route's default as they would in production, and the table counts them.
 */
public final class DemoLoop {
  /** Name of the admin-key variable inside the demo's router; its value is set in-process only. */
  static final String ADMIN_KEY_ENV = "SWITCHBOARD_DEMO_ADMIN_KEY";
  static final String ROUTE = "auto";
  static final String TOPIC = "switchboard.requests";
  /**
   * The client traffic sets no max_tokens, so the replay must not cut answers shorter than the live
   * ones either: the replayed cost of a model is then the cost the router charged for it.
   */
  static final int REPLAY_MAX_TOKENS = 32_768;

  /** Called with (router base URL, admin key) after the publish (or the decision not to), before pass 2 (tests probe the router here). */
  java.util.function.BiConsumer<String, String> afterPublish = (url, key) -> {};

  /**
   * @param livePolicy the policy the demo router starts with; copied, never rewritten. Its classifier's
   *     card names the dataset whose test split is the traffic
   * @param prompts prompts per pass, or null for the whole test split
   * @param scoringDeadlineMs the router's {@code classifier.scoring_deadline_ms}
   */
  public record Options(Path home, Path livePolicy, Integer prompts, Policy.Target target, long seed, Path out,
      int concurrency, double holdout, long scoringDeadlineMs, Retrain.Options retrain) {

    /** Thresholds only, for the live classifier. */
    public Options(Path home, Path livePolicy, Integer prompts, Policy.Target target, long seed, Path out, int concurrency,
        double holdout, long scoringDeadlineMs) {
      this(home, livePolicy, prompts, target, seed, out, concurrency, holdout, scoringDeadlineMs, null);
    }
  }

  /**
   * Everything the demo measured; also written to {@code demo.json}.
   *
   * @param published null when a retrained pair was not kept (nothing was published)
   * @param uploaded the retrained classifier's upload, or null (no {@code --retrain}, or not kept)
   * @param classifierBefore the sha256 of the classifier the router served pass 1 with ({@code GET /admin/policies})
   * @param classifierAfter the same for pass 2
   */
  public record Result(List<TrafficPass.Sent> before, List<TrafficPass.Sent> after, PassStats beforeStats, PassStats afterStats,
      ReplaySummary replay, Retune.Result retune, PolicyPublisher.Published published, String liveVersionAfterPublish,
      PolicyPublisher.Uploaded uploaded, String classifierBefore, String classifierAfter, Path report, double seconds) {}

  private final Options o;
  private final PrintStream out;
  private final long t0 = System.nanoTime();

  public DemoLoop(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  public Result run() throws Exception {
    Files.createDirectories(o.out());
    step("loading the prompts, the starting policy and the grades (in the background)");
    // The grader's datasets load while the broker and router start: that wait is mostly I/O.
    CompletableFuture<RecordedGrader> graderLoad = CompletableFuture.supplyAsync(() -> RecordedGrader.load(o.home().resolve("datasets")));
    Policy live = PolicyFiles.read(o.livePolicy());
    List<String> candidates = live.candidates().stream().map(Policy.Candidate::model).toList();
    Path classifier = Retune.classifierOf(live, o.livePolicy(), o.home()).toAbsolutePath();
    Path dataset = trainingDataset(classifier, o.home(), out);
    List<RoutingDataset.Prompt> prompts = pickPrompts(RoutingDatasets.load(dataset), candidates, o.prompts(), o.seed(), dataset, out);
    Path tmp = Files.createTempDirectory("switchboard-demo-");
    try {
      Path policyCopy = tmp.resolve("auto-policy.yaml");
      Files.copy(o.livePolicy(), policyCopy);
      Path config = tmp.resolve("switchboard.yaml");
      Files.writeString(config, config(live, classifier, policyCopy, o.scoringDeadlineMs()), StandardCharsets.UTF_8);
      String adminKey = HexFormat.of().formatHex(SecureRandom.getSeed(16));
      ServerOptions so = new ServerOptions(config, "127.0.0.1", 0, false, o.home(), tmp.resolve("data"), true, null, 0, TOPIC,
          CaptureMode.FULL).withEnv(name -> name.equals(ADMIN_KEY_ENV) ? adminKey : System.getenv(name));
      step("starting the router (embedded Kafka, recorded provider, route auto = policy " + live.version() + ", scoring deadline "
          + o.scoringDeadlineMs() + " ms)");
      try (SwitchboardServer server = SwitchboardServer.start(so)) {
        PolicyPublisher admin = new PolicyPublisher(server.baseUrl(), adminKey);
        String classifierBefore = admin.liveClassifier(ROUTE);
        step("router at " + server.baseUrl() + ", Kafka " + server.kafkaBootstrap() + "; live policy " + admin.liveVersion(ROUTE)
            + ", classifier " + short12(classifierBefore));

        String runId = o.out().toAbsolutePath().normalize().getFileName().toString();
        step("pass 1: " + prompts.size() + " test-split prompts of " + dataset.getFileName() + " (held out from the classifier's training)"
            + " as client traffic (model: auto)");
        List<TrafficPass.Sent> before = TrafficPass.send(server.baseUrl(), prompts, "demo-a-", o.concurrency(), out, "pass 1");
        awaitLogged(server, before.size());

        step("replaying the request log from Kafka against " + String.join(", ", candidates) + " (grader: recorded)");
        ReplayOptions ro = new ReplayOptions(server.kafkaConnection(), TOPIC, "switchboard-demo-" + runId, null, true, null, 0,
            candidates, 16, Double.POSITIVE_INFINITY, REPLAY_MAX_TOKENS, o.out());
        // In-process through the running router's own adapters, breakers and config (not its HTTP
        // server, so these calls are not logged as client traffic).
        ReplaySummary replay;
        try (InProcessGateway direct = InProcessGateway.attach(server.gateway())) {
          InProcessCandidateClient client = new InProcessCandidateClient(direct, REPLAY_MAX_TOKENS);
          client.checkCallable(candidates);
          replay = new ReplayRun(ro, client, graderLoad.join(), client.prices(), out).run();
        }
        Path outcomes = o.out().resolve("outcomes.parquet");
        if (!Files.exists(outcomes)) {
          throw new IllegalStateException("replay wrote no outcomes (" + replay.message() + ")");
        }

        if (o.retrain() == null) {
          step("retuning the thresholds of classifier " + short12(live.classifier().sha256()) + " for target " + o.target());
        } else {
          step("retraining a classifier on the replayed outcomes (seed " + o.retrain().seed() + ", base rows: "
              + (o.retrain().trainWith() == null ? "the live classifier's datasets" : o.retrain().trainWith())
              + ") and tuning it for target " + o.target());
        }
        PrintWriter err = new PrintWriter(out, true);
        // The same code as 'retune [--retrain]': train (optionally), tune, compare, keep rule.
        Retune.Result rt = Retune.run(new Retune.Options(outcomes, o.livePolicy(), classifier, o.target(), o.holdout(), o.out(),
            o.out().resolve("score-cache"), o.home(), o.retrain()), err);
        out.print(Files.readString(rt.comparisonMd()));

        PolicyPublisher.Published pub = null;
        PolicyPublisher.Uploaded up = null;
        if (rt.kept()) {
          if (rt.retrained() != null) {
            step("uploading classifier " + short12(rt.retrained().sha256()) + " to " + server.baseUrl() + "/admin/classifiers/"
                + rt.retrained().sha256());
            up = admin.uploadClassifier(rt.retrained().modelDir());
            out.println("  router: classifier " + up.sha256() + " " + up.status().replace('_', ' '));
          }
          step("publishing " + rt.tuned().version() + " to " + server.baseUrl() + "/admin/policies/" + ROUTE);
          pub = admin.publish(ROUTE, Files.readString(rt.policyFile()));
        } else {
          step("not kept: the retrained classifier " + short12(rt.retrained().sha256()) + " with policy " + rt.tuned().version()
              + " (" + rt.rejection() + "); nothing uploaded or published, pass 2 runs on the live pair");
        }
        String nowLive = admin.liveVersion(ROUTE);
        String classifierAfter = admin.liveClassifier(ROUTE);
        if (pub != null) {
          out.println("  router: route " + pub.route() + " now serves " + pub.version() + " (" + pub.status() + "); GET /admin/policies says "
              + nowLive + ", classifier " + short12(classifierAfter));
        }

        afterPublish.accept(server.baseUrl(), adminKey);
        step("pass 2: the same " + prompts.size() + " prompts again (policy " + nowLive + ", classifier " + short12(classifierAfter) + ")");
        List<TrafficPass.Sent> after = TrafficPass.send(server.baseUrl(), prompts, "demo-b-", o.concurrency(), out, "pass 2");

        RoutingDataset graded = RoutingDatasets.load(outcomes);
        // Quality of what the router returned = the recorded grade of that model on that prompt; both
        // passes look it up under pass 1's request id (the prompt's id in the replayed outcomes).
        java.util.function.Function<TrafficPass.Sent, OptionalDouble> q =
            s -> s.deployment() == null ? OptionalDouble.empty() : graded.quality(before.get(s.index()).requestId(), s.deployment());
        PassStats bs = PassStats.of(before, q);
        PassStats as = PassStats.of(after, q);
        double secs = (System.nanoTime() - t0) / 1e9;
        Path report = o.out().resolve("demo.md");
        Result r = new Result(before, after, bs, as, replay, rt, pub, nowLive, up, classifierBefore, classifierAfter, report, secs);
        writeOutputs(r, live, dataset);
        out.println();
        out.print(table(r, live, o.scoringDeadlineMs()));
        step("report: " + report.toAbsolutePath());
        return r;
      }
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * The dataset the classifier was trained on, from its card's {@code dataset.path} (as written,
   * else relative to the Switchboard home): its test split is the only traffic the classifier has
   * not seen.
   *
   * @throws EvalException when the card names none or the file is not here
   */
  static Path trainingDataset(Path classifier, Path home, PrintStream out) {
    ClassifierCard card;
    try {
      card = ClassifierCard.read(classifier);
    } catch (ClassifierException e) {
      throw new EvalException(e.getMessage());
    }
    String rel = card.json().path("dataset").path("path").asText("");
    String want = card.json().path("dataset").path("sha256").asText("");
    if (rel.contains(",")) {
      // Trained on several datasets: the first is the one with the candidates' recorded answers
      // (models/tools/train_all.sh lists it first), so its test split is graded by the recorded grader.
      out.println("note: the classifier was trained on " + rel + "; the demo's traffic is the test split of the first");
      rel = rel.substring(0, rel.indexOf(','));
      want = want.contains(",") ? want.substring(0, want.indexOf(',')) : "";
    }
    if (rel.isBlank()) {
      throw new EvalException(classifier.resolve(ClassifierCard.FILE) + " names no training dataset (dataset.path), so the demo cannot"
          + " tell the prompts the classifier has not seen from those it was trained on");
    }
    String named = rel;
    List<Path> tried = home == null ? List.of(Path.of(rel)) : List.of(Path.of(rel), home.resolve(rel));
    Path file = tried.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new EvalException(
        "the classifier's training dataset " + named + " (dataset.path in " + classifier.resolve(ClassifierCard.FILE) + ") is not here (looked at "
            + tried.stream().map(Path::toString).distinct().collect(Collectors.joining(", ")) + "); the demo's traffic is its test split"));
    try {
      String have = ScoreCache.sha256(file);
      if (!want.isEmpty() && !want.equals(have)) {
        out.println("warning: " + file + " has changed since the classifier was trained on it (sha256 " + short12(have) + ", card: "
            + short12(want) + "); its test split is held out only if the split of every prompt stayed the same");
      }
    } catch (IOException e) {
      throw new EvalException("cannot read " + file + ": " + e.getMessage());
    }
    return file;
  }

  /**
   * The traffic: {@code wanted} prompts (null: all) of the test split answered by every candidate, in
   * a seeded order, each at most once.
   */
  static List<RoutingDataset.Prompt> pickPrompts(RoutingDataset ds, List<String> candidates, Integer wanted, long seed, Path dataset,
      PrintStream out) {
    List<RoutingDataset.Prompt> usable = new ArrayList<>(ds.prompts(RoutingDataset.TEST).stream()
        .filter(p -> candidates.stream().allMatch(c -> p.quality(c).isPresent()))
        .sorted(Comparator.comparing(RoutingDataset.Prompt::promptId)).toList());
    if (usable.isEmpty()) {
      throw new EvalException("the test split of " + dataset + " has no prompt answered by every candidate " + candidates);
    }
    Collections.shuffle(usable, new Random(seed));
    int n = wanted == null ? usable.size() : Math.min(wanted, usable.size());
    if (wanted != null && wanted > usable.size()) {
      out.println("note: the test split of " + dataset + " has " + usable.size() + " prompts answered by every candidate; sending each"
          + " once (" + usable.size() + " requests per pass, not " + wanted + ": a repeated prompt would be counted twice)");
    }
    return List.copyOf(usable.subList(0, n));
  }

  /** The gateway config: the live policy's candidates as recorded deployments at its prices, route auto. */
  static String config(Policy live, Path classifier, Path policy, long scoringDeadlineMs) {
    StringBuilder b = new StringBuilder();
    b.append("server: { admin_key_env: ").append(ADMIN_KEY_ENV).append(" }\n");
    b.append("classifier: { path: \"").append(classifier).append("\", scoring_deadline_ms: ").append(scoringDeadlineMs).append(" }\n");
    b.append("deployments:\n");
    for (Policy.Candidate c : live.candidates()) {
      b.append(String.format(Locale.ROOT, "  - { name: %s, provider: recorded, input_price_per_mtok: %s, output_price_per_mtok: %s }%n",
          c.model(), c.inputPricePerMtok(), c.outputPricePerMtok()));
    }
    String names = live.candidates().stream().map(Policy.Candidate::model).collect(Collectors.joining(", "));
    b.append("routes:\n  - alias: ").append(ROUTE).append("\n    type: eval-driven\n    policy: \"").append(policy)
        .append("\"\n    default: ").append(live.candidates().get(live.candidates().size() - 1).model())
        .append("\n    deployments: [").append(names).append("]\n");
    return b.toString();
  }

  /** The request log is asynchronous: wait (bounded) until Kafka acknowledged every pass-1 record. */
  private void awaitLogged(SwitchboardServer server, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (server.requestLog().stats().delivered() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + server.requestLog().stats().delivered() + " of " + n
            + " requests reached Kafka within 30 s");
      }
      Thread.sleep(50);
    }
    out.println("  request log: " + n + " records in Kafka topic " + TOPIC);
  }

  /** The first 12 hex digits of a sha256, as the rest of the output shows them. */
  static String short12(String sha) {
    return sha == null ? "none" : sha.length() > 12 ? sha.substring(0, 12) + "…" : sha;
  }

  private void step(String what) {
    out.printf(Locale.ROOT, "[%5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
    out.flush();
  }

  static String table(Result r, Policy live, long scoringDeadlineMs) {
    StringBuilder b = new StringBuilder();
    b.append("| pass | policy | classifier | requests | mean quality (recorded) | cost / request | call shares | scoring fallbacks |\n");
    b.append("|---|---|---|---:|---:|---:|---|---:|\n");
    row(b, "before", r.classifierBefore(), r.beforeStats());
    row(b, "after", r.classifierAfter(), r.afterStats());
    PassStats x = r.beforeStats();
    PassStats y = r.afterStats();
    double dc = x.costPerRequestUsd() > 0 ? 100 * (y.costPerRequestUsd() - x.costPerRequestUsd()) / x.costPerRequestUsd() : 0;
    b.append(String.format(Locale.ROOT, "%nAfter vs before: cost per request %+.1f%%, mean quality %+.4f (%s).%n", dc,
        y.meanQuality() - x.meanQuality(), y.meanQuality() >= x.meanQuality() && dc <= 0 ? "better or equal on both"
            : dc < 0 ? "cheaper, lower quality" : y.meanQuality() > x.meanQuality() ? "better quality, dearer" : "worse on both"));
    int fallbacks = x.routingFallbacks() + y.routingFallbacks();
    if (fallbacks > 0) {
      // The demo runs with serve's deadline: these are what a router on this machine would do too.
      b.append(String.format(Locale.ROOT, "Scoring fallbacks: %d (before) + %d (after) requests went to the route's default because"
          + " their prompt could not be scored within the %d ms scoring deadline on this machine, as under serve;"
          + " --scoring-deadline-ms raises it.%n", x.routingFallbacks(), y.routingFallbacks(), scoringDeadlineMs));
    }
    b.append("The second pass repeats the replayed traffic, most of which the thresholds were tuned on (in-sample);\n");
    b.append("the held-out rows of comparison.md are the unbiased estimate: ").append(r.retune().verdict()).append('\n');
    Retrain.Trained t = r.retune().retrained();
    if (t != null) {
      b.append("Retrained classifier ").append(t.sha256()).append(r.retune().kept()
          ? ": kept, uploaded and published with policy " + r.retune().tuned().version() + "; pass 2 ran on it.\n"
          : ": not kept (" + r.retune().rejection() + "); nothing published, pass 2 ran on the live pair.\n");
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String pass, String classifier, PassStats s) {
    b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.4f (%d graded) | $%.6f | %s | %d |%n", pass,
        String.join(" ", s.policyVersions().keySet()), short12(classifier), s.requests(), s.meanQuality(), s.graded(), s.costPerRequestUsd(),
        Retune.shares(s.callShare()), s.routingFallbacks()));
  }

  private void writeOutputs(Result r, Policy live, Path dataset) throws IOException {
    ObjectMapper m = Jackson.PRETTY;
    ObjectNode root = m.createObjectNode();
    root.put("prompts", r.before().size());
    root.put("dataset", dataset.toString());
    root.put("split", RoutingDataset.TEST);
    root.put("scoring_deadline_ms", o.scoringDeadlineMs());
    root.put("seed", o.seed());
    root.put("target", o.target().toString());
    root.put("live_version", live.version());
    root.put("new_version", r.retune().tuned().version());
    root.put("published_version", r.published() == null ? null : r.published().version());
    root.put("live_version_after_publish", r.liveVersionAfterPublish());
    root.put("classifier_before", r.classifierBefore());
    root.put("classifier_after", r.classifierAfter());
    Retrain.Trained t = r.retune().retrained();
    if (t != null) {
      ObjectNode rn = root.putObject("retrained");
      rn.put("sha256", t.sha256());
      rn.put("model_dir", t.modelDir().toString());
      rn.put("kept", r.retune().kept());
      rn.put("rejection", r.retune().rejection());
      rn.put("uploaded", r.uploaded() == null ? null : r.uploaded().status());
    }
    root.set("before", m.valueToTree(r.beforeStats()));
    root.set("after", m.valueToTree(r.afterStats()));
    root.put("replay_graded", r.replay().graded());
    root.put("replay_consumed", r.replay().consumed());
    root.put("verdict_held_out", r.retune().verdict());
    root.put("seconds", r.seconds());
    Files.writeString(o.out().resolve("demo.json"), m.writeValueAsString(root), StandardCharsets.UTF_8);
    try (var w = Files.newBufferedWriter(o.out().resolve("traffic.jsonl"), StandardCharsets.UTF_8)) {
      for (List<TrafficPass.Sent> pass : List.of(r.before(), r.after())) {
        for (TrafficPass.Sent s : pass) {
          ObjectNode n = m.valueToTree(s);
          n.put("pass", pass == r.before() ? 1 : 2);
          w.write(Jackson.JSON.writeValueAsString(n));
          w.write('\n');
        }
      }
    }
    StringBuilder md = new StringBuilder("# Switchboard demo\n\n");
    md.append(String.format(Locale.ROOT, "%d test-split prompts of `%s` (seed %d), scoring deadline %d ms, target %s, %.1f s.%n%n",
        r.before().size(), dataset.getFileName(), o.seed(), o.scoringDeadlineMs(), o.target(), r.seconds()));
    md.append("Live policy before: ").append(live.version()).append(" (classifier ").append(r.classifierBefore()).append("); published: ")
        .append(r.published() == null ? "nothing (the retrained pair was not kept: " + r.retune().rejection() + ")" : r.published().version())
        .append("; router reports before pass 2: ").append(r.liveVersionAfterPublish()).append(" (classifier ").append(r.classifierAfter())
        .append(")\n\n");
    md.append(table(r, live, o.scoringDeadlineMs())).append("\n## Offline comparison on the replayed outcomes\n\n");
    md.append(Files.readString(r.retune().comparisonMd()).replaceFirst("^# [^\n]*\n\n", ""));
    Files.writeString(r.report(), md.toString(), StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }

}
