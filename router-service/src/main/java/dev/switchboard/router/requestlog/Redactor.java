package dev.switchboard.router.requestlog;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.switchboard.router.providers.contract.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets in free text for the {@code redacted} capture mode. A pure
 * function: same text in, same text out, no state.
 *
 * <p>Masked: e-mail addresses ({@code [EMAIL]}), US social security numbers ({@code [SSN]},
 * {@code 123-45-6789}), phone numbers ({@code [PHONE]}: every number libphonenumber finds valid,
 * with its country code or as a {@value #DEFAULT_REGION} number, e.g. a bare {@code 6502530000};
 * and, biased towards masking, any 7-15 digits written with a leading {@code +} or in separated
 * groups), payment card numbers that pass the Luhn check, 13-19 digits ({@code [CARD]}), API keys and tokens
 * ({@code [SECRET]}: {@code sk-...}, {@code AKIA...}, GitHub and Slack tokens, {@code Bearer xxx},
 * hex strings of 32+ characters, base64-like strings of 32+ characters that mix upper case, lower
 * case and digits). Biased towards masking: a false positive costs a little replay fidelity, a
 * false negative leaks a secret into a durable log.
 */
public final class Redactor {

  public static final String EMAIL = "[EMAIL]";
  public static final String PHONE = "[PHONE]";
  public static final String CARD = "[CARD]";
  public static final String SSN = "[SSN]";
  /** Region of phone numbers written without a country code. */
  public static final String DEFAULT_REGION = "US";
  public static final String SECRET = Secrets.MASK;

  static final Pattern EMAIL_RE =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  /** Digit runs with optional single spaces or dashes between digits. */
  static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  static final Pattern PHONE_CANDIDATE = Pattern.compile(
      "(?<![\\w+.-])(?:\\+\\d{7,15}|(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,5}(?:[ .-]\\d{2,5}){0,4})(?![\\w-]|\\.\\d)");
  /** AAA-GG-SSSS; the Social Security Administration never issues area 000, 666 or 9xx, group 00 or serial 0000. */
  static final Pattern SSN_RE = Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])");
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern IPV4ISH = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
  private static final Pattern HEX = Pattern.compile("\\b[0-9a-fA-F]{32,}\\b");
  private static final Pattern B64 = Pattern.compile("(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}");

  private Redactor() {}

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    // Cheap scans first: most text has no '@', few digits and no 32-character tokens, and the
    // request log redacts on its single sender thread. The e-mail and number patterns run only on
    // the runs of characters they can match (around an '@', around digits): each starts with a
    // look-behind or a character class, so on the whole text the engine would try every position
    // (30-100 us per pattern on 1,900 characters, measured in microbench/).
    String s = Secrets.scrub(text);
    if (s.indexOf('@') >= 0) {
      s = replaceIf(s, EMAIL_RE, runs(s, Redactor::emailChar, c -> c == '@', 1), m -> EMAIL);
    }
    if (countDigits(s) >= 7) {
      s = replaceIf(s, CARD_CANDIDATE, runs(s, Redactor::numberChar, Redactor::isDigit, 1), m -> isCard(m) ? CARD : null);
      s = replaceIf(s, SSN_RE, runs(s, Redactor::numberChar, Redactor::isDigit, 1), m -> SSN);
      s = validPhonesNear(s);
      s = replaceIf(s, PHONE_CANDIDATE, runs(s, Redactor::numberChar, Redactor::isDigit, 1), m -> isPhone(m) ? PHONE : null);
    }
    return redactLongTokens(s);
  }

  /** Hex and base64-like tokens of 32+ characters. */
  static String redactLongTokens(String s) {
    if (hasLongToken(s)) {
      s = HEX.matcher(s).replaceAll(Matcher.quoteReplacement(SECRET));
      s = replaceIf(s, B64, List.of(new int[] {0, s.length()}), m -> looksRandom(m) ? SECRET : null);
    }
    return s;
  }


  private static int countDigits(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
  }

  /** A run of 32+ characters that could belong to a hex or base64 token. */
  private static boolean hasLongToken(String s) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean tokenChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/' || c == '_' || c == '-';
      run = tokenChar ? run + 1 : 0;
      if (run >= 32) {
        return true;
      }
    }
    return false;
  }

  /** Words of context kept on each side of a digit run for libphonenumber (extensions, "tel:", country prefixes). */
  private static final int CONTEXT_WORDS = 3;

  /**
   * Every phone number libphonenumber finds valid ({@link #DEFAULT_REGION} unless it has a country
   * code), looked for only in windows: each run of {@link #numberChar}s with 7 or more digits (no
   * number it accepts has fewer) and {@value #CONTEXT_WORDS} words around it, which is what its
   * matcher looks at; on the whole text it would scan the rest for nothing (~80 us on 1,900
   * characters). Windows that overlap are merged: a number cut at a window's edge would lose its
   * extension or prefix. RedactorRunsTest holds it equal to the whole-text call on fuzzed text.
   */
  static String validPhonesNear(String s) {
    List<int[]> windows = new ArrayList<>();
    for (int[] run : runs(s, Redactor::numberChar, Redactor::isDigit, 7)) {
      int from = wordsBefore(s, run[0], CONTEXT_WORDS);
      int to = wordsAfter(s, run[1], CONTEXT_WORDS);
      int[] previous = windows.isEmpty() ? null : windows.get(windows.size() - 1);
      if (previous != null && from <= previous[1]) {
        previous[1] = Math.max(previous[1], to);
      } else {
        windows.add(new int[] {from, to});
      }
    }
    Splice out = new Splice(s);
    for (int[] w : windows) {
      for (PhoneNumberMatch m : PHONES.findNumbers(s.substring(w[0], w[1]), DEFAULT_REGION, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
        out.replace(w[0] + m.start(), w[0] + m.end(), PHONE);
      }
    }
    return out.result();
  }

  private static int wordsBefore(String s, int at, int words) {
    int i = at;
    for (int w = 0; w < words && i > 0; w++) {
      while (i > 0 && Character.isWhitespace(s.charAt(i - 1))) {
        i--;
      }
      while (i > 0 && !Character.isWhitespace(s.charAt(i - 1))) {
        i--;
      }
    }
    return i;
  }

  private static int wordsAfter(String s, int at, int words) {
    int i = at;
    int n = s.length();
    for (int w = 0; w < words && i < n; w++) {
      while (i < n && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      while (i < n && !Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
    return i;
  }

  /** Luhn-valid and 13-19 digits. */
  static boolean isCard(String candidate) {
    String digits = candidate.replaceAll("[^0-9]", "");
    if (digits.length() < 13 || digits.length() > 19) {
      return false;
    }
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /**
   * 7-15 digits (E.164), written either with a leading {@code +} or in separated groups; ISO dates
   * and dotted IPv4-like numbers are not phones. A bare run of digits (an id, a number in a maths
   * question) is not masked unless it starts with {@code +}.
   */
  static boolean isPhone(String candidate) {
    String digits = candidate.replaceAll("[^0-9]", "");
    if (digits.length() < 7 || digits.length() > 15) {
      return false;
    }
    if (ISO_DATE.matcher(candidate).matches() || IPV4ISH.matcher(candidate).matches()) {
      return false;
    }
    boolean plus = candidate.startsWith("+");
    boolean grouped = !candidate.equals(digits);
    return plus || grouped;
  }

  private static boolean looksRandom(String s) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper && lower && digit;
  }

  /** A character of an e-mail address as {@link #EMAIL_RE} spells it. */
  private static boolean emailChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "._%+-@".indexOf(c) >= 0;
  }

  /** A character the card, SSN and phone patterns can match: digits and their separators. */
  private static boolean numberChar(char c) {
    return c >= '0' && c <= '9' || " .-()+".indexOf(c) >= 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private interface CharTest {
    boolean test(char c);
  }

  /** The maximal runs {@code [start, end)} of {@code inRun} characters holding at least {@code minKeys} {@code key} ones. */
  private static List<int[]> runs(String s, CharTest inRun, CharTest key, int minKeys) {
    List<int[]> out = new ArrayList<>();
    int n = s.length();
    for (int i = 0; i < n; ) {
      if (!inRun.test(s.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      int keys = 0;
      while (i < n && inRun.test(s.charAt(i))) {
        keys += key.test(s.charAt(i++)) ? 1 : 0;
      }
      if (keys >= minKeys) {
        out.add(new int[] {start, i});
      }
    }
    return out;
  }

  /**
   * Replaces the matches of {@code p} inside {@code regions} (ordered, disjoint) for which
   * {@code replacement} gives a text (null: keep the match). Exact against the whole text when
   * every character the pattern can match lies in a region that holds the match: with transparent
   * bounds the look-arounds see past a region as they would in the whole text.
   */
  private static String replaceIf(String s, Pattern p, List<int[]> regions, Function<String, String> replacement) {
    Splice out = new Splice(s);
    Matcher m = regions.isEmpty() ? null : p.matcher(s).useTransparentBounds(true).useAnchoringBounds(false);
    for (int[] r : regions) {
      m.region(r[0], r[1]);
      while (m.find()) {
        String text = replacement.apply(m.group());
        if (text != null) {
          out.replace(m.start(), m.end(), text);
        }
      }
    }
    return out.result();
  }

  /** A copy of a text with some of its ranges replaced, left to right; the text itself when none is. */
  private static final class Splice {
    private final String s;
    private StringBuilder out;
    private int last;

    Splice(String s) {
      this.s = s;
    }

    void replace(int start, int end, String text) {
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, last, start).append(text);
      last = end;
    }

    String result() {
      return out == null ? s : out.append(s, last, s.length()).toString();
    }
  }
}
