package dev.switchboard.classifier.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.dataset.RepoFiles;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cheap features' code, LaTeX, maths and keyword scans ({@link CheapScan}) must find exactly
 * what the regular expressions the models were trained with find (kept here as the reference):
 * on every shipped prompt and on fuzzed text full of the characters those patterns care about
 * (word boundaries next to combining marks, surrogates, non-ASCII digits and letters, ASCII-only
 * case folding).
 */
class PromptFeaturesTest {

  // The reference: the patterns the shipped models were trained with.
  static final Pattern CODE = Pattern.compile(
      "\\bdef |\\bclass |\\bimport |\\bfunction\\b|\\breturn |#include|=>|\\};|\\)\\s*\\{|\\bpublic |\\bSELECT |\\bconst |\\bvar |\\blet |</?\\w+>");
  static final Pattern LATEX = Pattern.compile("\\\\(frac|sqrt|sum|int|begin|cdot|times|le|ge|pi)\\b|\\$|\\\\\\(|\\\\\\[");
  static final Pattern MATH_OP = Pattern.compile("\\d\\s*[-+*/^=<>%]\\s*\\d|[=^]");
  static final Pattern KW_WRITE = Pattern.compile("(?i)\\b(write|compose|draft|create|generate)\\b");
  static final Pattern KW_EXPLAIN = Pattern.compile("(?i)\\b(explain|why|describe|compare|analy[sz]e)\\b");
  static final Pattern KW_SOLVE = Pattern.compile("(?i)\\b(solve|calculate|compute|prove|evaluate|find the)\\b");
  static final Pattern KW_TRANSLATE = Pattern.compile("(?i)\\b(translate|summari[sz]e|rewrite|paraphrase)\\b");

  static int count(Pattern p, String s) {
    Matcher m = p.matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  static void assertSame(String text) {
    assertEquals(count(CODE, text), CheapScan.code(text), "code markers in " + text);
    assertEquals(count(LATEX, text), CheapScan.latex(text), "latex markers in " + text);
    assertEquals(count(MATH_OP, text), CheapScan.math(text), "maths operators in " + text);
    // all four groups in one pass (as PromptFeatures scans them), and each on its own
    int all = CheapScan.keywords(text, new String[][] {PromptFeatures.KW_WRITE, PromptFeatures.KW_EXPLAIN, PromptFeatures.KW_SOLVE,
        PromptFeatures.KW_TRANSLATE});
    Pattern[] reference = {KW_WRITE, KW_EXPLAIN, KW_SOLVE, KW_TRANSLATE};
    String[][] groups = {PromptFeatures.KW_WRITE, PromptFeatures.KW_EXPLAIN, PromptFeatures.KW_SOLVE, PromptFeatures.KW_TRANSLATE};
    for (int g = 0; g < 4; g++) {
      boolean want = reference[g].matcher(text).find();
      assertEquals(want, ((all >> g) & 1) == 1, "keyword group " + g + " in " + text);
      assertEquals(want, CheapScan.keywords(text, new String[][] {groups[g]}) == 1, "keyword group " + g + " alone in " + text);
    }
  }

  @Test
  void scans_findExactlyWhatTheReferencePatternsFind_onEveryShippedPrompt() {
    LinkedHashSet<String> prompts = new LinkedHashSet<>();
    for (String ds : List.of("datasets/alpacaeval2.parquet", "datasets/arenabench_v1.parquet", "datasets/routerdc_7x7b.parquet",
        "datasets/everyday_chat.parquet")) {
      for (RoutingRow r : RoutingDatasets.read(RepoFiles.path(ds))) {
        if (r.prompt() != null) {
          prompts.add(r.prompt());
        }
      }
    }
    prompts.forEach(PromptFeaturesTest::assertSame);
  }

  @Test
  void scans_findExactlyWhatTheReferencePatternsFind_onFuzzedText() {
    String[] pieces = {"def ", "class ", "import ", "function", "return ", "#include", "=>", "};", ") {", ")\n\t{", "public ",
        "SELECT ", "const ", "var ", "let ", "<div>", "</p>", "<a", "\\frac", "\\sqrt", "\\pi", "$", "\\(", "\\[", "3 + 4", "2*x",
        "=", "^", "Write", "WRITE", "compose", "Explain", "why", "analyse", "analyze", "Solve", "find the", "find  the",
        "translate", "Summarize", "summarise", "rewrite", "paraphrase", "é", "ß", "日本", "_", "x", " ", "\n", "1", "a",
        "ſ", "K", "İ", "\u0301", "e\u0301", "_\u0301", " \u0301", "\u0661", "\uD835\uDC00", "\uD83D\uDE00", "\uD800",
        "\\le", "\\leq", "\\sum", "\\summary", "\\int", "\\in", "(", "[", "\\", "{", ")", "}", ";", "<", ">", "/", "9",
        "functional", "function", "return", "returned", "-", "%", "\t", "\u000B", "\f", "\r", "\u00A0"};
    Random r = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + r.nextInt(12);
      for (int j = 0; j < n; j++) {
        b.append(pieces[r.nextInt(pieces.length)]);
      }
      assertSame(b.toString());
    }
  }
}
