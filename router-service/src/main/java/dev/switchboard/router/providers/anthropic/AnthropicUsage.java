package dev.switchboard.router.providers.anthropic;

import dev.switchboard.router.providers.contract.Usage;

record AnthropicUsage(Long inputTokens, Long outputTokens, Long cacheCreationInputTokens, Long cacheReadInputTokens) {

  /** Input counts cache writes and reads too: they are billed as input. */
  long totalInput() {
    return n(inputTokens) + n(cacheCreationInputTokens) + n(cacheReadInputTokens);
  }

  Usage toUsage() {
    return new Usage(totalInput(), n(outputTokens));
  }

  private static long n(Long v) {
    return v == null ? 0 : v;
  }
}
