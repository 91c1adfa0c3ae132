package dev.switchboard.router.providers.anthropic;

import java.util.List;

/** A Message object: the non-streaming response, and {@code message_start}'s payload. */
record AnthropicMessageResponse(
    String id,
    String type,
    String role,
    String model,
    List<AnthropicContentBlock> content,
    String stopReason,
    String stopSequence,
    AnthropicUsage usage) {}
