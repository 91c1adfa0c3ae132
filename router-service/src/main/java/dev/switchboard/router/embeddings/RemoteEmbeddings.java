package dev.switchboard.router.embeddings;

import dev.switchboard.router.providers.UpstreamPosts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.chat.ChatExecutor.UpstreamCall;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.ProviderKind;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import dev.switchboard.router.providers.contract.Usage;

/**
 * Embeddings from a deployment, in its provider's wire format: OpenAI-compatible hosts (OpenAI, Azure, vLLM, Ollama,
 * ...) get the client's body as it is with their model, and their answer goes back unchanged; Gemini gets
 * {@code batchEmbedContents}, whose answer is rewritten in OpenAI's shape. Anthropic has no embeddings API.
 */
final class RemoteEmbeddings {
  private RemoteEmbeddings() {}

  /** An upstream answer in OpenAI's shape; {@code raw} is the upstream's own bytes when they are that already. */
  record Answer(ObjectNode body, Usage usage, byte[] raw) {}

  static boolean canEmbed(Deployment d) {
    return d.provider() == ProviderKind.OPENAI || d.provider() == ProviderKind.AZURE || d.provider() == ProviderKind.GEMINI;
  }

  static UpstreamCall<Answer> call(EmbeddingsRequest req) {
    return new UpstreamCall<>() {
      @Override
      public UpstreamRequest request(Deployment d, String apiKey) {
        return d.provider() == ProviderKind.GEMINI ? gemini(d, req, apiKey) : openAi(d, req, apiKey);
      }

      @Override
      public Answer parse(Deployment d, byte[] body) {
        return d.provider() == ProviderKind.GEMINI ? fromGemini(d, req, body) : fromOpenAi(body);
      }
    };
  }

  // ---------------------------------------------------------------- OpenAI-compatible

  private static UpstreamRequest openAi(Deployment d, EmbeddingsRequest req, String apiKey) {
    ObjectNode body = req.body().deepCopy();
    body.put("model", d.model());
    return UpstreamPosts.openAi(d, "embeddings", Json.writeBytes(body), apiKey, false);
  }

  private static Answer fromOpenAi(byte[] body) {
    JsonNode root = Json.tryRead(body);
    if (root == null || !root.path("data").isArray()) throw invalid("the upstream's embeddings answer has no 'data' array");
    JsonNode u = root.path("usage");
    return new Answer((ObjectNode) root, new Usage(u.path("prompt_tokens").asLong(0), 0), body);
  }

  // ---------------------------------------------------------------- Gemini

  private static UpstreamRequest gemini(Deployment d, EmbeddingsRequest req, String apiKey) {
    ObjectNode body = Json.object();
    ArrayNode requests = body.putArray("requests");
    for (String text : req.inputs()) {
      ObjectNode r = requests.addObject();
      r.put("model", "models/" + d.model());
      r.putObject("content").putArray("parts").addObject().put("text", text);
      if (req.dimensions() != null) r.put("outputDimensionality", req.dimensions());
    }
    return UpstreamPosts.gemini(d, "batchEmbedContents", Json.writeBytes(body), apiKey, false);
  }

  private static Answer fromGemini(Deployment d, EmbeddingsRequest req, byte[] body) {
    JsonNode root = Json.tryRead(body);
    JsonNode embeddings = root == null ? null : root.get("embeddings");
    if (embeddings == null || !embeddings.isArray() || embeddings.size() != req.inputs().size()) {
      throw invalid("Gemini's batchEmbedContents answer does not hold one embedding per input");
    }
    float[][] vectors = new float[embeddings.size()][];
    for (int i = 0; i < vectors.length; i++) {
      JsonNode values = embeddings.get(i).path("values");
      if (!values.isArray()) throw invalid("Gemini's embedding " + i + " has no 'values'");
      vectors[i] = new float[values.size()];
      for (int j = 0; j < values.size(); j++) vectors[i][j] = (float) values.get(j).asDouble();
    }
    // batchEmbedContents reports no token counts: priced on the gateway's estimate of ~4 characters a token.
    long tokens = 0;
    for (String text : req.inputs()) tokens += (text.length() + 3) / 4;
    return new Answer(EmbeddingsAnswer.list(d.model(), vectors, req.base64(), tokens), new Usage(tokens, 0), null);
  }

  private static ProviderException invalid(String why) {
    return new ProviderException(new UpstreamError(ErrorKind.INVALID_RESPONSE, 200, why));
  }
}
