package dev.switchboard.classifier.features;

import dev.switchboard.classifier.text.PromptText;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap, hand-written prompt features that complement the embedding: length, conversation
 * shape, code and math markers. Mean pooling blurs exactly these signals (a long prompt and a
 * short one on the same topic embed alike), and they are what makes a prompt hard for small
 * models. Order and names are part of a model's contract ({@link #NAMES} goes to the card).
 */
public final class PromptFeatures {

  public static final List<String> NAMES = List.of(
      "log_tokens", "log_chars", "log_turns", "has_system", "log_system_chars",
      "code_fence", "log_code_markers", "brace_semicolon_per_100_chars",
      "digit_fraction", "log_math_operators", "log_latex_markers",
      "log_question_marks", "log_newlines", "log_list_items",
      "non_ascii_fraction", "cjk_fraction",
      "kw_write", "kw_explain", "kw_solve", "kw_translate_summarize");

  private static final Pattern LIST_ITEM = Pattern.compile("(?m)^\\s*([-*•]|\\d+[.)])\\s+");
  // The code, LaTeX, maths and keyword patterns are scanned by CheapScan (the same matches as the
  // regular expressions in its comments and in PromptFeaturesTest, in one pass: they were 70 % of a
  // static-encoder score).
  static final String[] KW_WRITE = {"write", "compose", "draft", "create", "generate"};
  static final String[] KW_EXPLAIN = {"explain", "why", "describe", "compare", "analyse", "analyze"};
  static final String[] KW_SOLVE = {"solve", "calculate", "compute", "prove", "evaluate", "find the"};
  static final String[] KW_TRANSLATE = {"translate", "summarise", "summarize", "rewrite", "paraphrase"};
  private static final String[][] KEYWORD_GROUPS = {KW_WRITE, KW_EXPLAIN, KW_SOLVE, KW_TRANSLATE};

  private PromptFeatures() {}

  /**
   * @param view the prompt as {@link PromptText} sees it
   * @param embedTokens token count of {@code view.embedText()} as the encoder counted it (before
   *     its head+tail cut)
   */
  public static double[] compute(PromptText.View view, int embedTokens) {
    String u = view.userText();
    int chars = Math.max(u.length(), 1);
    int removed = Math.max(0, view.originalChars() - u.length());
    // Characters cut by PromptText's cap are not tokenised; ~4 chars per token is the usual estimate.
    double tokens = embedTokens + removed / 4.0;
    int digits = 0;
    int nonAscii = 0;
    int cjk = 0;
    int braces = 0;
    int questions = 0;
    int newlines = 0;
    for (int i = 0; i < u.length(); i++) {
      char c = u.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '{' || c == '}' || c == ';') {
        braces++;
      } else if (c == '?' || c == '？') {
        questions++;
      } else if (c == '\n') {
        newlines++;
      }
      if (c > 127) {
        nonAscii++;
        if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
          cjk++;
        }
      }
    }
    CheapScan.Counts scan = CheapScan.scan(u, KEYWORD_GROUPS);
    double[] f = new double[NAMES.size()];
    int k = 0;
    f[k++] = Math.log1p(tokens);
    f[k++] = Math.log1p(view.originalChars());
    f[k++] = Math.log1p(view.turns());
    f[k++] = view.systemChars() > 0 ? 1 : 0;
    f[k++] = Math.log1p(view.systemChars());
    f[k++] = u.contains("```") ? 1 : 0;
    f[k++] = Math.log1p(scan.code());
    f[k++] = 100.0 * braces / chars;
    f[k++] = (double) digits / chars;
    f[k++] = Math.log1p(scan.math());
    f[k++] = Math.log1p(scan.latex());
    f[k++] = Math.log1p(questions);
    f[k++] = Math.log1p(newlines);
    f[k++] = Math.log1p(count(LIST_ITEM, u));
    f[k++] = (double) nonAscii / chars;
    f[k++] = (double) cjk / chars;
    int keywords = scan.keywords();
    for (int g = 0; g < KEYWORD_GROUPS.length; g++) {
      f[k++] = (keywords >> g) & 1;
    }
    return f;
  }

  private static int count(Pattern p, String s) {
    Matcher m = p.matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
