package dev.switchboard.classifier.encoder;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.base.ClassifierException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code encoder.json} beside a distilled static encoder: what it is and where it came from.
 *
 * @param id e.g. {@code minilm-static-256}
 * @param sha256 identity: hash of the source encoder's files and the recipe (not of the table,
 *     whose last bits depend on the CPU that distilled it)
 * @param dim embedding width
 * @param sourceSha256 sha256 of the fp32 MiniLM graph and tokenizer it was distilled from
 * @param onnxSha256 sha256 of {@code encoder.onnx} as written here
 * @param json the whole file (variance kept, timing, CPU)
 */
public record StaticManifest(String id, String sha256, int dim, String sourceSha256, String onnxSha256, JsonNode json) {

  public static final String FILE = "encoder.json";
  public static final String ONNX_FILE = "encoder.onnx";
  public static final String FORMAT = "switchboard-static-encoder/1";
  private static final ObjectMapper JSON = Jackson.PRETTY;

  /** The card/encoder id of a static encoder of this width that reads every token (also its table's id). */
  public static String idFor(int dim) {
    return "minilm-static-" + dim;
  }

  /**
   * The id of a static encoder of this width that reads at most {@code maxTokens} tokens of a
   * prompt (its first and last halves), e.g. {@code minilm-static-256-t64}; 0: every token.
   */
  public static String idFor(int dim, int maxTokens) {
    return maxTokens == 0 ? idFor(dim) : idFor(dim) + "-t" + maxTokens;
  }

  /** Whether an encoder id names a static encoder. */
  public static boolean isStatic(String id) {
    return id != null && id.startsWith("minilm-static-");
  }

  /** The width a static encoder id names. */
  public static int dimOf(String id) {
    return parse(id)[0];
  }

  /** The token budget a static encoder id names (0: every token). */
  public static int maxTokensOf(String id) {
    return parse(id)[1];
  }

  /** The id of the table a static encoder id reads (the budget is how it is read, not what): {@code minilm-static-<dims>}. */
  public static String tableId(String id) {
    return idFor(dimOf(id));
  }

  /** {@code minilm-static-<dims>[-t<tokens>]} -> {dims, tokens or 0}. */
  private static int[] parse(String id) {
    try {
      String rest = id.substring("minilm-static-".length());
      int t = rest.indexOf("-t");
      int dim = Integer.parseInt(t < 0 ? rest : rest.substring(0, t));
      int tokens = t < 0 ? 0 : Integer.parseInt(rest.substring(t + 2));
      if (tokens < 0 || (t >= 0 && tokens == 0)) {
        throw new NumberFormatException();
      }
      return new int[] {dim, tokens};
    } catch (RuntimeException e) {
      throw new ClassifierException("encoder id '" + id + "' is not minilm-static-<dims> or minilm-static-<dims>-t<tokens>");
    }
  }

  public static StaticManifest read(Path dir) {
    Path f = dir.resolve(FILE);
    try {
      JsonNode n = JSON.readTree(f.toFile());
      if (!FORMAT.equals(n.path("format").asText())) {
        throw new ClassifierException(f + ": field 'format' is not " + FORMAT);
      }
      return new StaticManifest(n.path("id").asText(), n.path("sha256").asText(), n.path("dim").asInt(),
          n.path("source").path("sha256").asText(), n.path("onnx_sha256").asText(), n);
    } catch (IOException e) {
      throw new ClassifierException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  void write(Path dir) throws IOException {
    JSON.writeValue(dir.resolve(FILE).toFile(), json);
  }

  static ObjectNode node() {
    return JSON.createObjectNode();
  }
}
