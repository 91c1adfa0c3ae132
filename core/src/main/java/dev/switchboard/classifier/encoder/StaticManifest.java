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

  /** The card/encoder id of a static encoder of this width. */
  public static String idFor(int dim) {
    return "minilm-static-" + dim;
  }

  /** Whether an encoder id names a static encoder. */
  public static boolean isStatic(String id) {
    return id != null && id.startsWith("minilm-static-");
  }

  /** The width a static encoder id names. */
  public static int dimOf(String id) {
    try {
      return Integer.parseInt(id.substring("minilm-static-".length()));
    } catch (RuntimeException e) {
      throw new ClassifierException("encoder id '" + id + "' is not minilm-static-<dims>");
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
