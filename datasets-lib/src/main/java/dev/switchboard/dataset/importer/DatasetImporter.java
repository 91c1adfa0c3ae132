package dev.switchboard.dataset.importer;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.RoutingRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns JSONL score files (the schema of the shipped source data, or a user's file with the
 * same or the plain canonical field names) into canonical {@link RoutingRow}s. Every input row is
 * either kept, excluded on purpose, or rejected with a reason and its line number.
 */
public final class DatasetImporter {

  /** Rows plus what happened to the rest. */
  public record Result(List<RoutingRow> rows, ImportReport report) {}

  private static final ObjectMapper JSON = Jackson.JSON;

  private DatasetImporter() {}

  /**
   * Reads every input and returns the usable rows grouped by prompt (prompts in first-seen order,
   * a prompt's rows in input order).
   *
   * @throws DatasetImportException if an input is missing or unreadable
   */
  public static Result importRows(ImportOptions options) {
    ImportReport.Builder report = new ImportReport.Builder(options.maxExamples());
    List<Parsed> parsed = new ArrayList<>();
    for (Path in : options.inputs()) {
      String fileLabel = String.valueOf(in.getFileName());
      String defaultSource = baseName(fileLabel);
      JsonlFiles.forEachLine(in, (lineNo, text) -> {
        report.lineRead();
        String where = fileLabel + ":" + lineNo;
        RowParse p = parseLine(text, where, defaultSource, options, report);
        if (p.row != null) {
          parsed.add(p.row);
        } else if (p.reason != null) {
          report.reject(p.reason, where, p.detail);
        }
      });
    }
    List<RoutingRow> rows = resolve(parsed, options, report);
    report.kept(rows.size());
    return new Result(rows, report.build());
  }

  /** A row that passed the per-line checks; split may still be null (assigned later). */
  private record Parsed(RoutingRow row, String explicitSplit, String where) {}

  /** Exactly one of row / reason is set, or neither when the row was excluded on purpose. */
  private record RowParse(Parsed row, RejectReason reason, String detail) {
    static RowParse reject(RejectReason r, String detail) {
      return new RowParse(null, r, detail);
    }
  }

  private static final RowParse EXCLUDED = new RowParse(null, null, null);

  private static RowParse parseLine(
      String text, String where, String defaultSource, ImportOptions o, ImportReport.Builder report) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return RowParse.reject(RejectReason.BAD_JSON, e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      return RowParse.reject(RejectReason.BAD_JSON, "line is JSON but not an object");
    }
    String promptId = text(n, "prompt_id");
    if (promptId == null) {
      return RowParse.reject(RejectReason.MISSING_PROMPT_ID, null);
    }
    String sourceModel = text(n, "model");
    String modelId = text(n, "model_id");
    String model = modelId != null ? modelId : sourceModel;
    if (model == null) {
      return RowParse.reject(RejectReason.MISSING_MODEL, "prompt_id " + promptId);
    }
    if (o.excludeModels().contains(model) || (sourceModel != null && o.excludeModels().contains(sourceModel))) {
      report.excluded(sourceModel != null ? sourceModel : model);
      return EXCLUDED;
    }

    String messages = null;
    JsonNode m = n.get("messages");
    if (m != null && !m.isNull()) {
      JsonNode arr = m;
      if (m.isTextual()) {
        try {
          arr = JSON.readTree(m.asText());
        } catch (JsonProcessingException e) {
          arr = null;
        }
      }
      if (arr == null || !arr.isArray()) {
        return RowParse.reject(RejectReason.BAD_MESSAGES, "prompt_id " + promptId);
      }
      messages = arr.toString();
    }
    String prompt = rawText(n, "prompt");
    if (prompt == null || prompt.isBlank()) {
      prompt = messages == null ? null : lastUserText(parseTree(messages));
    }
    if (prompt == null || prompt.isBlank()) {
      return RowParse.reject(RejectReason.MISSING_PROMPT, "prompt_id " + promptId);
    }

    JsonNode q = n.get("quality");
    if (q == null || q.isNull()) {
      return RowParse.reject(RejectReason.QUALITY_MISSING, "prompt_id " + promptId + ", model " + model);
    }
    if (!q.isNumber()) {
      return RowParse.reject(RejectReason.QUALITY_NOT_A_NUMBER, "quality " + q);
    }
    double quality = q.asDouble();
    if (!(quality >= 0.0 && quality <= 1.0)) {
      return RowParse.reject(RejectReason.QUALITY_OUT_OF_RANGE, "quality " + q);
    }

    Long inTok;
    Long outTok;
    try {
      inTok = firstLong(n, "input_tokens", "prompt_tokens_cl100k");
      outTok = firstLong(n, "output_tokens", "response_tokens_cl100k");
    } catch (NumberFormatException e) {
      return RowParse.reject(RejectReason.BAD_NUMBER, e.getMessage());
    }
    if (inTok == null && o.estimateInputTokens()) {
      inTok = TokenEstimate.estimate(prompt);
      report.note("input tokens estimated");
    }
    if (outTok == null && o.assumeOutputTokens() != null) {
      outTok = o.assumeOutputTokens();
      report.note("output tokens assumed (" + o.assumeOutputTokens() + ")");
    }
    if (inTok == null || outTok == null) {
      return RowParse.reject(RejectReason.MISSING_TOKENS,
          (inTok == null ? "no input tokens" : "no output tokens") + " for prompt_id " + promptId);
    }

    Double cost;
    try {
      cost = cost(n, model, sourceModel, inTok, outTok, o.prices(), report);
    } catch (NumberFormatException e) {
      return RowParse.reject(RejectReason.BAD_NUMBER, e.getMessage());
    }
    if (cost == null) {
      report.unpriced(model);
      return RowParse.reject(RejectReason.NO_COST_NO_PRICE, "model " + model);
    }

    String explicitSplit = null;
    String rawSplit = text(n, "split");
    if (rawSplit != null) {
      Optional<String> s = SplitAssigner.normalize(rawSplit);
      if (s.isEmpty()) {
        return RowParse.reject(RejectReason.BAD_SPLIT, "split \"" + rawSplit + "\"");
      }
      explicitSplit = s.get();
    }

    String category = text(n, o.categoryField());
    String source = o.sourceName() != null ? o.sourceName()
        : Optional.ofNullable(text(n, "source")).or(() -> Optional.ofNullable(text(n, "dataset"))).orElse(defaultSource);
    RoutingRow row = new RoutingRow(promptId, prompt, messages, category, null, model, quality, inTok, outTok, cost, source);
    return new RowParse(new Parsed(row, explicitSplit, where), null, null);
  }

  /** Second pass: duplicates, prompt consistency, and one split per prompt. */
  private static List<RoutingRow> resolve(List<Parsed> parsed, ImportOptions o, ImportReport.Builder report) {
    Map<String, String> firstWhere = new HashMap<>();
    Map<String, String> promptText = new HashMap<>();
    Map<String, String> explicitSplit = new HashMap<>();
    Map<String, List<Parsed>> byPrompt = new LinkedHashMap<>();
    for (Parsed p : parsed) {
      RoutingRow r = p.row();
      String key = r.promptId() + "\u0000" + r.model();
      String seen = firstWhere.putIfAbsent(key, p.where());
      if (seen != null) {
        report.reject(RejectReason.DUPLICATE, p.where(), "prompt_id " + r.promptId() + ", model " + r.model()
            + " first at " + seen);
        continue;
      }
      String text = promptText.putIfAbsent(r.promptId(), r.prompt());
      if (text != null && !text.equals(r.prompt())) {
        firstWhere.remove(key);
        report.reject(RejectReason.PROMPT_MISMATCH, p.where(), "prompt_id " + r.promptId());
        continue;
      }
      if (p.explicitSplit() != null) {
        String s = explicitSplit.putIfAbsent(r.promptId(), p.explicitSplit());
        if (s != null && !s.equals(p.explicitSplit())) {
          firstWhere.remove(key);
          report.reject(RejectReason.SPLIT_CONFLICT, p.where(),
              "prompt_id " + r.promptId() + " is \"" + p.explicitSplit() + "\" here, \"" + s + "\" earlier");
          continue;
        }
      }
      byPrompt.computeIfAbsent(r.promptId(), k -> new ArrayList<>()).add(p);
    }
    List<RoutingRow> out = new ArrayList<>(parsed.size());
    byPrompt.forEach((promptId, rows) -> {
      String given = explicitSplit.get(promptId);
      String split = given != null ? given
          : SplitAssigner.assign(o.seed(), promptId, o.testFraction(), o.validationFraction());
      if (given != null) {
        rows.forEach(p -> report.note("split from input"));
      }
      for (Parsed p : rows) {
        RoutingRow r = p.row();
        out.add(new RoutingRow(r.promptId(), r.prompt(), r.messagesJson(), r.category(), split, r.model(),
            r.quality(), r.inputTokens(), r.outputTokens(), r.costUsd(), r.source()));
      }
    });
    return out;
  }

  private static Double cost(JsonNode n, String model, String sourceModel, long inTok, long outTok,
      ModelPrices prices, ImportReport.Builder report) {
    Double given = firstDouble(n, "cost_usd", "est_cost_usd");
    if (given != null) {
      report.note("cost from row");
      return given;
    }
    Double pin = firstDouble(n, "price_in_usd_per_mtok");
    Double pout = firstDouble(n, "price_out_usd_per_mtok");
    if (pin != null && pout != null) {
      report.note("cost from row prices");
      return new ModelPrices.Price(pin, pout, false, "row").cost(inTok, outTok);
    }
    if (prices != null) {
      Optional<ModelPrices.Price> p = prices.find(model);
      if (p.isEmpty() && sourceModel != null) {
        p = prices.find(sourceModel);
      }
      if (p.isPresent()) {
        report.note("cost from --prices");
        return p.get().cost(inTok, outTok);
      }
    }
    return null;
  }

  private static JsonNode parseTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return null; // already validated as an array by the caller
    }
  }

  /** The text of the last user turn; content may be a string or a list of {type:text} parts. */
  static String lastUserText(JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      return null;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode msg = messages.get(i);
      if ("user".equals(msg.path("role").asText())) {
        JsonNode c = msg.get("content");
        if (c == null || c.isNull()) {
          return null;
        }
        if (c.isTextual()) {
          return c.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : c) {
          if (part.path("text").isTextual()) {
            sb.append(sb.length() == 0 ? "" : "\n").append(part.get("text").asText());
          }
        }
        return sb.toString();
      }
    }
    return null;
  }

  /** A non-blank text value (numbers and booleans as their text), else null. */
  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      return null;
    }
    String s = v.asText().trim();
    return s.isEmpty() ? null : s;
  }

  /** A text value kept verbatim (prompts keep their whitespace). */
  private static String rawText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  private static Long firstLong(JsonNode n, String... fields) {
    Double d = firstDouble(n, fields);
    if (d == null) {
      return null;
    }
    if (d != Math.rint(d)) {
      throw new NumberFormatException("token count " + d + " is not a whole number");
    }
    return d.longValue();
  }

  /** The first present, non-null field as a non-negative number. */
  private static Double firstDouble(JsonNode n, String... fields) {
    for (String f : fields) {
      JsonNode v = n.get(f);
      if (v == null || v.isNull()) {
        continue;
      }
      if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
        throw new NumberFormatException(f + " = " + v);
      }
      return v.asDouble();
    }
    return null;
  }

  private static String baseName(String fileName) {
    String s = fileName;
    for (String ext : new String[] {".gz", ".jsonl", ".json", ".ndjson"}) {
      if (s.endsWith(ext)) {
        s = s.substring(0, s.length() - ext.length());
      }
    }
    return s;
  }
}
