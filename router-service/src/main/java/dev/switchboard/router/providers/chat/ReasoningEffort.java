package dev.switchboard.router.providers.chat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * OpenAI's {@code reasoning_effort} as a thinking-token budget, for providers that take a budget
 * (Anthropic {@code thinking.budget_tokens}, Gemini {@code thinkingConfig.thinkingBudget}). The
 * budgets are Google's own for its OpenAI-compatible endpoint (low 1024, medium 8192, high
 * 24576), with minimal at Anthropic's floor of 1024 tokens.
 */
public final class ReasoningEffort {
  /** "none": thinking off. */
  public static final int OFF = 0;
  /** Absent: the provider's default. */
  public static final int ABSENT = -1;

  private ReasoningEffort() {}

  /** The budget for the request's {@code reasoning_effort}: {@link #ABSENT}, {@link #OFF} or tokens. */
  public static int budget(JsonNode body) {
    JsonNode e = body.get("reasoning_effort");
    if (e == null || e.isNull()) return ABSENT;
    return switch (e.isTextual() ? e.asText() : "") {
      case "none" -> OFF;
      case "minimal", "low" -> 1024;
      case "medium" -> 8192;
      case "high" -> 24576;
      case "xhigh" -> 32768;
      default -> throw BadRequests.of("reasoning_effort must be one of none, minimal, low, medium, high, xhigh");
    };
  }
}
