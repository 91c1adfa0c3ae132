package dev.switchboard.dataset.parquet;

import dev.switchboard.dataset.recorded.AnswerRow;
import dev.switchboard.dataset.recorded.RecordedAnswer;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Recorded answers held in memory, keyed by (model, normalised prompt). Immutable after load,
 * so safe to share between event-loop threads. When two rows of one model normalise to the same
 * prompt, the first row in the file wins (the file is written in a deterministic order).
 */
public final class ParquetRecordedAnswers implements RecordedAnswers {

  public static final MessageType SCHEMA =
      Types.buildMessage()
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("model")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("prompt_id")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("prompt")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("response")
          .required(PrimitiveTypeName.INT64).named("input_tokens")
          .required(PrimitiveTypeName.INT64).named("output_tokens")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("source")
          .named("recorded_answer");

  private final Map<String, Map<String, RecordedAnswer>> byModel;
  private final Set<String> models;
  private final int size;

  private ParquetRecordedAnswers(Map<String, Map<String, RecordedAnswer>> byModel, int size) {
    this.byModel = byModel;
    this.models = Collections.unmodifiableSet(new TreeSet<>(byModel.keySet()));
    this.size = size;
  }

  /**
   * Loads a recorded-answers Parquet file into memory.
   *
   * @throws ParquetFiles.ParquetFileException naming the file when it is missing or unreadable
   */
  public static ParquetRecordedAnswers load(Path file) {
    return of(readRows(file));
  }

  /** Builds the lookup from rows (first row wins per (model, normalised prompt)). */
  public static ParquetRecordedAnswers of(List<AnswerRow> rows) {
    Map<String, String> canonical = new HashMap<>(); // one String instance per distinct prompt/model/id
    Map<String, String> keyOfPrompt = new HashMap<>(); // every model answers the same prompts: normalise once
    Map<String, Map<String, RecordedAnswer>> byModel = new HashMap<>();
    int size = 0;
    for (AnswerRow r : rows) {
      String model = canonical.computeIfAbsent(r.model(), k -> k);
      String key = keyOfPrompt.computeIfAbsent(r.prompt(),
          p -> canonical.computeIfAbsent(RecordedAnswers.normalize(p), k -> k));
      String promptId = canonical.computeIfAbsent(r.promptId(), k -> k);
      RecordedAnswer a = new RecordedAnswer(model, promptId, r.response(), r.inputTokens(), r.outputTokens());
      if (byModel.computeIfAbsent(model, k -> new HashMap<>()).putIfAbsent(key, a) == null) {
        size++;
      }
    }
    byModel.replaceAll((m, answers) -> Collections.unmodifiableMap(answers));
    return new ParquetRecordedAnswers(Collections.unmodifiableMap(byModel), size);
  }

  /** Reads the raw rows of an answers file (for tools and tests). */
  public static List<AnswerRow> readRows(Path file) {
    return ParquetFiles.read(file, ParquetRecordedAnswers::fromGroup);
  }

  /** Writes rows in the given order, replacing {@code file}. */
  public static void write(Path file, List<AnswerRow> rows) {
    ParquetFiles.write(file, SCHEMA, rows, ParquetRecordedAnswers::toGroup, Map.of("switchboard.schema", "recorded_answer/1"));
  }

  @Override
  public Optional<RecordedAnswer> find(String model, String promptText) {
    if (model == null || promptText == null) {
      return Optional.empty();
    }
    Map<String, RecordedAnswer> answers = byModel.get(model);
    return answers == null ? Optional.empty() : Optional.ofNullable(answers.get(RecordedAnswers.normalize(promptText)));
  }

  @Override
  public Set<String> models() {
    return models;
  }

  /** Number of distinct (model, prompt) answers held. */
  public int size() {
    return size;
  }

  private static AnswerRow fromGroup(Group g) {
    return new AnswerRow(g.getString("model", 0), g.getString("prompt_id", 0), g.getString("prompt", 0),
        g.getString("response", 0), g.getLong("input_tokens", 0), g.getLong("output_tokens", 0),
        g.getString("source", 0));
  }

  private static void toGroup(AnswerRow r, Group g) {
    g.append("model", r.model());
    g.append("prompt_id", r.promptId());
    g.append("prompt", r.prompt());
    g.append("response", r.response());
    g.append("input_tokens", r.inputTokens());
    g.append("output_tokens", r.outputTokens());
    g.append("source", r.source());
  }
}
