package dev.switchboard.router.providers.gemini;

record GeminiBlob(String mimeType, String data) {}
