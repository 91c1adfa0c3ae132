package dev.switchboard.dataset.recorded;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Optional;
import java.util.Set;

/**
 * Lookup of recorded answers by model and prompt text. Implementations are immutable and
 * thread-safe (the recorded upstream calls them from event-loop threads).
 */
public interface RecordedAnswers {

  /** The recorded answer of {@code model} to {@code promptText}, matched on {@link #normalize}. */
  Optional<RecordedAnswer> find(String model, String promptText);

  /** Every model that has at least one recorded answer. */
  Set<String> models();

  /**
   * Loads {@code datasets/recorded/answers.parquet} (or a file of the same schema) into memory.
   *
   * @throws dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException naming the file
   *     when it is missing or unreadable
   */
  static RecordedAnswers load(Path file) {
    return ParquetRecordedAnswers.load(file);
  }

  /**
   * The matching key of a prompt: Unicode NFC, line endings unified, runs of whitespace
   * collapsed to one space, trimmed. Clients and SDKs re-encode whitespace; nothing else.
   */
  static String normalize(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    return nfc.replaceAll("\\s+", " ").trim();
  }
}
