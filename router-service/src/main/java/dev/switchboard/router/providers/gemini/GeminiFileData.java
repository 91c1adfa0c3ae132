package dev.switchboard.router.providers.gemini;

record GeminiFileData(String mimeType, String fileUri) {}
