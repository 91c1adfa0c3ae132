package dev.switchboard.classifier.text;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.ScoringInput;

/**
 * THE rule for what the classifier looks at. Training ({@code switchboard train}) and the live
 * router both go through {@link #of(ScoringInput)}; change it only together with retraining
 * (the rule's version is written to every model card as {@link #RULE}).
 *
 * <p>Why: few-shot or long system preambles are shared by many requests, so a head-truncated
 * embedding of the whole conversation is the same vector for all of them. We embed what
 * differs: the last user turn, prefixed with a short head of the system prompt only when the
 * user turn is short enough to leave budget for it.
 */
public final class PromptText {

  /** Human-readable rule, copied verbatim into model cards. */
  public static final String RULE =
      "prompt-text/v1: plain text as is; for a messages array the last user turn (text parts joined by"
          + " newlines; if no user turn, the last message with text), prefixed by the first "
          + PromptText.SYSTEM_HEAD_CHARS + " chars of the system/developer prompt + a blank line when the"
          + " user turn has <= " + PromptText.SHORT_USER_CHARS + " chars; lone surrogates -> U+FFFD;"
          + " texts over " + (2 * PromptText.KEEP_CHARS) + " chars keep the first and last "
          + PromptText.KEEP_CHARS + " chars; then the encoder's own cut (MiniLM: the first 128 and last 128"
          + " tokens; the static encoder minilm-static-<d>-t<n>: the first n/2 and last n/2 tokens, minilm-static-<d>: every token)";

  public static final int SYSTEM_HEAD_CHARS = 200;
  public static final int SHORT_USER_CHARS = 800;
  /**
   * Character cap on each end before tokenising. 128 word-piece tokens virtually never span more
   * than 8k characters, so the encoder's head+tail cut is unchanged, while a 1 MB prompt costs
   * no more than a 16k one.
   */
  public static final int KEEP_CHARS = 8192;

  private static final ObjectMapper JSON = Jackson.JSON;

  /**
   * What one input looks like to the classifier.
   *
   * @param embedText the text that is embedded (already sanitised and capped)
   * @param userText the last user turn alone (sanitised, capped): cheap features are computed on it
   * @param turns number of messages (1 for plain text)
   * @param systemChars length of the system prompt (0 when none)
   * @param originalChars length of the user text before capping
   */
  public record View(String embedText, String userText, int turns, int systemChars, int originalChars) {}

  private PromptText() {}

  public static View of(ScoringInput input) {
    if (!input.isConversation()) {
      String user = sanitize(input.text());
      requireNonBlank(user, "prompt text");
      return new View(cap(user), cap(user), 1, 0, user.length());
    }
    JsonNode root;
    try {
      root = JSON.readTree(input.messagesJson());
    } catch (JsonProcessingException e) {
      throw new ClassifierException("messages is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new ClassifierException("messages must be a non-empty JSON array of {role, content}");
    }
    String system = null;
    String lastUser = null;
    String lastAny = null;
    for (int i = 0; i < root.size(); i++) {
      JsonNode m = root.get(i);
      if (!m.isObject()) {
        throw new ClassifierException("messages[" + i + "] is not an object");
      }
      String role = m.path("role").asText("");
      String content = contentText(m.get("content"), i);
      if (content == null) {
        continue;
      }
      if ((role.equals("system") || role.equals("developer")) && system == null) {
        system = content;
      } else if (role.equals("user")) {
        lastUser = content;
      }
      lastAny = content;
    }
    String user = sanitize(lastUser != null ? lastUser : lastAny == null ? "" : lastAny);
    requireNonBlank(user, "messages (last user turn)");
    String sys = system == null ? "" : sanitize(system).strip();
    String embed = user;
    if (!sys.isEmpty() && user.length() <= SHORT_USER_CHARS) {
      embed = sys.substring(0, Math.min(SYSTEM_HEAD_CHARS, sys.length())) + "\n\n" + user;
    }
    return new View(cap(embed), cap(user), root.size(), sys.length(), user.length());
  }

  /** Text of an OpenAI content field: a string, or an array of parts whose text parts are joined. */
  private static String contentText(JsonNode content, int index) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        JsonNode text = part.get("text");
        if (text != null && text.isTextual()) {
          if (sb.length() > 0) {
            sb.append('\n');
          }
          sb.append(text.asText());
        }
      }
      return sb.length() == 0 ? null : sb.toString();
    }
    throw new ClassifierException("messages[" + index + "].content must be a string or an array of parts");
  }

  private static void requireNonBlank(String text, String field) {
    if (text.isBlank()) {
      throw new ClassifierException(field + " is empty");
    }
  }

  /** Replaces lone UTF-16 surrogates (not encodable as UTF-8) with U+FFFD. */
  public static String sanitize(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok;
      if (Character.isHighSurrogate(c)) {
        ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (ok) {
          if (sb != null) {
            sb.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        ok = !Character.isLowSurrogate(c);
      }
      if (!ok && sb == null) {
        sb = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (sb != null) {
        sb.append(ok ? c : '\uFFFD');
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** Keeps the first and last {@link #KEEP_CHARS} chars of long texts (never splitting a pair). */
  static String cap(String s) {
    if (s.length() <= 2 * KEEP_CHARS) {
      return s;
    }
    int head = KEEP_CHARS;
    if (Character.isHighSurrogate(s.charAt(head - 1))) {
      head--;
    }
    int tailStart = s.length() - KEEP_CHARS;
    if (Character.isLowSurrogate(s.charAt(tailStart))) {
      tailStart++;
    }
    return s.substring(0, head) + "\n" + s.substring(tailStart);
  }
}
