package dev.switchboard.classifier.text;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of a HF {@code tokenizer.json} that {@link WordPieceTokenizer} implements and
 * rejects, naming the field, everything it would get wrong. The file's {@code truncation} and
 * {@code padding} sections are ignored (the classifier disables both, see MiniLmEncoder).
 */
final class TokenizerJson {

  /** A token matched verbatim in the raw text before normalisation (HF "added token"). */
  record AddedToken(String content, int id) {}

  /**
   * @param vocab WordPiece vocabulary, token to id
   * @param unkId id of the unknown token
   * @param prefix continuing-subword prefix, e.g. {@code ##}
   * @param maxInputCharsPerWord longer words (in code points) become the unknown token
   * @param added tokens split out of the raw text first
   * @param before ids the post-processor puts before the sequence (e.g. [CLS])
   * @param after ids it puts after it (e.g. [SEP])
   */
  record Spec(Map<String, Integer> vocab, int unkId, String prefix, int maxInputCharsPerWord,
      List<AddedToken> added, int[] before, int[] after) {}

  private static final ObjectMapper JSON = Jackson.JSON;

  private TokenizerJson() {}

  static Spec read(InputStream in, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer JSON " + source + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw bad(source, "is not a JSON object");
    }
    checkNormalizer(root.path("normalizer"), source);
    String pre = root.path("pre_tokenizer").path("type").asText(null);
    if (!"BertPreTokenizer".equals(pre)) {
      throw bad(source, "pre_tokenizer.type is " + describe(pre) + "; only BertPreTokenizer is supported");
    }
    JsonNode model = root.path("model");
    String type = model.path("type").asText(null);
    if (!"WordPiece".equals(type)) {
      throw bad(source, "model.type is " + describe(type) + "; only WordPiece is supported");
    }
    JsonNode vocabNode = model.get("vocab");
    if (vocabNode == null || !vocabNode.isObject() || vocabNode.size() == 0) {
      throw bad(source, "has no model.vocab (a non-empty object of token -> id)");
    }
    Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
        throw bad(source, "model.vocab['" + e.getKey() + "'] is not a non-negative integer id");
      }
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    String unk = model.path("unk_token").asText("[UNK]");
    Integer unkId = vocab.get(unk);
    if (unkId == null) {
      throw bad(source, "model.unk_token '" + unk + "' is not in model.vocab");
    }
    String prefix = model.path("continuing_subword_prefix").asText("##");
    int maxChars = model.path("max_input_chars_per_word").asInt(100);
    List<AddedToken> added = addedTokens(root.path("added_tokens"), vocab, source);
    Map<String, Integer> byContent = new HashMap<>(vocab);
    for (AddedToken t : added) {
      byContent.put(t.content(), t.id());
    }
    List<Integer> before = new ArrayList<>();
    List<Integer> after = new ArrayList<>();
    postProcessor(root.path("post_processor"), byContent, before, after, source);
    return new Spec(vocab, unkId, prefix, maxChars, added, toArray(before), toArray(after));
  }

  private static void checkNormalizer(JsonNode n, String source) {
    String type = n.path("type").asText(null);
    if (!"BertNormalizer".equals(type)) {
      throw bad(source, "normalizer.type is " + describe(type) + "; only BertNormalizer is supported");
    }
    boolean lowercase = n.path("lowercase").asBoolean(true);
    JsonNode strip = n.path("strip_accents");
    boolean stripAccents = strip.isNull() || strip.isMissingNode() ? lowercase : strip.asBoolean();
    if (!n.path("clean_text").asBoolean(true) || !n.path("handle_chinese_chars").asBoolean(true)
        || !lowercase || !stripAccents) {
      throw bad(source, "normalizer must have clean_text, handle_chinese_chars, lowercase and strip_accents"
          + " (or null) all true (uncased BERT); got " + n);
    }
  }

  private static List<AddedToken> addedTokens(JsonNode list, Map<String, Integer> vocab, String source) {
    List<AddedToken> out = new ArrayList<>();
    for (JsonNode t : list) {
      String content = t.path("content").asText("");
      if (content.isEmpty() || !t.path("id").canConvertToInt()) {
        throw bad(source, "added_tokens entry " + t + " lacks content or id");
      }
      if (t.path("normalized").asBoolean(false) || t.path("lstrip").asBoolean(false)
          || t.path("rstrip").asBoolean(false) || t.path("single_word").asBoolean(false)) {
        throw bad(source, "added token '" + content + "' uses normalized/lstrip/rstrip/single_word, which is not supported");
      }
      if (Character.isSurrogate(content.charAt(0))) {
        throw bad(source, "added token '" + content + "' starts with a supplementary char, which is not supported");
      }
      // HF asks the model first, so a vocabulary entry wins over the added token's own id.
      out.add(new AddedToken(content, vocab.getOrDefault(content, t.get("id").asInt())));
    }
    return out;
  }

  private static void postProcessor(JsonNode pp, Map<String, Integer> ids, List<Integer> before,
      List<Integer> after, String source) {
    if (pp.isMissingNode() || pp.isNull()) {
      return;
    }
    String type = pp.path("type").asText(null);
    if ("BertProcessing".equals(type)) {
      before.add(pp.path("cls").path(1).asInt());
      after.add(pp.path("sep").path(1).asInt());
      return;
    }
    if (!"TemplateProcessing".equals(type)) {
      throw bad(source, "post_processor.type is " + describe(type) + "; only TemplateProcessing and BertProcessing are supported");
    }
    boolean sawSequence = false;
    for (JsonNode piece : pp.path("single")) {
      if (piece.has("Sequence")) {
        if (!"A".equals(piece.get("Sequence").path("id").asText())) {
          throw bad(source, "post_processor.single uses sequence " + piece + "; only A is supported");
        }
        sawSequence = true;
      } else if (piece.has("SpecialToken")) {
        String name = piece.get("SpecialToken").path("id").asText();
        JsonNode special = pp.path("special_tokens").path(name).path("ids");
        List<Integer> target = sawSequence ? after : before;
        if (special.isArray() && special.size() > 0) {
          special.forEach(id -> target.add(id.asInt()));
        } else if (ids.containsKey(name)) {
          target.add(ids.get(name));
        } else {
          throw bad(source, "post_processor special token '" + name + "' has no id");
        }
      } else {
        throw bad(source, "post_processor.single has an unsupported piece " + piece);
      }
    }
    if (!sawSequence) {
      throw bad(source, "post_processor.single has no Sequence A");
    }
  }

  private static int[] toArray(List<Integer> ids) {
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String describe(String value) {
    return value == null ? "missing" : "'" + value + "'";
  }

  private static IllegalArgumentException bad(String source, String what) {
    return new IllegalArgumentException("tokenizer JSON " + source + " " + what);
  }
}
