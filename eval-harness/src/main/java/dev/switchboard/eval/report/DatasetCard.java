package dev.switchboard.eval.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What "quality" means for a dataset, in plain words, read from its card: the Markdown file beside the Parquet file
 * ({@code datasets/arenabench_v1.parquet} → {@code datasets/arenabench_v1.md}). The card's opening paragraph says who
 * or what judged the answers and against what reference; its {@code **quality**} bullet says how the grade became a
 * number in [0, 1].
 */
final class DatasetCard {
  private DatasetCard() {}

  /**
   * @param datasetPath the evaluated Parquet file
   * @return the definition as plain text (Markdown emphasis, code and links removed), or null when there is no card
   */
  static String qualityDefinition(Path datasetPath) {
    String file = datasetPath.getFileName().toString();
    Path card = datasetPath.resolveSibling(file.replaceFirst("\\.parquet$", "") + ".md");
    if (!Files.isRegularFile(card)) return null;
    List<String> lines;
    try {
      lines = Files.readAllLines(card);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder intro = new StringBuilder();
    int i = 0;
    while (i < lines.size() && (lines.get(i).startsWith("#") || lines.get(i).isBlank())) i++;
    for (; i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).startsWith("- "); i++) intro.append(lines.get(i).strip()).append(' ');
    StringBuilder bullet = new StringBuilder();
    for (int j = 0; j < lines.size(); j++) {
      if (!lines.get(j).startsWith("- **quality**")) continue;
      bullet.append(lines.get(j).substring(2).strip()).append(' ');
      for (int k = j + 1; k < lines.size() && lines.get(k).startsWith("  "); k++) bullet.append(lines.get(k).strip()).append(' ');
      break;
    }
    String text = (intro + " " + bullet).strip();
    return text.isEmpty() ? null : plain(text) + " (from " + file.replaceFirst("\\.parquet$", "") + ".md)";
  }

  /** Markdown emphasis, code spans and links as plain text. */
  static String plain(String md) {
    return md.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("**", "").replace("`", "").replaceAll("\\s+", " ").strip();
  }
}
