/**
 * {@code POST /v1/embeddings}: OpenAI's embeddings API, served by an OpenAI-compatible or Gemini deployment (through
 * the chat pipeline's attempt loop: retries, fallback, breakers, governance, request log) or in-process by a built-in
 * local model ({@code local/...}, the encoders the classifier already ships) at no cost. Start at
 * {@link dev.switchboard.router.embeddings.EmbeddingsHandler}.
 */
package dev.switchboard.router.embeddings;
