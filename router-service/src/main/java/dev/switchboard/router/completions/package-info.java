/**
 * {@code POST /v1/completions} (OpenAI's legacy text completions): forwarded as it is to OpenAI-compatible
 * deployments (OpenAI, Azure, vLLM, Ollama, ...), streaming included; translated to a chat request for the others
 * (Anthropic, Gemini, the recorded upstream), without streaming. Start at
 * {@link dev.switchboard.router.completions.CompletionsHandler}.
 */
package dev.switchboard.router.completions;
