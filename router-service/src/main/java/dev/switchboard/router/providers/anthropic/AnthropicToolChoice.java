package dev.switchboard.router.providers.anthropic;

/** {@code auto | any | tool (+name) | none}. */
record AnthropicToolChoice(String type, String name, Boolean disableParallelToolUse) {}
