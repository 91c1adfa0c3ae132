package dev.switchboard.dataset.parquet;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.RoutingRow;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Reads and writes the canonical routing dataset (one Parquet row per prompt x model). The
 * schema is documented in {@code datasets/README.md}; column names are the constants below.
 */
public final class RoutingDatasets {


  public static final MessageType SCHEMA =
      Types.buildMessage()
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("prompt_id")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("prompt")
          .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("messages")
          .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("category")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("split")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("model")
          .required(PrimitiveTypeName.DOUBLE).named("quality")
          .required(PrimitiveTypeName.INT64).named("input_tokens")
          .required(PrimitiveTypeName.INT64).named("output_tokens")
          .required(PrimitiveTypeName.DOUBLE).named("cost_usd")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("source")
          .named("routing_row");

  private RoutingDatasets() {}

  /** Writes {@code rows} (in the given order) to {@code file}, replacing it. */
  public static void write(Path file, List<RoutingRow> rows) {
    ParquetFiles.write(file, SCHEMA, rows, RoutingDatasets::toGroup, Map.of("switchboard.schema", "routing_row/1"));
  }

  /**
   * Reads every row of {@code file}.
   *
   * @throws ParquetFiles.ParquetFileException naming the file when it is missing, corrupt or
   *     lacks a required column
   */
  public static List<RoutingRow> read(Path file) {
    // Every prompt repeats once per model: share one String per distinct value instead of one per row.
    Map<String, String> pool = new HashMap<>();
    return ParquetFiles.read(file, g -> fromGroup(g, pool));
  }

  /** Reads {@code file} into the in-memory view. */
  public static RoutingDataset load(Path file) {
    return RoutingDataset.of(read(file));
  }

  private static void toGroup(RoutingRow r, Group g) {
    g.append("prompt_id", r.promptId());
    g.append("prompt", r.prompt());
    if (r.messagesJson() != null) {
      g.append("messages", r.messagesJson());
    }
    if (r.category() != null) {
      g.append("category", r.category());
    }
    g.append("split", r.split());
    g.append("model", r.model());
    g.append("quality", r.quality());
    g.append("input_tokens", r.inputTokens());
    g.append("output_tokens", r.outputTokens());
    g.append("cost_usd", r.costUsd());
    g.append("source", r.source());
  }

  private static RoutingRow fromGroup(Group g, Map<String, String> pool) {
    return new RoutingRow(
        string(g, "prompt_id", pool),
        string(g, "prompt", pool),
        string(g, "messages", pool),
        string(g, "category", pool),
        string(g, "split", pool),
        string(g, "model", pool),
        g.getDouble("quality", 0),
        g.getLong("input_tokens", 0),
        g.getLong("output_tokens", 0),
        g.getDouble("cost_usd", 0),
        string(g, "source", pool));
  }

  /** The field's value (null when an optional field is absent), one shared instance per distinct value. */
  private static String string(Group g, String field, Map<String, String> pool) {
    if (g.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    String v = g.getString(field, 0);
    String shared = pool.putIfAbsent(v, v);
    return shared == null ? v : shared;
  }
}
