package dev.switchboard.router.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;

record AnthropicTool(String name, String description, JsonNode inputSchema) {}
