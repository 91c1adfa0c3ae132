package dev.switchboard.router.providers.anthropic;

/** The inner {@code error} of {@code {"type":"error","error":{"type","message"}}}. */
record AnthropicError(String type, String message) {}
