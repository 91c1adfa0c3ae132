package dev.switchboard.router.providers.gemini;

record GeminiCandidate(GeminiContent content, String finishReason, Integer index) {}
