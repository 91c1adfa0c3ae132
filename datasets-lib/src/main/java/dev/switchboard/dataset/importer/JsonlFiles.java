package dev.switchboard.dataset.importer;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Line-by-line reading of JSONL files, plain or gzip (recognised by its magic bytes). */
public final class JsonlFiles {

  private JsonlFiles() {}

  /** Receives each non-blank line with its 1-based line number. */
  @FunctionalInterface
  public interface LineHandler {
    void line(long lineNumber, String text);
  }

  /**
   * Calls {@code handler} for every non-blank line of {@code file}.
   *
   * @throws DatasetImportException naming the file if it is missing, unreadable or a broken gzip
   */
  public static void forEachLine(Path file, LineHandler handler) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetImportException("Input file not found: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new DatasetImportException("Input file is not readable: " + file);
    }
    long lineNo = 0;
    try (BufferedReader r = open(file)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lineNo++;
        if (!line.isBlank()) {
          handler.line(lineNo, line);
        }
      }
    } catch (IOException e) {
      throw new DatasetImportException(
          "Cannot read " + file + " after line " + lineNo + ": " + e.getMessage(), e);
    }
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }
}
