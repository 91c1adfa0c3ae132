package dev.switchboard.eval.report;

import dev.switchboard.dataset.parquet.ParquetFiles;
import dev.switchboard.eval.run.OperatingPoint;
import dev.switchboard.eval.run.EvalResult;
import dev.switchboard.eval.run.EvalTable;
import dev.switchboard.eval.run.Scored;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * {@code decisions.parquet}: one row per prompt with the classifier's scores, every candidate's
 * recorded quality and cost, and the router's choice at its reported operating point. Per-candidate
 * columns are {@code predicted_quality__<model>}, {@code quality__<model>} and {@code
 * cost_usd__<model>} with the model name reduced to {@code [A-Za-z0-9_]}; the file's key-value
 * metadata {@code switchboard.candidates} lists the real names in column order.
 */
public final class DecisionsParquet {
  private DecisionsParquet() {}

  static String column(String model) {
    return model.replaceAll("[^A-Za-z0-9_]", "_");
  }

  public static void write(Path file, EvalResult r, EvalTable t, Scored s) {
    OperatingPoint router = r.runs().get(0).points().get(r.metrics().get("router").operatingPoint());
    Types.MessageTypeBuilder mb = Types.buildMessage();
    mb.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("prompt_id");
    mb.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("category");
    mb.required(PrimitiveTypeName.DOUBLE).named("difficulty");
    for (String c : t.candidates) {
      mb.required(PrimitiveTypeName.DOUBLE).named("predicted_quality__" + column(c));
    }
    for (String c : t.candidates) {
      mb.required(PrimitiveTypeName.DOUBLE).named("quality__" + column(c));
    }
    for (String c : t.candidates) {
      mb.required(PrimitiveTypeName.DOUBLE).named("cost_usd__" + column(c));
    }
    mb.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("chosen_model");
    mb.required(PrimitiveTypeName.INT32).named("chosen_index");
    mb.required(PrimitiveTypeName.DOUBLE).named("quality");
    mb.required(PrimitiveTypeName.DOUBLE).named("cost_usd");
    mb.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("router_setting");
    // With --policy: what that exact policy chooses per prompt (what the live router must reproduce).
    OperatingPoint tuned = r.runs().stream().filter(x -> x.id().equals("tuned")).map(x -> x.points().get(0)).findFirst().orElse(null);
    if (tuned != null) {
      mb.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("policy_model");
      mb.optional(PrimitiveTypeName.DOUBLE).named("policy_quality");
      mb.optional(PrimitiveTypeName.DOUBLE).named("policy_cost_usd");
    }
    MessageType schema = mb.named("decision");
    List<Integer> rows = new ArrayList<>(t.size());
    for (int p = 0; p < t.size(); p++) {
      rows.add(p);
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("switchboard.candidates", String.join("\n", t.candidates));
    meta.put("switchboard.classifier_sha256", r.meta().classifierSha256());
    meta.put("switchboard.dataset_sha256", r.meta().datasetSha256());
    meta.put("switchboard.split", r.meta().split());
    int[] chosen = router.chosen();
    ParquetFiles.write(file, schema, rows, (p, g) -> {
      g.add("prompt_id", t.promptId[p]);
      if (t.category[p] != null) {
        g.add("category", t.category[p]);
      }
      g.add("difficulty", s.difficulty[p]);
      for (int c = 0; c < t.models(); c++) {
        g.add("predicted_quality__" + column(t.candidates.get(c)), s.predicted[p][c]);
      }
      for (int c = 0; c < t.models(); c++) {
        g.add("quality__" + column(t.candidates.get(c)), t.quality[p][c]);
      }
      for (int c = 0; c < t.models(); c++) {
        g.add("cost_usd__" + column(t.candidates.get(c)), t.cost[p][c]);
      }
      g.add("chosen_model", t.candidates.get(chosen[p]));
      g.add("chosen_index", chosen[p]);
      g.add("quality", t.quality[p][chosen[p]]);
      g.add("cost_usd", t.cost[p][chosen[p]]);
      g.add("router_setting", router.label());
      if (tuned != null) {
        int c = tuned.chosen()[p];
        g.add("policy_model", t.candidates.get(c));
        g.add("policy_quality", t.quality[p][c]);
        g.add("policy_cost_usd", t.cost[p][c]);
      }
    }, meta);
  }
}
