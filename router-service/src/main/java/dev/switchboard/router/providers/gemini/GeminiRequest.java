package dev.switchboard.router.providers.gemini;

import java.util.List;

/** generateContent / streamGenerateContent body. */
record GeminiRequest(
    List<GeminiContent> contents,
    GeminiContent systemInstruction,
    List<GeminiTool> tools,
    GeminiToolConfig toolConfig,
    GeminiGenerationConfig generationConfig) {}
