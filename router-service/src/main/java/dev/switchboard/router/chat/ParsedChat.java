package dev.switchboard.router.chat;

import dev.switchboard.router.providers.contract.ChatRequest;

/** A validated chat request and the gateway-only options that came with it. */
public record ParsedChat(ChatRequest request, SwitchboardOptions options) {}
