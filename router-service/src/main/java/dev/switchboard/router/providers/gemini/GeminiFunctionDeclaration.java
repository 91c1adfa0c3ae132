package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;

record GeminiFunctionDeclaration(String name, String description, JsonNode parameters) {}
