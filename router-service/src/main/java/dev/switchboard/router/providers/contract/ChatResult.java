package dev.switchboard.router.providers.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A complete OpenAI {@code chat.completion} object and its normalised token usage.
 *
 * @param body the upstream's own bytes when they are {@code completion} unchanged (an
 *     OpenAI-compatible upstream), sent to the client as they came instead of writing the object
 *     again; null when the object was mapped from another wire format
 */
public record ChatResult(ObjectNode completion, Usage usage, byte[] body) {

  public ChatResult(ObjectNode completion, Usage usage) {
    this(completion, usage, null);
  }
}
