package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.ModelDirectory;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.routing.PolicyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything starts, that the files an eval-driven config names are there: each
 * route's policy file and the classifier's model directory. Without it the gateway got as far as
 * loading the classifier and then failed with a bare path ("has no card.json"); here every missing
 * file is reported at once, under the key that names it and with what to do.
 */
public final class ReferencedFiles {
  private ReferencedFiles() {}

  /**
   * Checks the policy file of every eval-driven route and the classifier's model directory.
   *
   * @param fromFile whether the config was read from a file (its relative paths were resolved
   *     against the file's folder, the usual surprise behind a path that "is right there")
   * @throws ConfigException listing every missing file by config key (e.g. {@code routes[0] (auto).policy})
   */
  public static void check(GatewayConfig config, boolean fromFile) {
    if (!config.hasEvalDrivenRoutes()) return;
    List<String> problems = new ArrayList<>();
    String relative = fromFile ? " (relative paths are relative to the config file's folder)" : "";
    if (config.classifier() != null) {
      Path model = Path.of(config.classifier().path());
      String p = ModelDirectory.problem(model);
      if (p != null) problems.add("classifier.path: " + p + (Files.exists(model) ? "" : relative));
    }
    int i = 0;
    for (RouteConfig r : config.routes().values()) {
      if (r.type() == RouteType.EVAL_DRIVEN && r.policy() != null) {
        Path policy = Path.of(r.policy());
        String key = "routes[" + i + "] (" + r.alias() + ").policy: ";
        if (!Files.exists(policy)) problems.add(key + PolicyFiles.doesNotExist(policy) + relative);
        else if (!Files.isRegularFile(policy)) problems.add(key + policy + " is not a file; name the policy file (YAML) in it");
      }
      i++;
    }
    if (!problems.isEmpty()) throw new ConfigException(config.source(), problems);
  }
}
