package dev.switchboard.router.providers.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A complete OpenAI {@code chat.completion} object and its normalised token usage. */
public record ChatResult(ObjectNode completion, Usage usage) {}
