package dev.switchboard.dataset.importer;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.recorded.AnswerRow;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Joins response files ({@code prompt_id, model, response}) with their score files (prompt
 * text, token counts, {@code model_id}, price) into recorded-answer rows. Models are named as in
 * the routing datasets: {@code model_id} when the score row has one, else {@code model}.
 */
public final class AnswersImporter {

  /**
   * @param scoreFiles JSONL score files (the routing dataset inputs)
   * @param responseFiles JSONL response files
   * @param excludeModels dropped on purpose (source or canonical name)
   * @param prices when non-null, only models with a price (row cost, row prices or this table) are kept
   */
  public record Options(List<Path> scoreFiles, List<Path> responseFiles, Set<String> excludeModels,
      ModelPrices prices, boolean pricedOnly, int maxExamples) {}

  /**
   * @param skipped reason -> count and first locations
   */
  public record Result(List<AnswerRow> rows, long responsesRead, Map<String, ImportReport.Rejections> skipped) {

    public String render() {
      StringBuilder sb = new StringBuilder(String.format("Read %d responses: kept %d%n", responsesRead, rows.size()));
      skipped.forEach((reason, r) -> {
        sb.append(String.format("  %-44s %7d%n", reason, r.count()));
        r.examples().forEach(e -> sb.append("      ").append(e).append(System.lineSeparator()));
      });
      return sb.toString();
    }
  }

  private record Meta(String model, String prompt, long inTok, long outTok, String source, boolean priced) {}

  private static final ObjectMapper JSON = Jackson.JSON;

  private AnswersImporter() {}

  public static Result run(Options o) {
    Map<String, Meta> meta = new HashMap<>();
    for (Path f : o.scoreFiles()) {
      JsonlFiles.forEachLine(f, (lineNo, text) -> {
        JsonNode n = parse(text);
        if (n == null || n.path("prompt_id").isMissingNode() || n.path("model").isMissingNode()) {
          return; // the routing import reports bad score rows; here they simply have no answer
        }
        String modelId = n.path("model_id").isTextual() ? n.get("model_id").asText() : null;
        String model = modelId != null ? modelId : n.get("model").asText();
        boolean priced = !n.path("est_cost_usd").isNull() && !n.path("est_cost_usd").isMissingNode()
            || !n.path("cost_usd").isNull() && !n.path("cost_usd").isMissingNode()
            || (o.prices() != null && o.prices().find(model).isPresent());
        meta.putIfAbsent(key(n.get("prompt_id").asText(), n.get("model").asText()),
            new Meta(model, n.path("prompt").asText(""), n.path("prompt_tokens_cl100k").asLong(0),
                n.path("response_tokens_cl100k").asLong(0), n.path("dataset").asText(fileBase(f)), priced));
      });
    }
    Map<String, Counter> skipped = new TreeMap<>();
    List<AnswerRow> rows = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    long[] read = {0};
    for (Path f : o.responseFiles()) {
      String label = String.valueOf(f.getFileName());
      JsonlFiles.forEachLine(f, (lineNo, text) -> {
        read[0]++;
        String where = label + ":" + lineNo;
        JsonNode n = parse(text);
        if (n == null || !n.path("prompt_id").isTextual() || !n.path("model").isTextual()) {
          skip(skipped, "bad JSON or no prompt_id/model", where, o.maxExamples());
          return;
        }
        String sourceModel = n.get("model").asText();
        Meta m = meta.get(key(n.get("prompt_id").asText(), sourceModel));
        if (m == null) {
          skip(skipped, "no matching score row", where, o.maxExamples());
          return;
        }
        if (o.excludeModels().contains(sourceModel) || o.excludeModels().contains(m.model())) {
          skip(skipped, "excluded model " + sourceModel, null, 0);
          return;
        }
        if (o.pricedOnly() && !m.priced()) {
          skip(skipped, "unpriced model " + sourceModel, null, 0);
          return;
        }
        String response = n.path("response").isTextual() ? n.get("response").asText() : null;
        if (response == null || response.isBlank()) {
          skip(skipped, "empty or missing response", where, o.maxExamples());
          return;
        }
        String k = m.model() + "\u0000" + RecordedAnswers.normalize(m.prompt());
        String first = seen.putIfAbsent(k, where);
        if (first != null) {
          skip(skipped, "duplicate (model, prompt)", where + " (first at " + first + ")", o.maxExamples());
          return;
        }
        rows.add(new AnswerRow(m.model(), n.get("prompt_id").asText(), m.prompt(), response, m.inTok(), m.outTok(),
            m.source()));
      });
    }
    Map<String, ImportReport.Rejections> out = new LinkedHashMap<>();
    skipped.forEach((k, c) -> out.put(k, new ImportReport.Rejections(c.count, List.copyOf(c.examples))));
    return new Result(List.copyOf(rows), read[0], Collections.unmodifiableMap(out));
  }

  private static final class Counter {
    int count;
    final List<String> examples = new ArrayList<>();
  }

  private static void skip(Map<String, Counter> m, String reason, String where, int max) {
    Counter c = m.computeIfAbsent(reason, k -> new Counter());
    c.count++;
    if (where != null && c.examples.size() < max) {
      c.examples.add(where);
    }
  }

  private static String key(String promptId, String model) {
    return promptId + "\u0000" + model;
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String fileBase(Path f) {
    String s = String.valueOf(f.getFileName());
    int dot = s.indexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }
}
