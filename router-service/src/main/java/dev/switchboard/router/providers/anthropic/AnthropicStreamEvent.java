package dev.switchboard.router.providers.anthropic;

/** The data of one streaming event; which fields are set depends on {@code type}. */
record AnthropicStreamEvent(
    String type,
    AnthropicMessageResponse message,
    Integer index,
    AnthropicContentBlock contentBlock,
    AnthropicDelta delta,
    AnthropicUsage usage,
    AnthropicError error) {}
