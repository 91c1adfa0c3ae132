package dev.switchboard.router.embeddings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;

/** OpenAI's embeddings answer: {@code {"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage"}}. */
final class EmbeddingsAnswer {
  private EmbeddingsAnswer() {}

  static ObjectNode list(String model, float[][] vectors, boolean base64, long promptTokens) {
    ObjectNode root = Json.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < vectors.length; i++) {
      ObjectNode e = data.addObject();
      e.put("object", "embedding");
      e.put("index", i);
      if (base64) {
        e.put("embedding", Vectors.base64(vectors[i]));
      } else {
        ArrayNode v = e.putArray("embedding");
        for (float f : vectors[i]) v.add(f);
      }
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
    return root;
  }
}
