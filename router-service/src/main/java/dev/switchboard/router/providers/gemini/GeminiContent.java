package dev.switchboard.router.providers.gemini;

import java.util.List;

/** A turn: role {@code user} or {@code model} (none for systemInstruction). */
record GeminiContent(String role, List<GeminiPart> parts) {}
