package dev.switchboard.classifier.text;

import static dev.switchboard.classifier.text.DjlReference.assertSame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.dataset.RepoFiles;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link WordPieceTokenizer} must give exactly DJL's ids. Coverage: every distinct prompt and
 * embedded prompt text of the three shipped datasets, every Unicode scalar value in context,
 * hand-written edge cases, canonical-ordering sequences, and a seeded fuzz of mixed alphabets;
 * the head+tail variant against HeadTailTruncation of DJL's ids.
 */
class WordPieceTokenizerTest {

  static WordPieceTokenizer tok;
  static DjlReference djl;

  @BeforeAll
  static void load() {
    tok = WordPieceTokenizer.fromClasspath(DjlReference.RESOURCE);
    djl = new DjlReference();
  }

  @AfterAll
  static void close() {
    djl.close();
  }

  static void assertMatchesDjl(String text) {
    assertSame("encode", text, djl.encode(text), tok.encode(text));
  }

  static void assertBudgetMatchesDjl(String text, int maxTokens) {
    assertSame("encode(text, " + maxTokens + ")", text, djl.encode(text, maxTokens), tok.encode(text, maxTokens));
  }

  // ---------------------------------------------------------------- shipped datasets

  static Set<String> shippedTexts() {
    Set<String> texts = new LinkedHashSet<>();
    for (String file : List.of("alpacaeval2", "arenabench_v1", "routerdc_7x7b")) {
      for (RoutingRow r : RoutingDatasets.read(RepoFiles.path("datasets/" + file + ".parquet"))) {
        texts.add(r.prompt());
        ScoringInput in = r.messagesJson() != null ? ScoringInput.ofMessages(r.messagesJson()) : ScoringInput.ofText(r.prompt());
        texts.add(PromptText.of(in).embedText());
      }
    }
    return texts;
  }

  @Test
  void encode_everyShippedDatasetText_matchesDjl() {
    Set<String> texts = shippedTexts();
    assertTrue(texts.size() > 9000, "expected ~9k distinct texts, got " + texts.size());
    for (String text : texts) {
      assertMatchesDjl(text);
      assertBudgetMatchesDjl(text, 256);
      assertBudgetMatchesDjl(text, 16);
    }
  }

  // ---------------------------------------------------------------- edge cases

  static Stream<Arguments> edgeCases() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("whitespace only", " \t\r\n\u00A0\u3000 "),
        Arguments.of("plain sentence", "Hello, world! How are you today?"),
        Arguments.of("special tokens in text", "a[SEP]b [MASK] c[CLS][PAD][UNK]d"),
        Arguments.of("special tokens are case-sensitive", "[cls] [Sep] [mask]"),
        Arguments.of("broken special tokens", "[SEP [SEP] ] [[SEP]] [SE P] [SEP\u0000] [S\uD83D\uDE00EP]"),
        Arguments.of("accents", "café Åsa ñandú Ölçek Ærø ŁÓDŹ İstanbul"),
        Arguments.of("combining marks", "e\u0301 a\u0308\u0323 \u0301alone x\u0300\u0316y"),
        Arguments.of("emoji and astral", "hi 😀 👍🏽 👨‍👩‍👧 🥰 🫠 ✔️ 𝔘𝔫𝔦 \uD840\uDC00 𠀋"),
        Arguments.of("control chars", "a\u0001b\u0007c\u001Bd\u007Fe\u0085f\u009Fg"),
        Arguments.of("NUL and U+FFFD", "a\u0000b \uFFFD c\uFFFDd"),
        Arguments.of("format chars", "zero\u200Bwidth soft\u00ADhyphen bom\uFEFFx rtl\u202Eabc mongol\u180Esep"),
        Arguments.of("tabs CR LF", "a\tb\rc\nd\r\ne"),
        Arguments.of("unicode spaces", "a\u00A0b\u2003c\u2009d\u202Fe\u205Ff\u3000g\u1680h\u2028i\u2029j\u000Bk\u000Cl"),
        Arguments.of("CJK", "我爱北京天安门。中文，测试！"),
        Arguments.of("CJK compatibility and extensions", "\uF900\uFA0E \u3400 \uD869\uDEDF \uD87E\uDC00"),
        Arguments.of("Japanese kana", "ひらがなとカタカナのテキストです。ｶﾀｶﾅ"),
        Arguments.of("Korean hangul", "안녕하세요 세계, 한국어 텍스트입니다"),
        Arguments.of("word of 100 chars", "b".repeat(100)),
        Arguments.of("word of 101 chars", "b".repeat(101)),
        Arguments.of("word of 101 chars with accents", "é".repeat(101)),
        Arguments.of("102 chars after hangul NFD", "한".repeat(34)),
        Arguments.of("99 and 101 chars after hangul NFD", "한".repeat(33) + " " + "한".repeat(33) + "하"),
        Arguments.of("100 chars once dropped chars are gone", "b".repeat(50) + "\u200B\u0000" + "b".repeat(50)),
        Arguments.of("100 chars once marks are stripped", "e\u0301".repeat(100) + " " + "e\u0301".repeat(101)),
        Arguments.of("mixed punctuation", "can't...!? $1,000.50 (x+y)=z; «quoted» ‘single’ — dash…"),
        Arguments.of("punctuation via NFD", "\u037E \u0387 \u1FEF \u2260 \u226E \u2329x\u232A"),
        Arguments.of("greek sigma", "ΣΟΦΙΑ ΟΔΟΣ σοφός"),
        Arguments.of("cased letters without decomposition", "ǅ Ꭰ Ⴀ ẞ ΩΩ KÅ"),
        Arguments.of("nonzero-class letters", "\u08D4\u064B\u08D5 \u1B44\u1B44 \uD834\uDD65\uD834\uDD6D\uD834\uDD67"),
        Arguments.of("private use", "a\uE000b \uDB80\uDC00"),
        Arguments.of("lone high surrogate", "abc\uD800 def 😀 [SEP]"),
        Arguments.of("lone low surrogate", "\uDC00abc 𠀋 x"),
        Arguments.of("fullwidth", "ＡＢＣ１２３！？"),
        Arguments.of("digits and code", "x = foo_bar(42) + 3.14e-10 // see #1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edgeCases")
  void encode_edgeCase_matchesDjl(String name, String text) {
    assertMatchesDjl(text);
    for (int max : new int[] {2, 3, 8, 64}) {
      assertBudgetMatchesDjl(text, max);
    }
  }

  @Test
  void encode_knownSentence_givesKnownIds() {
    assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 102}, tok.encode("Hello, world!"));
    assertArrayEquals(new int[] {101, 102}, tok.encode(""));
  }

  // ---------------------------------------------------------------- exhaustive and fuzz

  /**
   * Every Unicode scalar value c, as "a" + c + "b" (is c dropped, a boundary or a letter?) and
   * alone (its normalised form's vocabulary id), 512 code points per DJL call.
   */
  @Test
  void encode_everyCodePointInContext_matchesDjl() {
    for (int start = 0; start <= Character.MAX_CODE_POINT; start += 512) {
      StringBuilder b = new StringBuilder();
      for (int c = start; c < start + 512; c++) {
        if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
          b.append('a').appendCodePoint(c).append("b ").appendCodePoint(c).append(' ');
        }
      }
      assertMatchesDjl(b.toString());
    }
  }

  /** NFD's canonical ordering of marks that survive accent stripping, mixed with ones that do not. */
  @Test
  void encode_combiningSequences_matchesDjl() {
    int[] marks = {0x0300, 0x0316, 0x0345, 0x064B, 0x08D4, 0x08E1, 0x0941, 0x094D, 0x0F71, 0x1B44, 0x1DFB, 0x302E,
        0x3099, 0xA953, 0x1D165, 0x1D167, 0x1D16D, 0x1E000, 0x1E94A, 0x0B3E};
    int[] bases = {'a', 0xE9, 0x0915, 0x3042, 0x4E2D, '!', 0x1100};
    Random random = new Random(7);
    for (int n = 0; n < 3000; n++) {
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < 4; w++) {
        b.appendCodePoint(bases[random.nextInt(bases.length)]);
        for (int k = random.nextInt(5); k > 0; k--) {
          b.appendCodePoint(marks[random.nextInt(marks.length)]);
        }
        b.append(random.nextBoolean() ? "x" : " ");
      }
      assertMatchesDjl(b.toString());
    }
  }

  @Test
  void encode_randomMixedAlphabetStrings_matchesDjl() {
    Random random = new Random(20_240_611);
    for (int n = 0; n < 20_000; n++) {
      String text = FuzzText.next(random);
      assertMatchesDjl(text);
      if (n % 4 == 0) {
        assertBudgetMatchesDjl(text, 4 + random.nextInt(28));
      }
    }
  }

  /** Long texts take the windowed head+tail path: it must equal cutting the full encoding. */
  @Test
  void encodeWithBudget_longTexts_matchesHeadTailOfDjl() {
    Random random = new Random(99);
    List<String> texts = new ArrayList<>(List.of(
        "word ".repeat(5000),
        "中文没有空格".repeat(800),
        "x".repeat(20_000),
        "[SEP]".repeat(3000),
        "ab[SEP]cd, ".repeat(2000) + "\uD800",
        "한국어".repeat(3000) + " end",
        "y".repeat(20_000) + " tail words here",
        "x".repeat(5000) + " " + "z".repeat(5000)));
    for (int i = 0; i < 200; i++) {
      StringBuilder b = new StringBuilder();
      while (b.length() < 3000) {
        b.append(FuzzText.next(random)).append(random.nextBoolean() ? " " : "");
      }
      texts.add(b.toString());
    }
    for (String text : texts) {
      for (int max : new int[] {2, 7, 32, 256}) {
        assertBudgetMatchesDjl(text, max);
      }
    }
  }

  // ---------------------------------------------------------------- API

  @Test
  void vocabulary_accessors() {
    assertEquals(30522, tok.vocabSize());
    assertEquals("[CLS]", tok.token(101));
    assertEquals(102, tok.id("[SEP]"));
    assertEquals("##ing", tok.token(tok.id("##ing")));
    assertEquals(-1, tok.id("not-a-token"));
    assertThrows(IllegalArgumentException.class, () -> tok.token(30522));
    assertThrows(IllegalArgumentException.class, () -> tok.encode("x", 1));
  }

  @Test
  void encode_fromManyThreads_sameIds() throws Exception {
    List<String> texts = new ArrayList<>(shippedTexts()).subList(0, 2000);
    List<int[]> expected = texts.stream().map(tok::encode).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(expected.get(i), tok.encode(texts.get(i)));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void load_withoutVocab_namesTheField() {
    String json = "{\"normalizer\":{\"type\":\"BertNormalizer\"},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
        + "\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\"}}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(json));
    assertTrue(e.getMessage().contains("model.vocab"), e.getMessage());
  }

  @Test
  void load_unsupportedModelOrNormalizer_namesIt() {
    String bpe = "{\"normalizer\":{\"type\":\"BertNormalizer\"},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
        + "\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}}}";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> load(bpe)).getMessage().contains("'BPE'"));
    String nfc = "{\"normalizer\":{\"type\":\"NFC\"},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
        + "\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0}}}";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> load(nfc)).getMessage().contains("'NFC'"));
    String cased = "{\"normalizer\":{\"type\":\"BertNormalizer\",\"lowercase\":false},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
        + "\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0}}}";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> load(cased)).getMessage().contains("lowercase"));
    assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.fromClasspath("no-such-tokenizer.json"));
  }

  @Test
  void load_minimalJson_tokenizesWithoutPostProcessor() {
    String json = "{\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,"
        + "\"strip_accents\":null,\"lowercase\":true},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
        + "\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0,\"un\":1,\"##able\":2,\"!\":3}}}";
    WordPieceTokenizer t = load(json);
    assertArrayEquals(new int[] {1, 2, 3, 0}, t.encode("Unable! unknown"));
  }

  /**
   * NFD sorts runs of nonzero-combining-class marks; marks that survive accent stripping keep
   * that order. The MiniLM vocabulary has no such mark, so DJL cannot show it (the comparisons
   * above pass with or without the sorting); a vocabulary that has them can.
   */
  @Test
  void encode_survivingMarksOutOfCanonicalOrder_areSorted() {
    String json = "{\"normalizer\":{\"type\":\"BertNormalizer\"},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
        + "\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0,\"a\":1,\"##\u1B44\u08D4\":2,\"##\u08D4\u1B44\":3}}}";
    WordPieceTokenizer t = load(json);
    // U+08D4 has class 230, U+1B44 class 9; both are letters (not Mn) in HF's Unicode 8.0 categories.
    assertArrayEquals(new int[] {1, 2}, t.encode("a\u08D4\u1B44"));
    assertArrayEquals(new int[] {1, 2}, t.encode("a\u08D4\u0301\u1B44"), "a dropped Mn of class 230 takes part in the sort");
    assertArrayEquals(new int[] {1, 3}, t.encode("a\u08D4\u0941\u1B44"), "a dropped Mn of class 0 ends the run");
    assertArrayEquals(new int[] {1, 2}, t.encode("a\u08D4\u200B\u0000\u1B44"), "dropped format and NUL chars are invisible");
  }

  private static WordPieceTokenizer load(String json) {
    return WordPieceTokenizer.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }
}
