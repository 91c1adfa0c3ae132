package dev.switchboard.router.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the repository's Markdown docs for the doc tests: sections, table rows, fenced blocks. */
final class DocFiles {
  private DocFiles() {}

  /** The repository root: {@code -Dswitchboard.repo.root} (surefire sets it), else the nearest parent with pom.xml and docs/. */
  static Path repoRoot() {
    String prop = System.getProperty("switchboard.repo.root");
    if (prop != null && !prop.isBlank() && isRoot(Path.of(prop))) return Path.of(prop).toAbsolutePath();
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (isRoot(p)) return p;
    }
    throw new IllegalStateException("cannot find the repository root (a folder with pom.xml and docs/)");
  }

  private static boolean isRoot(Path p) {
    return Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("docs"));
  }

  static String read(String relative) {
    try {
      return Files.readString(repoRoot().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text under the level-2 heading {@code heading} (exact line after "## "), up to the next level-2 heading. */
  static String section(String markdown, String heading) {
    String marker = "\n## " + heading + "\n";
    int i = markdown.indexOf(marker);
    if (i < 0) throw new AssertionError("no section '## " + heading + "' in the document");
    int start = i + marker.length();
    int end = markdown.indexOf("\n## ", start);
    return markdown.substring(start, end < 0 ? markdown.length() : end);
  }

  /** Table rows (cells trimmed) whose first cell is not the header or the separator line. */
  static List<List<String>> tableRows(String text) {
    List<List<String>> rows = new ArrayList<>();
    boolean header = true;
    for (String line : text.split("\n")) {
      if (!line.startsWith("|")) {
        header = true; // a new table starts with its own header
        continue;
      }
      if (line.startsWith("| ---") || line.startsWith("|---")) {
        header = false;
        continue;
      }
      if (header) continue;
      String body = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
      List<String> cells = new ArrayList<>();
      for (String c : body.split("(?<!\\\\)\\|", -1)) cells.add(c.trim());
      rows.add(cells);
    }
    return rows;
  }

  /** The first backticked token of a cell, or null. */
  static String firstCode(String cell) {
    Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
    return m.find() ? m.group(1) : null;
  }

  /** Every backticked token of a cell. */
  static List<String> codes(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** Contents of the fenced blocks with the given info string (e.g. "json", "yaml"). */
  static List<String> fencedBlocks(String markdown, String info) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^```" + Pattern.quote(info) + "\\n(.*?)^```$", Pattern.DOTALL).matcher(markdown);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** The fenced block right after the HTML comment {@code <!-- marker -->}. */
  static String markedBlock(String markdown, String marker) {
    int i = markdown.indexOf("<!-- " + marker + " -->");
    if (i < 0) throw new AssertionError("no <!-- " + marker + " --> in the document");
    Matcher m = Pattern.compile("```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL).matcher(markdown);
    if (!m.find(i)) throw new AssertionError("no fenced block after <!-- " + marker + " -->");
    return m.group(1);
  }
}
