package dev.switchboard.eval.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/** Asks one candidate model to answer a conversation (an OpenAI {@code messages} array). */
public interface CandidateClient {

  /**
   * The candidate's answer and token usage. Fails the future (never throws) on an upstream error,
   * with a message that names the candidate and never contains a credential.
   */
  CompletableFuture<CandidateAnswer> complete(String candidate, JsonNode messages);
}
