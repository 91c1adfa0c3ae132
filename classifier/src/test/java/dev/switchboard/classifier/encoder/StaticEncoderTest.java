package dev.switchboard.classifier.encoder;

import dev.switchboard.classifier.onnx.StaticEncoderOnnx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import dev.switchboard.dataset.RepoFiles;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.RoutingRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The distilled static encoder: served graph = Java computation, identity, probe, clear errors. */
class StaticEncoderTest {

  /** The served ONNX graph and the plain-Java computation agree to 1e-5 on real and odd prompts. */
  @Test
  void onnxGraph_matchesTheJavaComputation() {
    StaticEncoder e = TestEncoders.static256();
    List<String> texts = new ArrayList<>(List.of("", " ", "Say hello.", "😀🙂", "[SEP] [CLS] [UNK]", "x".repeat(200),
        "naïve café – Grüße aus Köln", "数学题：求 3x + 5 = 20 的解", "word ".repeat(5000)));
    LinkedHashSet<String> prompts = new LinkedHashSet<>();
    for (String ds : List.of("datasets/arenabench_v1.parquet", "datasets/routerdc_7x7b.parquet")) {
      for (RoutingRow r : RoutingDatasets.read(RepoFiles.path(ds))) {
        if (r.prompt() != null && prompts.size() < 1500) {
          prompts.add(r.prompt());
        }
      }
    }
    texts.addAll(prompts);
    double worst = 0;
    for (String t : texts) {
      Encoded onnx = e.encode(t);
      Encoded java = e.encodeInJava(t);
      assertEquals(java.tokenCount(), onnx.tokenCount());
      for (int d = 0; d < e.dim(); d++) {
        worst = Math.max(worst, Math.abs(onnx.embedding()[d] - java.embedding()[d]));
      }
    }
    assertTrue(worst <= 1e-5, "max |onnx - java| = " + worst + " over " + texts.size() + " texts");
  }

  /**
   * A batch is one graph call over the union of its prompts' ids; each prompt's embedding and token
   * count are what it gets alone, whatever shares the batch: empty prompts, repeats, shared words.
   */
  @Test
  void batch_givesEachPromptItsOwnEmbedding() {
    StaticEncoder e = TestEncoders.static256();
    List<String> texts = new ArrayList<>(List.of("", "Say hello.", "Say hello.", "[SEP]", "hello hello hello world",
        "Prove that every bounded monotone sequence of reals converges.", "数学题：求 3x + 5 = 20 的解", "word ".repeat(3000)));
    for (RoutingRow r : RoutingDatasets.read(RepoFiles.path("datasets/arenabench_v1.parquet"))) {
      if (r.prompt() != null && texts.size() < 100) {
        texts.add(r.prompt());
      }
    }
    double worst = 0;
    for (int size : new int[] {1, 2, 7, texts.size()}) {
      for (int from = 0; from < texts.size(); from += size) {
        List<String> chunk = texts.subList(from, Math.min(texts.size(), from + size));
        List<Encoded> batch = e.encodeBatch(chunk);
        assertEquals(chunk.size(), batch.size());
        for (int i = 0; i < chunk.size(); i++) {
          Encoded alone = e.encodeInJava(chunk.get(i));
          assertEquals(alone.tokenCount(), batch.get(i).tokenCount(), chunk.get(i));
          for (int d = 0; d < e.dim(); d++) {
            worst = Math.max(worst, Math.abs(alone.embedding()[d] - batch.get(i).embedding()[d]));
          }
        }
      }
    }
    assertTrue(worst <= 1e-5, "max |batch - java| = " + worst);
    assertArrayEquals(new float[e.dim()], e.encodeBatch(List.of("", "[CLS]")).get(1).embedding(), "no content token, no direction");
    assertEquals(List.of(), e.encodeBatch(List.of()));
  }

  @Test
  void embeddings_areUnitLengthExceptForPromptsWithoutKnownTokens() {
    StaticEncoder e = TestEncoders.static256();
    float[] v = e.encode("Explain B-tree node splits.").embedding();
    double n = 0;
    for (float f : v) {
      n += f * f;
    }
    assertEquals(1.0, Math.sqrt(n), 1e-5);
    assertArrayEquals(new float[e.dim()], e.encode("").embedding(), "no content token, no direction");
    assertEquals(2, e.encode("").tokenCount(), "[CLS] and [SEP]");
  }

  /**
   * With a token budget only both ends of a prompt are read: a long prompt's middle does not move
   * its embedding, its last words do; a short prompt embeds as with every token; the token count
   * is exact where the whole text was tokenised and chars/4 beyond; Java = ONNX Runtime.
   */
  @Test
  void tokenBudget_readsBothEndsOnly() {
    StaticEncoder all = TestEncoders.static256();
    StaticEncoder e = TestEncoders.static256(64);
    assertEquals("minilm-static-256-t64", e.id());
    assertEquals(all.sha256(), e.sha256(), "the same table, read differently");
    // Both ends longer than the 32 tokens read there, so the middle is wholly unread.
    String head = "Explain how a B-tree splits a full node when a key is inserted into it, step by step, for a tree"
        + " of order five that holds the keys one to twenty, and say which keys move up to the parent node and why. ";
    String tail = " Then give the cost of a lookup, an insert and a delete in big-O notation for a tree of height h, and"
        + " compare it with a binary search tree and a hash table in two short sentences each.";
    String longA = head + "database pages ".repeat(200) + tail;
    String longB = head + "chemistry poems ".repeat(200) + tail;
    assertArrayEquals(e.encode(longA).embedding(), e.encode(longB).embedding(), 1e-6f, "the middle is not read");
    assertFalse(java.util.Arrays.equals(all.encode(longA).embedding(), all.encode(longB).embedding()));
    String otherTail = longA.substring(0, longA.length() - tail.length()) + " then write it as a sonnet about the sea.";
    assertFalse(java.util.Arrays.equals(e.encode(longA).embedding(), e.encode(otherTail).embedding()), "the end is read");
    assertEquals(Math.round(longA.length() / 4.0), e.encode(longA).tokenCount());

    String shortPrompt = "Say hello to the new team members in two friendly sentences.";
    assertArrayEquals(all.encode(shortPrompt).embedding(), e.encode(shortPrompt).embedding(), 1e-6f);
    assertEquals(all.encode(shortPrompt).tokenCount(), e.encode(shortPrompt).tokenCount());
    String over = "a ".repeat(100); // 102 ids in 200 chars: cut to 66, but short enough to be counted exactly
    assertEquals(102, e.encode(over).tokenCount());
    assertFalse(java.util.Arrays.equals(all.encode(over + "b c d").embedding(), all.encode(over).embedding()));

    for (String t : List.of("", "Say hello.", longA, otherTail, over, "数学题：求 3x + 5 = 20 的解".repeat(40))) {
      Encoded onnx = e.encode(t);
      Encoded java = e.encodeInJava(t);
      assertEquals(java.tokenCount(), onnx.tokenCount());
      assertArrayEquals(java.embedding(), onnx.embedding(), 1e-5f, t);
    }
    List<Encoded> batch = e.encodeBatch(List.of(longA, shortPrompt, longB));
    assertArrayEquals(e.encodeInJava(longA).embedding(), batch.get(0).embedding(), 1e-5f);
    assertArrayEquals(e.encodeInJava(shortPrompt).embedding(), batch.get(1).embedding(), 1e-5f);
  }

  @Test
  void identity_isTheSourceAndRecipeNotTheTableBits() {
    StaticEncoder e = TestEncoders.static256();
    assertEquals(EncoderStore.identity(256), e.sha256());
    assertEquals("minilm-static-256", e.id());
    assertEquals(256, e.manifest().dim());
    assertEquals(8, EncoderStore.probe(e.table()).length);
    assertTrue(e.manifest().json().path("pca_variance_kept").asDouble() > 0.9, e.manifest().json().toString());
  }

  @Test
  void store_withoutTheEncoderAndNoDistilling_saysWhichCommandToRun(@org.junit.jupiter.api.io.TempDir Path empty) {
    EncoderStore store = new EncoderStore(empty);
    ClassifierException ex = assertThrows(ClassifierException.class,
        () -> store.open("minilm-static-256", EncoderStore.identity(256), false, 1, s -> { }));
    assertTrue(ex.getMessage().contains("./switchboard distill --dims 256"), ex.getMessage());
  }

  @Test
  void distill_rejectsWidthsOutsideTheEncoders() {
    ClassifierException ex = assertThrows(ClassifierException.class, () -> StaticDistiller.distill(500, 1, s -> { }));
    assertTrue(ex.getMessage().contains("[8, 384]"), ex.getMessage());
  }

  @Test
  void vocabulary_missingInTheTokenizerFile_isAClearError() {
    ClassifierException ex = assertThrows(ClassifierException.class,
        () -> StaticDistiller.vocabulary("{\"model\": {\"type\": \"WordPiece\"}}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(ex.getMessage().contains("model.vocab"), ex.getMessage());
  }

  @Test
  void encoderIds_areResolvedWithAClearErrorForUnknownOnes() {
    assertEquals("minilm-static-256-t64", Encoders.resolveId("static"));
    assertEquals("all-minilm-l6-v2-q", Encoders.resolveId("minilm"));
    assertEquals("minilm-static-128", Encoders.resolveId("minilm-static-128"));
    assertEquals("minilm-static-128-t256", Encoders.resolveId("minilm-static-128-t256"));
    for (String bad : List.of("minilm-static-256-t4", "minilm-static-256-t0", "minilm-static-256-tx", "minilm-static-256-t9000")) {
      ClassifierException e = assertThrows(ClassifierException.class, () -> Encoders.resolveId(bad), bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    ClassifierException ex = assertThrows(ClassifierException.class, () -> Encoders.resolveId("bert-huge"));
    assertTrue(ex.getMessage().contains("unknown encoder 'bert-huge'") && ex.getMessage().contains("static, minilm"), ex.getMessage());
    assertThrows(ClassifierException.class, () -> Encoders.resolveId("minilm-static-999"));
  }

  @Test
  void manifest_onDiskDescribesTheEncoder() throws Exception {
    StaticEncoder e = TestEncoders.static256();
    Path dir = EncoderStore.defaults().folder(e.id(), e.sha256());
    assertTrue(Files.isRegularFile(dir.resolve(StaticManifest.ONNX_FILE)));
    assertEquals(e.manifest().onnxSha256(), dev.switchboard.classifier.base.Hashing.sha256Hex(dir.resolve(StaticManifest.ONNX_FILE)));
  }

  /**
   * A store written with the first graph layout (weights [U, 1], Mul, ReduceSum) is rewritten in
   * the current one on open, from its own table: same embeddings, manifest updated, no distilling.
   */
  @Test
  void store_withAnOlderGraphLayout_isRewrittenOnOpen(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    StaticEncoder current = TestEncoders.static256();
    Path from = EncoderStore.defaults().folder(current.id(), current.sha256());
    EncoderStore store = new EncoderStore(tmp);
    Path to = store.folder(current.id(), current.sha256());
    Files.createDirectories(to);
    Files.write(to.resolve(StaticManifest.ONNX_FILE), firstLayout(current.table()));
    com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(from.resolve(StaticManifest.FILE).toFile());
    old.remove("graph");
    new com.fasterxml.jackson.databind.ObjectMapper().writeValue(to.resolve(StaticManifest.FILE).toFile(), old);

    List<String> log = new ArrayList<>();
    try (StaticEncoder upgraded = store.open(current.id(), current.sha256(), false, 1, log::add, true)) {
      String prompt = "Prove that every bounded monotone sequence of reals converges.";
      assertArrayEquals(current.encode(prompt).embedding(), upgraded.encode(prompt).embedding(), 1e-6f);
      StaticManifest m = StaticManifest.read(to);
      assertEquals(dev.switchboard.classifier.onnx.StaticEncoderOnnx.GRAPH, m.json().path("graph").asText());
      assertEquals(m.onnxSha256(), dev.switchboard.classifier.base.Hashing.sha256Hex(to.resolve(StaticManifest.ONNX_FILE)));
      assertTrue(log.stream().anyMatch(l -> l.contains("graph rewritten")), log.toString());
    }
  }

  /** The graph {@code StaticEncoderOnnx} wrote before {@code gather-matmul-l2/v2}. */
  private static byte[] firstLayout(StaticTable t) {
    var g = new OnnxGraphBuilder("switchboard_static_encoder");
    g.input("ids", new long[] {-1}, "U", OnnxGraphBuilder.INT64);
    g.input("weights", new long[] {-1, 1}, "U");
    g.initializer("table", new long[] {t.rows(), t.dim()}, t.table());
    g.initializer("eps", new long[] {1}, new float[] {1e-12f});
    g.initializer("axes0", new long[] {1}, new long[] {0});
    g.node("Gather", List.of("table", "ids"), "rows", OnnxGraphBuilder.Attr.i("axis", 0));
    g.node("Mul", List.of("rows", "weights"), "weighted");
    g.node("ReduceSum", List.of("weighted", "axes0"), "mean", OnnxGraphBuilder.Attr.i("keepdims", 1));
    g.node("ReduceL2", List.of("mean"), "norm", OnnxGraphBuilder.Attr.ints("axes", 1),
        OnnxGraphBuilder.Attr.i("keepdims", 1));
    g.node("Max", List.of("norm", "eps"), "safe_norm");
    g.node("Div", List.of("mean", "safe_norm"), "embedding");
    g.output("embedding", new long[] {1, t.dim()}, "");
    return g.toBytes("switchboard", "0.1.0");
  }
}
