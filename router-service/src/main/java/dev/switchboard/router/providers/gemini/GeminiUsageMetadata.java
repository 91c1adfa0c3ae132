package dev.switchboard.router.providers.gemini;

import dev.switchboard.router.providers.contract.Usage;

record GeminiUsageMetadata(Long promptTokenCount, Long candidatesTokenCount, Long thoughtsTokenCount, Long totalTokenCount) {

  /** Thinking tokens are billed as output. */
  Usage toUsage() {
    return new Usage(n(promptTokenCount), n(candidatesTokenCount) + n(thoughtsTokenCount));
  }

  private static long n(Long v) {
    return v == null ? 0 : v;
  }
}
