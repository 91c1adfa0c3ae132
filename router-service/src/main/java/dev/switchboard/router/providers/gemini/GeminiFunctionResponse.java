package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;

record GeminiFunctionResponse(String name, JsonNode response) {}
