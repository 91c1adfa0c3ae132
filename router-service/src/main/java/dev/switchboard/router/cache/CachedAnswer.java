package dev.switchboard.router.cache;

/**
 * One cached answer and what a later request needs to decide whether it may be served.
 *
 * @param tenant whose answer it is ({@code team:…}, {@code key:…} or {@code anonymous}); never served to another
 * @param exactKey the request's exact fingerprint (tenant included)
 * @param bucketKey the semantic bucket: everything but the last user turn's wording, or null (exact only)
 * @param lastTurn the last user turn's text (the semantic guards compare its named entities), or null
 * @param embedding the last user turn's embedding (L2-normalised), or null
 * @param completion the OpenAI {@code chat.completion} JSON as it was sent to the client
 * @param promptTokens usage of the call that produced it
 * @param completionTokens usage of the call that produced it
 * @param costUsd what that call cost: what every hit saves
 * @param deployment the deployment that answered
 * @param expiresAtMs wall-clock time after which it is not served
 */
public record CachedAnswer(String tenant, String exactKey, String bucketKey, String lastTurn, float[] embedding, byte[] completion,
    long promptTokens, long completionTokens, double costUsd, String deployment, long expiresAtMs) {}
