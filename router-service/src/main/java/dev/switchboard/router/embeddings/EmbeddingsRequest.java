package dev.switchboard.router.embeddings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A validated {@code POST /v1/embeddings} request.
 *
 * @param model a local model id, a deployment or a route alias
 * @param inputs the texts, in order (a single string is a batch of one)
 * @param base64 {@code encoding_format: base64}: each vector as little-endian float32 bytes in base64
 * @param dimensions the width asked for, or null for the model's own
 * @param body the client's JSON, forwarded as it is to OpenAI-compatible upstreams
 */
record EmbeddingsRequest(String model, List<String> inputs, boolean base64, Integer dimensions, ObjectNode body) {

  /** Characters of every input, for the governance estimate and the request log. */
  String joined() {
    return String.join("\n", inputs);
  }
}
