package dev.switchboard.router.providers.gemini;

import java.util.List;

/** GenerateContentResponse: the non-streaming body and each SSE event's data. */
record GeminiResponse(
    List<GeminiCandidate> candidates,
    GeminiUsageMetadata usageMetadata,
    String modelVersion,
    String responseId,
    PromptFeedback promptFeedback) {

  record PromptFeedback(String blockReason) {}
}
