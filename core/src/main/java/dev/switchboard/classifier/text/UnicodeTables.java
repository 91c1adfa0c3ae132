package dev.switchboard.classifier.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Unicode tables of {@link BertUnicode}, parsed from {@code bert-unicode-tables.txt} (generated
 * by {@code classifier/tools/gen_bert_unicode_tables.py} from the Rust crates HF tokenizers uses).
 * Range tables are sorted inclusive [start, end] pairs.
 */
final class UnicodeTables {

  /** Cf ranges (unicode_categories 0.1.1, Unicode 8.0). */
  int[] format;
  /** Mn ranges (same crate). */
  int[] nonspacingMark;
  /** Pc, Pd, Pe, Pf, Pi, Po and Ps ranges (same crate). */
  int[] punctuation;
  /** Code points with a nonzero canonical combining class, sorted, and their classes (Unicode 9.0). */
  int[] cccKeys;
  byte[] cccValues;
  /** Code points with a canonical decomposition, sorted, and their full decompositions (Unicode 9.0). */
  int[] nfdKeys;
  int[][] nfdValues;

  private UnicodeTables() {}

  /** Parses {@code resource}, a name relative to this class's package. */
  static UnicodeTables read(String resource) {
    UnicodeTables t = new UnicodeTables();
    List<int[]> ccc = new ArrayList<>();
    List<int[]> nfd = new ArrayList<>();
    try (InputStream in = UnicodeTables.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + resource + " is missing next to " + UnicodeTables.class.getName());
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ");
        switch (f[0]) {
          case "cf" -> t.format = ranges(f, 1);
          case "mn" -> t.nonspacingMark = ranges(f, 1);
          case "p" -> t.punctuation = ranges(f, 1);
          case "ccc" -> {
            int cls = Integer.parseInt(f[1]);
            int[] rs = ranges(f, 2);
            for (int i = 0; i < rs.length; i += 2) {
              for (int c = rs[i]; c <= rs[i + 1]; c++) {
                ccc.add(new int[] {c, cls});
              }
            }
          }
          case "nfd" -> {
            int[] v = new int[f.length - 1];
            for (int i = 1; i < f.length; i++) {
              v[i - 1] = Integer.parseInt(f[i], 16);
            }
            nfd.add(v);
          }
          default -> throw new IllegalStateException(resource + ": unknown line '" + line + "'");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    if (t.format == null || t.nonspacingMark == null || t.punctuation == null || ccc.isEmpty() || nfd.isEmpty()) {
      throw new IllegalStateException(resource + " lacks one of its tables (cf, mn, p, ccc, nfd)");
    }
    ccc.sort((a, b) -> Integer.compare(a[0], b[0]));
    t.cccKeys = new int[ccc.size()];
    t.cccValues = new byte[ccc.size()];
    for (int i = 0; i < ccc.size(); i++) {
      t.cccKeys[i] = ccc.get(i)[0];
      t.cccValues[i] = (byte) ccc.get(i)[1];
    }
    nfd.sort((a, b) -> Integer.compare(a[0], b[0]));
    t.nfdKeys = new int[nfd.size()];
    t.nfdValues = new int[nfd.size()][];
    for (int i = 0; i < nfd.size(); i++) {
      t.nfdKeys[i] = nfd.get(i)[0];
      t.nfdValues[i] = Arrays.copyOfRange(nfd.get(i), 1, nfd.get(i).length);
    }
    return t;
  }

  private static int[] ranges(String[] f, int from) {
    int[] out = new int[2 * (f.length - from)];
    for (int i = from; i < f.length; i++) {
      int dash = f[i].indexOf('-');
      int a = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash), 16);
      int b = dash < 0 ? a : Integer.parseInt(f[i].substring(dash + 1), 16);
      out[2 * (i - from)] = a;
      out[2 * (i - from) + 1] = b;
    }
    return out;
  }
}
