package dev.switchboard.router.embedded;

import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.ModelPrices.Price;
import dev.switchboard.router.config.ClassifierConfig;
import dev.switchboard.router.config.ConfigKeys;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.ResilienceConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.ServerConfig;
import dev.switchboard.router.config.ProviderKind;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The config {@code switchboard serve} uses when given none: every priced model of the shipped
 * data becomes a deployment of the in-process recorded upstream, at its real list price; and
 * the eval-driven route {@code auto} over the shipped classifier ({@code models/default}) and
 * policy ({@code policies/default.yaml}), defaulting to the policy's dearest candidate.
 */
final class EmbeddedDefaults {
  private EmbeddedDefaults() {}

  public static final String AUTO = "auto";

  public static GatewayConfig config(ServerConfig server, ModelPrices prices, Set<String> recordedModels, Path home) {
    List<RouteConfig> routes = new ArrayList<>();
    ClassifierConfig classifier = null;
    Path policyFile = home.resolve("policies").resolve("default.yaml");
    Path model = home.resolve("models").resolve("default");
    if (Files.exists(policyFile) && Files.exists(model.resolve("classifier.onnx"))) {
      Policy policy = PolicyFiles.read(policyFile);
      List<String> candidates = policy.candidates().stream().map(Policy.Candidate::model).toList();
      routes.add(new RouteConfig(AUTO, RouteType.EVAL_DRIVEN, candidates, policyFile.toString(), candidates.get(candidates.size() - 1), null));
      classifier = ClassifierConfig.defaults(model.toString());
    }
    return config(server, prices, recordedModels, routes, classifier);
  }

  public static GatewayConfig config(ServerConfig server, ModelPrices prices, Set<String> recordedModels, List<RouteConfig> routes,
      ClassifierConfig classifier) {
    List<Deployment> ds = new ArrayList<>();
    for (String model : new TreeSet<>(recordedModels)) {
      Optional<Price> p = prices.find(model);
      if (p.isEmpty()) continue; // unpriced models cannot be routed by cost
      ds.add(new Deployment(model, ProviderKind.RECORDED, ConfigParser.RECORDED_IN_PROCESS, null, model,
          p.get().inputPerMTok(), p.get().outputPerMTok(), ConfigKeys.TIMEOUT_MS.defaultLong(), ConfigKeys.MAX_RETRIES.defaultInt(),
          ConfigKeys.WEIGHT.defaultInt(), null, Map.of(), ConfigKeys.MAX_TOKENS_DEFAULT.defaultInt()));
    }
    if (ds.isEmpty()) throw new IllegalStateException("no priced model has recorded answers; is datasets/ complete?");
    return GatewayConfig.of(server, ResilienceConfig.DEFAULTS, ds, routes, classifier, "embedded defaults");
  }
}
