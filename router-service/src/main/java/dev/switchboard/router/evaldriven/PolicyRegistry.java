package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live policy of every eval-driven route. A policy changes by editing its file (polled) or
 * through the admin API; either way the new policy is validated against the route and the loaded
 * classifier and swapped in atomically, or rejected with the reason while the old one serves.
 */
public final class PolicyRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyRegistry.class);

  /** A policy in service: where it came from and when. */
  public record Live(String route, Policy policy, String file, String source, Instant loadedAt) {}

  private final Vertx vertx;
  private final ClassifierCard card;
  private final Supplier<GatewayConfig> config;
  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final Map<String, String> lastRejection = new ConcurrentHashMap<>();
  private final Map<String, String> fileText = new ConcurrentHashMap<>();
  private final long timer;

  /** Loads every eval-driven route's policy; an invalid one fails the start (ConfigException-like). */
  public PolicyRegistry(Vertx vertx, ClassifierCard card, Supplier<GatewayConfig> config, long pollMs) {
    this.vertx = vertx;
    this.card = card;
    this.config = config;
    List<String> problems = new ArrayList<>();
    for (RouteConfig r : config.get().routes().values()) {
      if (r.type() != RouteType.EVAL_DRIVEN) continue;
      try {
        String text = Files.readString(Path.of(r.policy()), StandardCharsets.UTF_8);
        Policy p = parseAndValidate(r, text, r.policy());
        live.put(r.alias(), new Live(r.alias(), p, r.policy(), "file", Instant.now()));
        fileText.put(r.alias(), text);
        LOG.info("route {}: policy {} ({}, {} candidates) from {}", r.alias(), p.version(), p.kind().yamlName(), p.candidates().size(), r.policy());
      } catch (IOException e) {
        problems.add("route " + r.alias() + ": cannot read policy file " + r.policy() + ": " + e.getMessage());
      } catch (PolicyRejected e) {
        problems.add("route " + r.alias() + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) throw new IllegalStateException(String.join("; ", problems));
    this.timer = pollMs > 0 ? vertx.setPeriodic(pollMs, t -> vertx.executeBlocking(() -> {
      pollFiles();
      return null;
    }, false)) : -1;
  }

  public Live get(String route) {
    return live.get(route);
  }

  public Map<String, Live> all() {
    return new LinkedHashMap<>(live);
  }

  public String lastRejection(String route) {
    return lastRejection.get(route);
  }

  /**
   * Replaces a route's policy with {@code yaml} (admin API). Validated first; on success the
   * file is rewritten atomically so a restart keeps it. Blocking (file I/O): call from a worker.
   *
   * @throws PolicyRejected with the reason; the old policy keeps serving
   */
  public Live replace(String route, String yaml) {
    RouteConfig r = config.get().routes().get(route);
    if (r == null || r.type() != RouteType.EVAL_DRIVEN) throw new PolicyRejected("'" + route + "' is not an eval-driven route");
    Policy p;
    try {
      p = parseAndValidate(r, yaml, "PUT /admin/policies/" + route);
    } catch (PolicyRejected e) {
      lastRejection.put(route, e.getMessage());
      throw e;
    }
    try {
      Path file = Path.of(r.policy());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("route {}: new policy {} is live but could not be written to {}: {}", route, p.version(), r.policy(), e.getMessage());
    }
    fileText.put(route, yaml);
    Live l = new Live(route, p, r.policy(), "admin", Instant.now());
    live.put(route, l);
    lastRejection.remove(route);
    LOG.info("route {}: policy {} installed through the admin API", route, p.version());
    return l;
  }

  private void pollFiles() {
    for (RouteConfig r : config.get().routes().values()) {
      if (r.type() != RouteType.EVAL_DRIVEN) continue;
      String text;
      try {
        text = Files.readString(Path.of(r.policy()), StandardCharsets.UTF_8);
      } catch (IOException e) {
        continue;
      }
      if (text.equals(fileText.get(r.alias()))) continue;
      fileText.put(r.alias(), text);
      try {
        Policy p = parseAndValidate(r, text, r.policy());
        live.put(r.alias(), new Live(r.alias(), p, r.policy(), "file", Instant.now()));
        lastRejection.remove(r.alias());
        LOG.info("route {}: policy reloaded from {}: {}", r.alias(), r.policy(), p.version());
      } catch (PolicyRejected e) {
        lastRejection.put(r.alias(), e.getMessage());
        LOG.error("route {}: policy file change rejected, the previous policy keeps serving: {}", r.alias(), e.getMessage());
      }
    }
  }

  /** Parses and checks a policy against the route and the loaded classifier. */
  Policy parseAndValidate(RouteConfig route, String yaml, String origin) {
    Policy p;
    try {
      p = PolicyFiles.parse(yaml, origin);
    } catch (RuntimeException e) {
      throw new PolicyRejected(e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    for (Policy.Candidate c : p.candidates()) {
      if (!route.deployments().contains(c.model())) {
        problems.add("candidate '" + c.model() + "' is not a deployment of route '" + route.alias() + "' " + route.deployments());
      }
      if (p.kind() == Policy.Kind.QUALITY_THRESHOLD && !card.candidateNames().contains(c.model())) {
        problems.add("candidate '" + c.model() + "' has no predicted quality in the classifier (its candidates: " + card.candidateNames() + ")");
      }
    }
    if (p.classifier() != null && p.classifier().sha256() != null && !p.classifier().sha256().equals(card.onnxSha256())) {
      problems.add("classifier hash mismatch: the policy was tuned for classifier sha256 " + p.classifier().sha256()
          + " but the gateway runs " + card.onnxSha256());
    }
    if (!problems.isEmpty()) throw new PolicyRejected(origin + ": " + String.join("; ", problems));
    return p;
  }

  @Override
  public void close() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /** A policy that cannot be used; the message says why. */
  public static final class PolicyRejected extends RuntimeException {
    public PolicyRejected(String message) {
      super(message, null, false, false);
    }
  }
}
