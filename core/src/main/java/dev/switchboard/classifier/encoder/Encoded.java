package dev.switchboard.classifier.encoder;

/**
 * One prompt's embedding (L2-normalised) plus its token count before any truncation, which is a
 * cheap feature of its own.
 */
public record Encoded(float[] embedding, int tokenCount) {}
