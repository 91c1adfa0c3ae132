package dev.switchboard.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.learn.Family;
import dev.switchboard.dataset.RoutingRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's baseline rows, on a hand-made dataset whose answers are known: two categories with
 * fixed qualities, so the category prior's prediction for a test prompt is the (shrunk) mean of its
 * category on the train split, and the router's lead over a baseline is the difference of two AIQs.
 */
class BaselinesTest {

  @TempDir Path dir;

  /** "chat": cheap 0.9, dear 0.95; "code": cheap 0.1, dear 0.9. 60 train, 20 test prompts. */
  static List<RoutingRow> rows() {
    List<RoutingRow> rows = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      boolean code = i % 2 == 1;
      String split = i < 60 ? "train" : "test";
      String prompt = code ? "Implement a lock-free queue number " + i + " in C++ with proofs." : "Say hello to friend number " + i + ".";
      String cat = code ? "code" : "chat";
      rows.add(new RoutingRow("p" + i, prompt, null, cat, split, "cheap", code ? 0.1 : 0.9, 10, 50, 0.0001, "t"));
      rows.add(new RoutingRow("p" + i, prompt, null, cat, split, "dear", code ? 0.9 : 0.95, 10, 50, 0.01, "t"));
    }
    return rows;
  }

  @Test
  void priorBaseline_predictsTheShrunkTrainMeanOfTheCategory() throws Exception {
    List<RoutingRow> rows = rows();
    EvalTable test = EvalTable.build(rows, "hand-made", "test", List.of("cheap", "dear"));
    ClassifierCard card = ClassifierCard.read(Path.of(System.getProperty("switchboard.repo.root", "..")).resolve("models/default"));
    StringWriter log = new StringWriter();
    List<Baselines.Baseline> bs = Baselines.fit(rows, "hand-made", test, card, dir.resolve("cache"), 42,
        new PrintWriter(log, true));
    assertEquals(List.of(Family.PRIOR, Family.KNN, Family.LOGREG, Family.MLP), bs.stream().map(Baselines.Baseline::family).toList());
    Baselines.Baseline prior = bs.get(0);
    double kappa = Double.parseDouble(prior.setting().replaceAll(".*kappa=([0-9.]+).*", "$1"));
    // train: 30 chat prompts (cheap 0.9), 30 code prompts (cheap 0.1); global cheap mean 0.5
    double chat = (30 * 0.9 + kappa * 0.5) / (30 + kappa);
    double code = (30 * 0.1 + kappa * 0.5) / (30 + kappa);
    int cheap = test.indexOf("cheap");
    for (int p = 0; p < test.size(); p++) {
      double want = test.category[p].equals("chat") ? chat : code;
      assertEquals(want, prior.scored().predicted[p][cheap], 1e-9, "prompt " + test.promptId[p] + " (" + test.category[p] + ")");
    }
    assertTrue(log.toString().contains("baselines: prior"), log.toString());
  }

  @Test
  void comparisons_areRouterMinusBaselineAiq() throws Exception {
    List<RoutingRow> rows = rows();
    EvalTable test = EvalTable.build(rows, "hand-made", "test", List.of("cheap", "dear"));
    ClassifierCard card = ClassifierCard.read(Path.of(System.getProperty("switchboard.repo.root", "..")).resolve("models/default"));
    List<Baselines.Baseline> bs = Baselines.fit(rows, "hand-made", test, card, dir.resolve("cache"), 42, new PrintWriter(new StringWriter()));
    // A "router" that knows the answers: the test qualities themselves.
    Scored perfect = new Scored(test.quality, new double[test.size()]);
    EvalResult.Meta meta = new EvalResult.Meta("test", "hand-made", "x", "none", "sha", "test", test.size(), 0, 0.5, 42, 10,
        200, "now");
    EvalResult r = Evaluation.run(test, perfect, new EvalOptions(test.indexOf("cheap"), test.indexOf("dear"), 0.5, 42, 10, 200),
        meta, null, bs);
    assertEquals(bs.size(), r.comparisons().size());
    for (EvalResult.Comparison c : r.comparisons()) {
      assertEquals(r.metrics().get("router").aiq() - r.metrics().get(c.baselineId()).aiq(), c.aiqDiff(), 1e-12);
      assertTrue(c.aiqDiffCi()[0] <= c.aiqDiff() + 1e-12 && c.aiqDiff() <= c.aiqDiffCi()[1] + 1e-12, c.toString());
    }
    // The prior knows the categories, which here decide everything: it routes as well as the answers.
    EvalResult.Comparison prior = r.comparisons().get(0);
    assertEquals(0.0, prior.aiqDiff(), 1e-9, prior.toString());
  }
}
