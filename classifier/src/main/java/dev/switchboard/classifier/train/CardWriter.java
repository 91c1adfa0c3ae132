package dev.switchboard.classifier.train;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.Hashing;
import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import dev.switchboard.dataset.ModelPrices;
import java.util.List;
import java.util.Map;

/** Writes {@code card.json}: what was trained on what, every candidate's scores, and the choice. */
final class CardWriter {
  private static final ObjectMapper JSON = Jackson.JSON;

  private CardWriter() {}

  static ObjectNode card(TrainRequest req, TrainingSet set, FeatureSpec spec, ObjectNode encoder, RouterTrainer.Result rt,
                         byte[] onnx, ObjectNode metrics, TrainPipeline.SplitData train, TrainPipeline.SplitData val,
                         TrainPipeline.SplitData test, TrainPipeline.SplitData aux) {
    ObjectNode c = JSON.createObjectNode();
    c.put("format", TrainPipeline.FORMAT);
    if (req.command() != null) {
      c.put("command", req.command());
    }
    ObjectNode ds = c.putObject("dataset");
    ds.put("path", String.join(",", req.datasetPaths().stream().map(p -> p.toString().replace('\\', '/')).toList()));
    ds.put("sha256", String.join(",", TrainPipeline.hashes(req.datasetPaths())));
    ds.put("rows", req.rows().size());
    ds.put("prompts_used", set.examples().size());
    ds.put("prompts_skipped_missing_candidate", set.skippedPrompts());
    ObjectNode splits = ds.putObject("split_prompts");
    splits.put("train", train.data().size());
    splits.put("validation", val.data().size());
    splits.put("test", test.data().size());
    ObjectNode irtData = ds.putObject("irt_only");
    irtData.put("about", "the IRT head (difficulty, new candidates) also learns from these: other models' outcomes on the"
        + " same prompts, and train prompts no candidate answered");
    irtData.put("other_models", set.extraModels().size());
    irtData.put("auxiliary_train_prompts", aux.data().size());

    List<String> cands = set.candidates();
    double[] abilities = new double[cands.size()];
    for (int k = 0; k < cands.size(); k++) {
      abilities[k] = rt.irt().theta()[k];
    }
    ArrayNode ca = c.putArray("candidates");
    for (int k = 0; k < cands.size(); k++) {
      ObjectNode o = ca.addObject();
      o.put("model", cands.get(k));
      var price = TrainPipeline.price(req, cands.get(k));
      if (price.isPresent()) {
        ModelPrices.Price p = price.get();
        o.put("input_usd_per_mtok", p.inputPerMTok());
        o.put("output_usd_per_mtok", p.outputPerMTok());
        o.put("price_is_proxy", p.isProxy());
        o.put("price_source", p.source());
      } else {
        o.putNull("input_usd_per_mtok");
        o.putNull("output_usd_per_mtok");
      }
      o.put("mean_cost_usd", TrainPipeline.round(set.meanCost()[k]));
      final int kk = k;
      o.put("mean_quality_train", TrainPipeline.round(train.prompts().stream().mapToDouble(p -> p.quality()[kk]).average().orElse(Double.NaN)));
      o.put("adequate_rate_train", TrainPipeline.round(train.prompts().stream()
          .mapToDouble(p -> p.quality()[kk] >= req.threshold() ? 1 : 0).average().orElse(Double.NaN)));
      o.put("ability", TrainPipeline.round(abilities[k]));
    }
    c.put("candidates_order", "cheapest first by mean cost_usd per prompt in the dataset; the last is the dearest");
    if (req.candidatesRationale() != null) {
      c.put("candidates_rationale", req.candidatesRationale());
    }
    c.put("threshold", req.threshold());
    c.put("seed", req.options().seed());

    ObjectNode labels = c.putObject("labels");
    labels.put("quality", "quality[k] = predicted probability that candidate k's answer is adequate, trained on the"
        + " dataset's quality column in [0,1] as a soft target (cross-entropy); adequate means quality >= threshold");
    if (req.labelSemantics() != null) {
      labels.put("semantics", req.labelSemantics());
    }

    c.set("encoder", encoder);

    ObjectNode f = c.putObject("features");
    f.put("embedding_dim", spec.embeddingDim());
    f.put("embedding_rule", spec.embeddingRule());
    spec.cheapFeatures().forEach(f.putArray("cheap_features")::add);
    spec.categories().forEach(f.putArray("categories")::add);
    f.put("width", spec.width());
    f.put("layout", "[embedding | cheap_features | one-hot of categories (unknown/missing category = all zeros)]");

    ObjectNode r = c.putObject("router");
    r.put("chosen", rt.chosen().name());
    r.put("family", rt.chosen().family().id());
    r.put("selection", "highest " + req.options().folds() + "-fold cross-validated score on the train split");
    r.put("score", rt.scoreName());
    ArrayNode rc = r.putArray("candidates");
    for (RouterTrainer.Scored s : rt.candidates()) {
      ObjectNode o = rc.addObject();
      o.put("name", s.learner().name());
      o.put("family", s.learner().family().id());
      o.put("baseline", s.learner().family().baseline());
      o.put("cv_score", TrainPipeline.round(s.cvScore()));
      o.put("validation_score", TrainPipeline.round(s.validationScore()));
      o.put("test_score", metrics.path("family_scores").path(s.learner().name()).asDouble(Double.NaN));
      o.put("chosen", s.chosen());
      o.putPOJO("settings", JSON.valueToTree(s.fitted().describe()));
    }
    ObjectNode grid = r.putObject("grid_cv_scores");
    for (Map.Entry<String, Double> e : rt.grid().entrySet()) {
      grid.put(e.getKey(), TrainPipeline.round(e.getValue()));
    }

    ObjectNode irt = c.putObject("irt");
    irt.put("learner", "irt(l2=" + rt.irt().l2() + ")");
    irt.put("model", "P(candidate j adequate on prompt q) = sigmoid(a(q) * (ability_j + category_delta_j - b(q)))");
    ObjectNode ab = irt.putObject("abilities");
    for (int k = 0; k < cands.size(); k++) {
      ab.put(cands.get(k), TrainPipeline.round(abilities[k]));
    }
    irt.put("mean_ability", TrainPipeline.round(rt.irt().meanAbility()));
    irt.put("new_candidates", "a candidate not in this card is scored sigmoid(irt_a * (ability - irt_b)) once a policy"
        + " states its ability (`ability:`), e.g. as estimated by `switchboard ability` from graded prompts");

    ObjectNode o = c.putObject("onnx");
    o.put("file", ClassifierCard.ONNX_FILE);
    o.put("sha256", Hashing.sha256Hex(onnx));
    o.put("ir_version", OnnxGraphBuilder.IR_VERSION);
    o.put("opset", OnnxGraphBuilder.OPSET);
    o.put("bytes", onnx.length);
    o.put("input", "features float32 [N, " + spec.width() + "]");
    o.put("outputs", "quality float32 [N, " + cands.size() + "] (candidates order); difficulty, irt_a, irt_b float32 [N, 1]");
    o.put("architecture", rt.chosen().name() + " for quality; the IRT head for difficulty, irt_a, irt_b");
    c.set("metrics", metrics);
    return c;
  }
}
