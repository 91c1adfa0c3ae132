package dev.switchboard.router.providers.anthropic;

/** {@code text_delta}, {@code input_json_delta}, ... of a content block, or a message_delta's delta. */
record AnthropicDelta(String type, String text, String partialJson, String thinking, String stopReason, String stopSequence) {}
