package dev.switchboard.router.providers.contract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks API keys and bearer tokens in text that came from outside: upstream error messages (a
 * provider that rejects a key often quotes it: "Incorrect API key provided: sk-…") before they
 * reach a client or a log, and the request log's {@code redacted} capture.
 *
 * <p>Masked as {@code [SECRET]}: {@code Bearer xxx} (the word kept), OpenAI/Anthropic-style
 * {@code sk-…} keys (also partly starred ones, {@code sk-proj-abc***wxyz}), AWS access key ids,
 * GitHub and Slack tokens, Google API keys. The checks before each pattern are the keys' own
 * prefixes, so ordinary prose costs one pass of {@code contains}.
 */
public final class Secrets {

  public static final String MASK = "[SECRET]";

  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=*-]{8,}");
  private static final Pattern KEYS = Pattern.compile(
      "\\b(?:sk-[A-Za-z0-9_*-]{8,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}"
          + "|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})");
  private static final String[] KEY_PREFIXES = {"sk-", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
      "xox", "AIza"};

  private Secrets() {}

  /** {@code text} with every key and bearer token replaced by {@link #MASK}; null stays null. */
  public static String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = text;
    if (containsBearer(s)) {
      s = BEARER.matcher(s).replaceAll("$1 " + Matcher.quoteReplacement(MASK));
    }
    for (String prefix : KEY_PREFIXES) {
      if (s.contains(prefix)) {
        return KEYS.matcher(s).replaceAll(Matcher.quoteReplacement(MASK));
      }
    }
    return s;
  }

  /** Whether "bearer" occurs in any case, without copying the text. */
  private static boolean containsBearer(String s) {
    for (int i = 0; i + 6 <= s.length(); i++) {
      if ((s.charAt(i) | 0x20) == 'b' && s.regionMatches(true, i, "bearer", 0, 6)) {
        return true;
      }
    }
    return false;
  }
}
