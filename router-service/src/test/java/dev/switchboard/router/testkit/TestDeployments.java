package dev.switchboard.router.testkit;

import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.ProviderKind;
import java.util.Map;

/** Deployments for tests: only what adapters read varies. */
public final class TestDeployments {
  private TestDeployments() {}

  public static Deployment of(ProviderKind kind, String baseUrl, String model) {
    return of(kind, baseUrl, model, null, Map.of(), 0);
  }

  public static Deployment of(ProviderKind kind, String baseUrl, String model, String apiVersion, Map<String, String> headers,
      int maxTokensDefault) {
    return new Deployment(kind.wireName() + "-" + model, kind, baseUrl, null, model, 1.0, 2.0, 30_000, 0, 1, apiVersion, headers,
        maxTokensDefault);
  }
}
