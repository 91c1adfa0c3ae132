package dev.switchboard.router.providers.contract;

/** Token usage normalised across providers (OpenAI's names). */
public record Usage(long promptTokens, long completionTokens) {
  public static final Usage ZERO = new Usage(0, 0);

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /** Cost in USD from prices per one million input/output tokens. */
  public double costUsd(double inputPerMTok, double outputPerMTok) {
    return (promptTokens * inputPerMTok + completionTokens * outputPerMTok) / 1_000_000.0;
  }
}
