package dev.switchboard.classifier;

import dev.switchboard.classifier.base.Jackson;
import dev.switchboard.classifier.base.ClassifierException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.classifier.features.FeatureSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a model's {@code card.json} that code relies on; {@link #json()} holds the whole
 * card (metrics, label definitions, dataset provenance) for reports.
 *
 * @param candidates candidate models in the order of the quality outputs, cheapest first
 * @param threshold the quality bar the difficulty label was defined with
 * @param onnxSha256 sha256 of {@code classifier.onnx} (policies key their tuned thresholds on it)
 * @param encoderId encoder variant id, e.g. {@code all-minilm-l6-v2-q}
 * @param encoderSha256 hash of the encoder the heads were trained on
 * @param features input layout
 * @param encoderProbe the first components of a probe text's embedding under the static encoder
 *     the model was trained with, or null (MiniLM)
 * @param abilities each candidate's IRT ability (empty for cards written before the IRT head)
 * @param json the full card
 */
public record ClassifierCard(List<Candidate> candidates, double threshold, String onnxSha256,
                             String encoderId, String encoderSha256, FeatureSpec features, double[] encoderProbe,
                             Map<String, Double> abilities, JsonNode json) {

  public static final String FILE = "card.json";
  public static final String ONNX_FILE = "classifier.onnx";

  /**
   * A candidate model and its list price (null when unknown).
   *
   * @param meanCostUsd mean cost per prompt on the training dataset (null when unpriced)
   */
  public record Candidate(String model, Double inputUsdPerMtok, Double outputUsdPerMtok, Double meanCostUsd) {}

  public ClassifierCard {
    candidates = List.copyOf(candidates);
    abilities = Map.copyOf(abilities);
  }

  public List<String> candidateNames() {
    return candidates.stream().map(Candidate::model).toList();
  }

  /** Reads and validates {@code dir/card.json}. */
  public static ClassifierCard read(Path dir) {
    ModelDirectory.require(dir);
    Path file = dir.resolve(FILE);
    JsonNode root;
    try {
      root = Jackson.JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ClassifierException(file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    return parse(root, file.toString());
  }

  public static ClassifierCard parse(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw new ClassifierException(source + ": expected a JSON object");
    }
    JsonNode cands = required(root, "candidates", source);
    if (!cands.isArray() || cands.isEmpty()) {
      throw new ClassifierException(source + ": field 'candidates' must be a non-empty array");
    }
    List<Candidate> list = new ArrayList<>();
    for (int i = 0; i < cands.size(); i++) {
      JsonNode c = cands.get(i);
      String model = text(c, "model", source + ": candidates[" + i + "]");
      list.add(new Candidate(model, number(c, "input_usd_per_mtok"), number(c, "output_usd_per_mtok"), number(c, "mean_cost_usd")));
    }
    JsonNode thr = required(root, "threshold", source);
    if (!thr.isNumber()) {
      throw new ClassifierException(source + ": field 'threshold' must be a number");
    }
    JsonNode onnx = required(root, "onnx", source);
    JsonNode enc = required(root, "encoder", source);
    JsonNode feat = required(root, "features", source);
    JsonNode dim = required(feat, "embedding_dim", source + ": features");
    FeatureSpec spec = new FeatureSpec(dim.asInt(), strings(required(feat, "cheap_features", source + ": features"), source),
        strings(required(feat, "categories", source + ": features"), source), text(feat, "embedding_rule", source + ": features"));
    double[] probe = null;
    JsonNode pe = enc.path("probe").path("embedding");
    if (pe.isArray() && !pe.isEmpty()) {
      probe = new double[pe.size()];
      for (int i = 0; i < probe.length; i++) {
        probe[i] = pe.get(i).asDouble();
      }
    }
    Map<String, Double> abilities = new LinkedHashMap<>();
    root.path("irt").path("abilities").fields().forEachRemaining(e -> abilities.put(e.getKey(), e.getValue().asDouble()));
    return new ClassifierCard(list, thr.asDouble(), text(onnx, "sha256", source + ": onnx"),
        text(enc, "id", source + ": encoder"), text(enc, "sha256", source + ": encoder"), spec, probe, abilities, root);
  }

  private static JsonNode required(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new ClassifierException(where + ": missing field '" + field + "'");
    }
    return v;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = required(node, field, where);
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new ClassifierException(where + ": field '" + field + "' must be a non-empty string");
    }
    return v.asText();
  }

  private static Double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isNumber() ? null : v.asDouble();
  }

  private static List<String> strings(JsonNode arr, String where) {
    if (!arr.isArray()) {
      throw new ClassifierException(where + ": expected an array of strings");
    }
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return out;
  }
}
