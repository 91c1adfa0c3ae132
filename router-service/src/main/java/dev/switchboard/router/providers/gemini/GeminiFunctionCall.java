package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code id} is set by newer models only; we synthesise OpenAI ids when it is absent. */
record GeminiFunctionCall(String id, String name, JsonNode args) {}
