package dev.switchboard.router.config;

import java.util.Locale;

/**
 * Provider kinds accepted in the config's {@code provider:} field. OpenAI-compatible servers
 * (vLLM, Ollama, Together, Groq, OpenRouter) are {@code openai} with another base URL; Azure is
 * the same adapter with Azure's path, query and auth header as defaults.
 */
public enum ProviderKind {
  OPENAI, AZURE, ANTHROPIC, GEMINI,
  /** The in-process recorded upstream (OpenAI wire format), used by the embedded defaults. */
  RECORDED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ProviderKind parse(String s) {
    for (ProviderKind k : values()) {
      if (k.wireName().equals(s)) return k;
    }
    throw new IllegalArgumentException("unknown provider '" + s + "' (expected one of openai, azure, anthropic, gemini, recorded)");
  }
}
