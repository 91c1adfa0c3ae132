package dev.switchboard.router.providers.anthropic;

record AnthropicMetadata(String userId) {}
