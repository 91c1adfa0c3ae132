/**
 * The router's model family and how one is chosen: a per-category prior, k-nearest neighbours,
 * logistic regression, today's MLP heads, an item-response-theory head and a stack of them, each
 * predicting every candidate's probability of an adequate answer from the same feature row.
 * {@link dev.switchboard.classifier.learn.RouterTrainer} fits them with cross-validation on the
 * train split, picks by a routing score, and every member exports itself into the one ONNX graph
 * the router serves. Start at {@code RouterTrainer}.
 */
package dev.switchboard.classifier.learn;
