package dev.switchboard.router.tracing;

import dev.switchboard.router.config.ProviderKind;

/** Values of OpenTelemetry's GenAI semantic conventions. */
final class GenAi {
  private GenAi() {}

  /** {@code gen_ai.provider.name}: the convention's well-known values, ours for the recorded upstream. */
  static String providerName(ProviderKind kind) {
    return switch (kind) {
      case OPENAI -> "openai";
      case AZURE -> "azure.ai.openai";
      case ANTHROPIC -> "anthropic";
      case GEMINI -> "gcp.gemini";
      case RECORDED -> "switchboard.recorded";
    };
  }
}
