package dev.switchboard.routing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@link Policy} YAML files. Parsing goes through the tree model rather than data
 * binding so that every validation error can name the exact field ({@code candidates[2].threshold}).
 *
 * <pre>
 * version: 20261125T123800Z-3f2a9c1b
 * kind: quality-threshold            # or difficulty-threshold
 * classifier: {path: models/default, sha256: 9f...}
 * candidates:                        # ascending price
 *   - {model: small, input_price_per_mtok: 0.1, output_price_per_mtok: 0.4, threshold: 0.62}
 *   - {model: large, input_price_per_mtok: 5.0, output_price_per_mtok: 15.0, threshold: 0.0}
 *   - {model: new, input_price_per_mtok: 0.2, output_price_per_mtok: 0.6, threshold: 0.6, ability: 0.8}
 *                                    # a model the classifier was not trained on: scored by its IRT head
 * difficulty_thresholds: []          # difficulty kind: candidates - 1 ascending cut points
 * target: {quality: 0.95}            # or {cost_usd: 0.002}
 * tuned_on: {dataset: datasets/x.parquet, sha256: ab..., split: validation, rows: 1234}
 * validation: {split: validation, prompts: 100, mean_quality: .., quality_fraction: .., cost_per_request_usd: .., call_share: {small: 0.7, large: 0.3}}
 * test: {...}
 * created: 2026-11-25T12:38:00Z
 * </pre>
 */
public final class PolicyFiles {

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private PolicyFiles() {}

  /** Reads and validates a policy file. */
  public static Policy read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new PolicyFileException(doesNotExist(file));
    } catch (JacksonException e) {
      throw new PolicyFileException(
          file + ": not valid YAML (line " + e.getLocation().getLineNr() + "): " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PolicyFileException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(root, file.toString());
  }

  /**
   * The message for a policy file that is not there: what is wrong and the two ways out.
   *
   * @param file the path as the user gave it (or as resolved, when that is what they need to see)
   * @return e.g. "policy file policies/x.yaml does not exist; write one with `./switchboard tune ...`"
   */
  public static String doesNotExist(Path file) {
    return "policy file " + file + " does not exist; write one with `./switchboard tune --dataset FILE --classifier DIR"
        + " --target quality=F --out " + file + "` or fix the path";
  }

  /** Parses and validates a policy from YAML text; {@code origin} prefixes error messages. */
  public static Policy parse(String yaml, String origin) {
    try {
      return parse(YAML.readTree(yaml), origin);
    } catch (JacksonException e) {
      throw new PolicyFileException(origin + ": not valid YAML: " + e.getOriginalMessage());
    }
  }

  /** Writes {@code policy} (after validating it) to {@code file}, creating parent folders. */
  public static void write(Path file, Policy policy) throws IOException {
    validate(policy, file.toString());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toYaml(policy));
  }

  /** The YAML text of a policy. */
  public static String toYaml(Policy p) {
    ObjectNode root = YAML.createObjectNode();
    root.put("version", p.version());
    root.put("kind", p.kind().yamlName());
    ObjectNode c = root.putObject("classifier");
    c.put("path", p.classifier().path());
    c.put("sha256", p.classifier().sha256());
    ArrayNode cands = root.putArray("candidates");
    for (Policy.Candidate cand : p.candidates()) {
      ObjectNode n = cands.addObject();
      n.put("model", cand.model());
      n.put("input_price_per_mtok", cand.inputPricePerMtok());
      n.put("output_price_per_mtok", cand.outputPricePerMtok());
      n.put("threshold", cand.threshold());
      if (cand.ability() != null) {
        n.put("ability", cand.ability());
      }
    }
    ArrayNode dt = root.putArray("difficulty_thresholds");
    p.difficultyThresholds().forEach(dt::add);
    if (p.target() != null) {
      ObjectNode t = root.putObject("target");
      if (p.target().quality() != null) {
        t.put("quality", p.target().quality());
      }
      if (p.target().costUsd() != null) {
        t.put("cost_usd", p.target().costUsd());
      }
    }
    if (p.tunedOn() != null) {
      ObjectNode t = root.putObject("tuned_on");
      t.put("dataset", p.tunedOn().dataset());
      t.put("sha256", p.tunedOn().sha256());
      t.put("split", p.tunedOn().split());
      t.put("rows", p.tunedOn().rows());
    }
    putPoint(root, "validation", p.validation());
    putPoint(root, "test", p.test());
    root.put("created", p.created());
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("YAML serialisation of a tree cannot fail", e);
    }
  }

  private static void putPoint(ObjectNode root, String name, Policy.AchievedPoint pt) {
    if (pt == null) {
      return;
    }
    ObjectNode n = root.putObject(name);
    n.put("split", pt.split());
    n.put("prompts", pt.prompts());
    n.put("mean_quality", pt.meanQuality());
    n.put("quality_fraction", pt.qualityFraction());
    n.put("cost_per_request_usd", pt.costPerRequestUsd());
    ObjectNode share = n.putObject("call_share");
    pt.callShare().forEach(share::put);
  }

  private static Policy parse(JsonNode root, String origin) {
    Reader r = new Reader(origin);
    if (root == null || !root.isObject()) {
      throw r.error("", "the file must be a YAML mapping");
    }
    String version = r.text(root, "version", true);
    String kindName = r.text(root, "kind", true);
    Policy.Kind kind = Policy.Kind.fromYaml(kindName);
    if (kind == null) {
      throw r.error("kind", "must be quality-threshold or difficulty-threshold, was '" + kindName + "'");
    }
    JsonNode cn = r.object(root, "classifier", true);
    Policy.ClassifierRef classifier =
        new Policy.ClassifierRef(r.text(cn, "classifier.path", true), r.text(cn, "classifier.sha256", true));
    JsonNode cands = root.get("candidates");
    if (cands == null || !cands.isArray() || cands.isEmpty()) {
      throw r.error("candidates", "must be a non-empty list");
    }
    List<Policy.Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < cands.size(); i++) {
      String f = "candidates[" + i + "]";
      JsonNode n = cands.get(i);
      if (!n.isObject()) {
        throw r.error(f, "must be a mapping with model, input_price_per_mtok, output_price_per_mtok, threshold");
      }
      candidates.add(
          new Policy.Candidate(
              r.text(n, f + ".model", true),
              r.number(n, f + ".input_price_per_mtok", true),
              r.number(n, f + ".output_price_per_mtok", true),
              r.number(n, f + ".threshold", kind == Policy.Kind.QUALITY_THRESHOLD, 0.0),
              n.has("ability") ? r.number(n, f + ".ability", true) : null));
    }
    List<Double> dts = new ArrayList<>();
    JsonNode dtn = root.get("difficulty_thresholds");
    if (dtn != null && !dtn.isNull()) {
      if (!dtn.isArray()) {
        throw r.error("difficulty_thresholds", "must be a list of numbers");
      }
      for (int i = 0; i < dtn.size(); i++) {
        if (!dtn.get(i).isNumber()) {
          throw r.error("difficulty_thresholds[" + i + "]", "must be a number");
        }
        dts.add(dtn.get(i).asDouble());
      }
    }
    Policy.Target target = null;
    JsonNode tn = r.object(root, "target", false);
    if (tn != null) {
      Double q = tn.has("quality") ? r.number(tn, "target.quality", true) : null;
      Double c = tn.has("cost_usd") ? r.number(tn, "target.cost_usd", true) : null;
      target = new Policy.Target(q, c);
    }
    Policy.TunedOn tunedOn = null;
    JsonNode to = r.object(root, "tuned_on", false);
    if (to != null) {
      tunedOn =
          new Policy.TunedOn(
              r.text(to, "tuned_on.dataset", true),
              r.text(to, "tuned_on.sha256", true),
              r.text(to, "tuned_on.split", true),
              (long) r.number(to, "tuned_on.rows", true));
    }
    Policy p =
        new Policy(
            version,
            kind,
            classifier,
            candidates,
            dts,
            target,
            tunedOn,
            r.point(root, "validation"),
            r.point(root, "test"),
            r.text(root, "created", false));
    validate(p, origin);
    return p;
  }

  /** Semantic checks shared by read and write. */
  static void validate(Policy p, String origin) {
    Reader r = new Reader(origin);
    if (p.version() == null || p.version().isBlank()) {
      throw r.error("version", "is required");
    }
    if (p.kind() == null) {
      throw r.error("kind", "is required");
    }
    if (p.classifier() == null || p.classifier().sha256() == null || p.classifier().sha256().isBlank()) {
      throw r.error("classifier.sha256", "is required");
    }
    if (p.candidates().isEmpty()) {
      throw r.error("candidates", "must be a non-empty list");
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < p.candidates().size(); i++) {
      Policy.Candidate c = p.candidates().get(i);
      String f = "candidates[" + i + "]";
      if (c.model() == null || c.model().isBlank()) {
        throw r.error(f + ".model", "is required");
      }
      Integer prev = seen.put(c.model(), i);
      if (prev != null) {
        throw r.error(f + ".model", "'" + c.model() + "' is already candidates[" + prev + "]");
      }
      if (!(c.inputPricePerMtok() >= 0) || !(c.outputPricePerMtok() >= 0)) {
        throw r.error(f, "prices must be non-negative numbers");
      }
      if (!(c.threshold() >= 0 && c.threshold() <= 1)) {
        throw r.error(f + ".threshold", "must be in [0, 1], was " + c.threshold());
      }
    }
    if (p.kind() == Policy.Kind.DIFFICULTY_THRESHOLD) {
      if (p.candidates().size() < 2) {
        throw r.error("candidates", "the difficulty-threshold kind needs at least two candidates");
      }
      if (p.difficultyThresholds().size() != p.candidates().size() - 1) {
        throw r.error(
            "difficulty_thresholds",
            "must have " + (p.candidates().size() - 1) + " values (one fewer than candidates), has "
                + p.difficultyThresholds().size());
      }
      double prev = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < p.difficultyThresholds().size(); i++) {
        double t = p.difficultyThresholds().get(i);
        if (!(t >= prev)) {
          throw r.error("difficulty_thresholds[" + i + "]", "must be ascending and a number, was " + t);
        }
        prev = t;
      }
    }
    if (p.target() != null) {
      boolean q = p.target().quality() != null;
      boolean c = p.target().costUsd() != null;
      if (q == c) {
        throw r.error("target", "must set exactly one of quality or cost_usd");
      }
      if (q && !(p.target().quality() > 0 && p.target().quality() <= 1)) {
        throw r.error("target.quality", "must be in (0, 1], was " + p.target().quality());
      }
      if (c && !(p.target().costUsd() > 0)) {
        throw r.error("target.cost_usd", "must be positive, was " + p.target().costUsd());
      }
    }
  }

  /** Field access that reports the failing field. */
  private record Reader(String origin) {
    PolicyFileException error(String field, String message) {
      return new PolicyFileException(
          origin + ": " + (field.isEmpty() ? "" : "field '" + field + "' ") + message);
    }

    private static String leaf(String field) {
      int dot = field.lastIndexOf('.');
      return dot < 0 ? field : field.substring(dot + 1);
    }

    String text(JsonNode parent, String field, boolean required) {
      JsonNode n = parent.get(leaf(field));
      if (n == null || n.isNull()) {
        if (required) {
          throw error(field, "is required");
        }
        return null;
      }
      if (!n.isValueNode()) {
        throw error(field, "must be a text value");
      }
      return n.asText();
    }

    double number(JsonNode parent, String field, boolean required) {
      return number(parent, field, required, Double.NaN);
    }

    double number(JsonNode parent, String field, boolean required, double dflt) {
      JsonNode n = parent.get(leaf(field));
      if (n == null || n.isNull()) {
        if (required) {
          throw error(field, "is required");
        }
        return dflt;
      }
      if (!n.isNumber()) {
        throw error(field, "must be a number, was '" + n.asText() + "'");
      }
      return n.asDouble();
    }

    JsonNode object(JsonNode parent, String field, boolean required) {
      JsonNode n = parent.get(field);
      if (n == null || n.isNull()) {
        if (required) {
          throw error(field, "is required");
        }
        return null;
      }
      if (!n.isObject()) {
        throw error(field, "must be a mapping");
      }
      return n;
    }

    Policy.AchievedPoint point(JsonNode root, String field) {
      JsonNode n = object(root, field, false);
      if (n == null) {
        return null;
      }
      Map<String, Double> share = new LinkedHashMap<>();
      JsonNode s = n.get("call_share");
      if (s != null && s.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> it = s.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          share.put(e.getKey(), e.getValue().asDouble());
        }
      }
      return new Policy.AchievedPoint(
          text(n, field + ".split", false),
          (long) number(n, field + ".prompts", false, 0),
          number(n, field + ".mean_quality", true),
          number(n, field + ".quality_fraction", true),
          number(n, field + ".cost_per_request_usd", true),
          share);
    }
  }
}
