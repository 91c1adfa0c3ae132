package dev.switchboard.router.providers.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Merges {@code switchboard.provider_options.<provider>} into an upstream body: the way to send
 * a provider-specific field (Anthropic {@code thinking}, {@code mcp_servers}; Gemini
 * {@code safetySettings}, {@code generationConfig.thinkingConfig}) that has no OpenAI name.
 * Objects merge key by key, recursively; anything else replaces what the mapper wrote, so the
 * client's explicit option wins.
 */
public final class ProviderOptions {
  private ProviderOptions() {}

  /** Merges {@code options} into {@code target} (changed in place and returned); null options: no-op. */
  public static ObjectNode merge(ObjectNode target, ObjectNode options) {
    if (options == null) return target;
    for (Map.Entry<String, JsonNode> e : options.properties()) {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode add) {
        merge(o, add);
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return target;
  }
}
