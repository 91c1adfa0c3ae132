package dev.switchboard.eval.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.embedded.InProcessGateway;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.providers.chat.Json;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link CandidateClient} through the gateway's own provider adapters and reliability stack, in
 * this process ({@link InProcessGateway}): a candidate is a deployment or a fallback/weighted route
 * of a gateway config; retries with backoff (honouring {@code Retry-After}), fallbacks, circuit
 * breakers and timeouts are the gateway's. The cost of an answer is priced at the deployment that
 * answered. Errors carry the gateway's message (never a key).
 */
public final class InProcessCandidateClient implements CandidateClient {

  private final InProcessGateway gateway;
  private final int maxTokens;

  /** @param maxTokens {@code max_tokens} sent with every call (bounds the spend per call) */
  public InProcessCandidateClient(InProcessGateway gateway, int maxTokens) {
    this.gateway = gateway;
    this.maxTokens = maxTokens;
  }

  /**
   * Fails with {@link IllegalArgumentException} unless every name can be called (deployment or
   * static route, keys set): checked before replay consumes anything.
   */
  public void checkCallable(List<String> names) {
    for (String n : names) {
      gateway.check(n);
    }
  }

  /**
   * Prices for the spend estimate and cap: a deployment's own; a route's dearest deployment's (any
   * of them may answer). Actual spend uses the deployment that answered ({@link CandidateAnswer#costUsd()}).
   */
  public PriceBook prices() {
    return (name, in, out) -> {
      Deployment d = gateway.deployment(name);
      if (d != null) {
        return cost(d, in, out);
      }
      double max = 0;
      try {
        for (Deployment x : gateway.check(name)) {
          max = Math.max(max, cost(x, in, out));
        }
      } catch (IllegalArgumentException e) {
        return 0;
      }
      return max;
    };
  }

  private static double cost(Deployment d, long in, long out) {
    return new Usage(in, out).costUsd(d.inputPricePerMTok(), d.outputPricePerMTok());
  }

  @Override
  public CompletableFuture<CandidateAnswer> complete(String candidate, JsonNode messages) {
    ObjectNode body = Json.object();
    body.put("model", candidate);
    body.set("messages", messages);
    body.put("max_tokens", maxTokens);
    long t0 = System.nanoTime();
    return gateway.complete(body).handle((a, e) -> {
      if (e != null) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String why = c instanceof ApiException ae ? ae.error().message() : "unexpected failure (" + c.getClass().getSimpleName() + ")";
        throw new OpenAiHttpCandidateClient.CandidateException("candidate " + candidate + ": " + why);
      }
      JsonNode content = a.result().completion().path("choices").path(0).path("message").path("content");
      if (!content.isTextual()) {
        throw new OpenAiHttpCandidateClient.CandidateException("candidate " + candidate + ": deployment "
            + a.deployment().name() + " answered without choices[0].message.content");
      }
      return new CandidateAnswer(candidate, content.textValue(), a.result().usage().promptTokens(),
          a.result().usage().completionTokens(), (System.nanoTime() - t0) / 1e6, a.deployment().model(), a.costUsd());
    });
  }
}
