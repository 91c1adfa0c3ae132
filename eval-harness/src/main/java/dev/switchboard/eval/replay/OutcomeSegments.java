package dev.switchboard.eval.replay;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.dataset.RoutingRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Append-only outcome segments of a replay run: {@code <run>/outcomes/seg-NNNNNN.jsonl}, one per
 * processed batch. The first line lists, per topic partition, the last offset the segment covers;
 * every other line is one {@link RoutingRow}. A segment appears atomically (written to a temporary
 * file, fsynced, renamed) and before the consumer commits its offsets, so after a crash the
 * segments say exactly which records are done: replay skips them even if the commit was lost.
 */
final class OutcomeSegments {

  private static final ObjectMapper JSON = Jackson.JSON;

  private final Path dir;
  private int next;
  /** Number of the first segment this instance writes; lower numbers are an earlier invocation's. */
  private final int firstNew;

  public OutcomeSegments(Path runDir) {
    this.dir = runDir.resolve("outcomes");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    this.next = segments().size() + 1;
    this.firstNew = next;
  }

  /** "topic:partition" -> last offset covered by any segment. */
  public Map<String, Long> coveredOffsets() {
    Map<String, Long> out = new HashMap<>();
    for (Path seg : segments()) {
      JsonNode header = readHeader(seg);
      header.path("offsets").fields().forEachRemaining(e -> out.merge(e.getKey(), e.getValue().asLong(), Math::max));
    }
    return out;
  }

  /** Writes one segment atomically. */
  public void append(Map<String, Long> lastOffsets, List<RoutingRow> rows) {
    Path tmp = dir.resolve(String.format("seg-%06d.jsonl.tmp", next));
    Path seg = dir.resolve(String.format("seg-%06d.jsonl", next));
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode offs = header.putObject("offsets");
        lastOffsets.forEach(offs::put);
        w.write(header.toString());
        w.newLine();
        for (RoutingRow r : rows) {
          w.write(JSON.writeValueAsString(r));
          w.newLine();
        }
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, seg, StandardCopyOption.ATOMIC_MOVE);
      next++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write outcome segment " + seg + ": " + e.getMessage(), e);
    }
  }

  /** Every row of every segment, in order; a (prompt id, model) pair seen twice keeps the first. */
  public List<RoutingRow> rows() {
    return rows(List.of(), Integer.MAX_VALUE);
  }

  /**
   * As {@link #rows()}, with the rows this instance wrote given by the caller, who still has them:
   * only earlier invocations' segments are read back from disk.
   */
  public List<RoutingRow> rows(List<RoutingRow> writtenHere) {
    return rows(writtenHere, firstNew);
  }

  private List<RoutingRow> rows(List<RoutingRow> writtenHere, int readBelow) {
    Map<String, RoutingRow> out = new LinkedHashMap<>();
    for (Path seg : segments()) {
      String name = seg.getFileName().toString();
      if (Integer.parseInt(name.substring("seg-".length(), name.indexOf('.'))) >= readBelow) {
        continue;
      }
      try (Stream<String> lines = Files.lines(seg, StandardCharsets.UTF_8)) {
        lines.skip(1).filter(l -> !l.isBlank()).forEach(l -> {
          try {
            RoutingRow r = JSON.readValue(l, RoutingRow.class);
            out.putIfAbsent(r.promptId() + "\u0000" + r.model(), r);
          } catch (IOException e) {
            throw new UncheckedIOException("bad line in " + seg + ": " + e.getMessage(), e);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + seg + ": " + e.getMessage(), e);
      }
    }
    for (RoutingRow r : writtenHere) {
      out.putIfAbsent(r.promptId() + "\u0000" + r.model(), r);
    }
    return new ArrayList<>(out.values());
  }

  public List<Path> segments() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("seg-\\d+\\.jsonl")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readHeader(Path seg) {
    try (Stream<String> lines = Files.lines(seg, StandardCharsets.UTF_8)) {
      return JSON.readTree(lines.findFirst().orElse("{}"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + seg + ": " + e.getMessage(), e);
    }
  }
}
