package dev.switchboard.classifier.train;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.learn.Data;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.learn.RoutingScore;
import dev.switchboard.classifier.onnx.HeadsRunner;
import java.util.List;

/** The test-split numbers in a card, computed on the exported graph's outputs. */
final class TestMetrics {
  private static final ObjectMapper JSON = Jackson.JSON;

  private TestMetrics() {}

  static ObjectNode of(Data test, HeadsRunner.Output out, List<String> cands, double threshold, RouterTrainer.Result rt) {
    int n = test.size();
    ObjectNode m = JSON.createObjectNode();
    m.put("split", "test");
    m.put("prompts", n);
    m.put("score", RoutingScore.describe(test.cost()));
    ObjectNode fams = m.putObject("family_scores");
    for (RouterTrainer.Scored s : rt.candidates()) {
      fams.put(s.learner().name(), TrainPipeline.round(RoutingScore.of(s.fitted().predict(test.x()), test.q(), test.cost())));
    }
    m.put("router_score", TrainPipeline.round(RoutingScore.of(out.quality(), test.q(), test.cost())));
    m.put("router_best_predicted_quality", TrainPipeline.round(RoutingScore.bestPredicted(out.quality(), test.q())));
    m.put("oracle_best_quality", TrainPipeline.round(oracle(test.q())));
    m.put("router_cross_entropy", TrainPipeline.round(RoutingScore.crossEntropy(out.quality(), test.q())));

    // Difficulty should rank prompts the cheapest candidate fails above those it passes.
    double[] failsCheapest = new double[n];
    for (int i = 0; i < n; i++) {
      failsCheapest[i] = test.q()[i][0] < threshold ? 1 : 0;
    }
    ObjectNode d = m.putObject("difficulty");
    d.put("definition", "difficulty = sigmoid(a(q) * (b(q) - the candidates' mean ability on the prompt)): P(a candidate"
        + " of average ability fails the prompt); auc is against 'the cheapest candidate's quality < threshold'");
    d.put("auc_vs_cheapest_fails", TrainPipeline.round(Metrics.auc(out.difficulty(), failsCheapest)));
    d.put("mean", TrainPipeline.round(Metrics.mean(out.difficulty())));

    ObjectNode q = m.putObject("quality");
    for (int k = 0; k < cands.size(); k++) {
      double[] pred = new double[n];
      double[] obs = new double[n];
      for (int i = 0; i < n; i++) {
        pred[i] = out.quality()[i][k];
        obs[i] = test.q()[i][k];
      }
      double[] meanPred = new double[n];
      java.util.Arrays.fill(meanPred, Metrics.mean(obs));
      ObjectNode qm = q.putObject(cands.get(k));
      qm.put("mae", TrainPipeline.round(Metrics.mae(pred, obs)));
      qm.put("rmse", TrainPipeline.round(Metrics.rmse(pred, obs)));
      qm.put("rmse_of_test_mean", TrainPipeline.round(Metrics.rmse(meanPred, obs)));
      qm.put("mean_observed", TrainPipeline.round(Metrics.mean(obs)));
      qm.put("mean_predicted", TrainPipeline.round(Metrics.mean(pred)));
    }
    // Reliability of the predicted qualities, all (prompt, candidate) pairs pooled.
    double[] p = new double[n * cands.size()];
    double[] y = new double[n * cands.size()];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < cands.size(); k++) {
        p[i * cands.size() + k] = out.quality()[i][k];
        y[i * cands.size() + k] = test.q()[i][k];
      }
    }
    ArrayNode cal = m.putArray("calibration");
    for (Metrics.Bin b : Metrics.calibration(p, y, 10)) {
      ObjectNode bn = cal.addObject();
      bn.put("lo", TrainPipeline.round(b.lo()));
      bn.put("hi", TrainPipeline.round(b.hi()));
      if (b.count() > 0) {
        bn.put("mean_predicted", TrainPipeline.round(b.meanPredicted()));
        bn.put("observed", TrainPipeline.round(b.observed()));
      } else {
        bn.putNull("mean_predicted");
        bn.putNull("observed");
      }
      bn.put("count", b.count());
    }
    return m;
  }

  private static double oracle(double[][] q) {
    double s = 0;
    for (double[] row : q) {
      double best = Double.NEGATIVE_INFINITY;
      for (double v : row) {
        best = Math.max(best, v);
      }
      s += best;
    }
    return q.length == 0 ? Double.NaN : s / q.length;
  }
}
