package dev.switchboard.router.providers.anthropic;

record AnthropicErrorResponse(String type, AnthropicError error) {}
