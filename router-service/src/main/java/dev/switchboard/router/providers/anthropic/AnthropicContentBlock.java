package dev.switchboard.router.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A content block of any type (text, image, tool_use, tool_result, thinking...): one flat record
 * with the union of the fields, null ones omitted on the wire. {@code thinking} is a thinking
 * block's text (responses only).
 */
record AnthropicContentBlock(
    String type,
    String text,
    AnthropicImageSource source,
    String id,
    String name,
    JsonNode input,
    String toolUseId,
    JsonNode content,
    String thinking) {

  static AnthropicContentBlock text(String text) {
    return new AnthropicContentBlock("text", text, null, null, null, null, null, null, null);
  }

  static AnthropicContentBlock image(AnthropicImageSource source) {
    return new AnthropicContentBlock("image", null, source, null, null, null, null, null, null);
  }

  static AnthropicContentBlock toolUse(String id, String name, JsonNode input) {
    return new AnthropicContentBlock("tool_use", null, null, id, name, input, null, null, null);
  }

  static AnthropicContentBlock toolResult(String toolUseId, JsonNode content) {
    return new AnthropicContentBlock("tool_result", null, null, null, null, null, toolUseId, content, null);
  }
}
