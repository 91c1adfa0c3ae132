package dev.switchboard.router.evaldriven;

import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.router.config.FileWatch;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live (policy, classifier) pair of every eval-driven route. A policy changes by editing its
 * file (polled) or through the admin API; either way the new policy is validated against the route
 * and its classifier and swapped in atomically, or rejected with the reason while the old pair
 * serves.
 *
 * <p>A policy whose {@code classifier.sha256} is not the route's classifier brings its own: the
 * classifier of another route with that hash, else one uploaded with that hash
 * ({@link ClassifierStore}), else the model directory at {@code classifier.path} (as written, then
 * relative to the policy file). It is loaded and warmed on every scoring worker here, off the event
 * loop, before the pair is swapped in; requests already being scored finish on the old classifier,
 * which is closed when no route and no scoring job uses it any more.
 */
final class PolicyRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyRegistry.class);
  /** How long a new classifier may take to warm up on every scoring worker. */
  static final long WARM_TIMEOUT_MS = 120_000;

  /** A policy in service with the classifier that scores for it: where it came from and when. */
  public record Live(String route, Policy policy, LoadedClassifier classifier, String file, String source, Instant loadedAt) {}

  private final Vertx vertx;
  private final LoadedClassifier initial;
  private final ScoringService scoring;
  private final ClassifierStore store;
  private final MeterRegistry meters;
  private final Supplier<GatewayConfig> config;
  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final Map<String, Gauge> classifierGauges = new ConcurrentHashMap<>();
  private final Map<String, String> lastRejection = new ConcurrentHashMap<>();
  /** sha256s of classifiers being loaded for a policy not yet installed: upload retention must not delete them. */
  private final java.util.Set<String> pending = ConcurrentHashMap.newKeySet();
  /** The policy files, by route; created before the first install so the files loaded at start count as seen. */
  private final FileWatch files;
  private boolean closed;
  private final java.time.InstantSource clock;

  /**
   * Loads every eval-driven route's policy; an invalid one fails the start (ConfigException-like).
   *
   * @param initial the configured classifier ({@code classifier.path}), already warmed; the
   *     registry takes over its creator's reference
   * @param clock when a policy was installed ({@code GET /admin/policies}, the loaded-at gauge)
   */
  public PolicyRegistry(Vertx vertx, LoadedClassifier initial, ScoringService scoring, ClassifierStore store, MeterRegistry meters,
      Supplier<GatewayConfig> config, long pollMs, java.time.InstantSource clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.initial = initial;
    this.scoring = scoring;
    this.store = store;
    this.meters = meters;
    this.config = config;
    this.files = new FileWatch(vertx);
    List<String> problems = new ArrayList<>();
    for (RouteConfig r : config.get().routes().values()) {
      if (r.type() != RouteType.EVAL_DRIVEN) continue;
      try {
        String text = Files.readString(Path.of(r.policy()), StandardCharsets.UTF_8);
        Live l = install(r, prepare(r, text, r.policy(), Path.of(r.policy())), r.policy(), "file");
        files.remember(r.alias(), text.getBytes(StandardCharsets.UTF_8));
        LOG.info("route {}: policy {} ({}, {} candidates) from {}, classifier {}", r.alias(), l.policy().version(), l.policy().kind().yamlName(),
            l.policy().candidates().size(), r.policy(), l.classifier().path());
      } catch (IOException e) {
        problems.add("route " + r.alias() + ": cannot read policy file " + r.policy() + ": " + e.getMessage());
      } catch (PolicyRejected e) {
        problems.add("route " + r.alias() + ": " + e.getMessage());
      }
    }
    pending.clear();
    initial.release(); // the routes that use it hold their own references now
    if (!problems.isEmpty()) {
      live.values().forEach(l -> l.classifier().release());
      throw new IllegalStateException(String.join("; ", problems));
    }
    files.start(pollMs, this::pollFiles);
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

  public ClassifierStore store() {
    return store;
  }

  /**
   * Replaces a route's policy with {@code yaml} (admin API). Validated first (loading and warming
   * its classifier when it brings a new one); on success the file is rewritten atomically so a
   * restart keeps it. Blocking (file I/O, model loading): call from a worker.
   *
   * @throws PolicyRejected with the reason; the old pair keeps serving
   */
  public synchronized Live replace(String route, String yaml) {
    RouteConfig r = config.get().routes().get(route);
    if (r == null || r.type() != RouteType.EVAL_DRIVEN) throw new PolicyRejected("'" + route + "' is not an eval-driven route");
    Prepared next;
    try {
      next = prepare(r, yaml, "PUT /admin/policies/" + route, null);
    } catch (PolicyRejected e) {
      pending.clear();
      lastRejection.put(route, e.getMessage());
      throw e;
    }
    try {
      Path file = Path.of(r.policy());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("route {}: new policy {} is live but could not be written to {}: {}", route, next.policy().version(), r.policy(), e.getMessage());
    }
    files.remember(route, yaml.getBytes(StandardCharsets.UTF_8));
    Live l;
    try {
      l = install(r, next, r.policy(), "admin");
    } finally {
      pending.clear(); // installed or not, nothing is loading any more (prepare and install run under this lock)
    }
    lastRejection.remove(route);
    LOG.info("route {}: policy {} installed through the admin API (classifier {})", route, l.policy().version(), l.classifier().sha256().substring(0, 12));
    pruneUploads();
    return l;
  }

  private synchronized void pollFiles() {
    if (closed) return;
    for (RouteConfig r : config.get().routes().values()) {
      if (r.type() != RouteType.EVAL_DRIVEN) continue;
      byte[] changed = files.changed(r.alias(), Path.of(r.policy()));
      if (changed == null) continue;
      String text = new String(changed, StandardCharsets.UTF_8);
      try {
        Prepared next = prepare(r, text, r.policy(), Path.of(r.policy()));
        Live l = install(r, next, r.policy(), "file");
        pending.clear();
        lastRejection.remove(r.alias());
        LOG.info("route {}: policy reloaded from {}: {} (classifier {})", r.alias(), r.policy(), l.policy().version(),
            l.classifier().sha256().substring(0, 12));
        pruneUploads();
      } catch (PolicyRejected e) {
        pending.clear();
        lastRejection.put(r.alias(), e.getMessage());
        LOG.error("route {}: policy file change rejected, the previous policy keeps serving: {}", r.alias(), e.getMessage());
      }
    }
  }

  /** A validated policy and the classifier it runs with; {@code fresh} when that classifier was loaded for it. */
  private record Prepared(Policy policy, LoadedClassifier classifier, boolean fresh) {}

  /** Swaps the route's pair in; the old classifier loses the route's reference (closed once no job uses it). */
  private Live install(RouteConfig r, Prepared p, String file, String source) {
    Live old = live.get(r.alias());
    if (!p.fresh() && (old == null || old.classifier() != p.classifier()) && !p.classifier().tryAcquire()) {
      throw new PolicyRejected("classifier " + p.classifier().sha256() + " was closed meanwhile; publish again");
    }
    Live l = new Live(r.alias(), p.policy(), p.classifier(), file, source, clock.instant());
    live.put(r.alias(), l);
    if (old != null && old.classifier() != p.classifier()) {
      old.classifier().release();
      LOG.info("route {}: classifier {} replaced by {} ({})", r.alias(), old.classifier().sha256().substring(0, 12),
          p.classifier().sha256().substring(0, 12), p.classifier().path());
    }
    gauge(r.alias(), p.classifier());
    return l;
  }

  /**
   * {@code switchboard_classifier_loaded_at_seconds{route,sha256}}: when the route's classifier was
   * loaded. No path label: /metrics is unauthenticated, and paths say how the host is laid out.
   */
  private void gauge(String route, LoadedClassifier c) {
    if (meters == null) return;
    Gauge old = classifierGauges.get(route);
    if (old != null && old.getId().getTag("sha256").equals(c.sha256())) return;
    double at = c.loadedAt().toEpochMilli() / 1000.0;
    Gauge g = Gauge.builder("switchboard_classifier_loaded_at", () -> at).baseUnit("seconds")
        .description("When the classifier a route scores with was loaded (epoch seconds); its sha256 and path are labels")
        .tags("route", route, "sha256", c.sha256()).register(meters);
    classifierGauges.put(route, g);
    if (old != null) meters.remove(old);
  }

  /** Parses and checks a policy against the route and its classifier (loading a new one when the policy names it). */
  private Prepared prepare(RouteConfig route, String yaml, String origin, Path policyFile) {
    Policy p;
    try {
      p = PolicyFiles.parse(yaml, origin);
    } catch (RuntimeException e) {
      throw new PolicyRejected(e.getMessage());
    }
    Live cur = live.get(route.alias());
    LoadedClassifier current = cur != null ? cur.classifier() : initial;
    String sha = p.classifier() == null ? null : p.classifier().sha256();
    LoadedClassifier c = current;
    boolean fresh = false;
    if (sha != null && !sha.equals(current.sha256())) {
      c = live.values().stream().map(Live::classifier).filter(x -> x.sha256().equals(sha)).findFirst()
          .orElse(sha.equals(initial.sha256()) && !initial.closed() ? initial : null);
      if (c == null) {
        c = load(p, origin, policyFile, current);
        fresh = true;
      }
    }
    try {
      checkCandidates(route, p, c.classifier().card(), origin);
      if (fresh) warm(c, origin);
    } catch (PolicyRejected e) {
      if (fresh) c.release();
      throw e;
    }
    return new Prepared(p, c, fresh);
  }

  private static void checkCandidates(RouteConfig route, Policy p, ClassifierCard card, String origin) {
    List<String> problems = new ArrayList<>();
    for (Policy.Candidate c : p.candidates()) {
      if (!route.deployments().contains(c.model())) {
        problems.add("candidate '" + c.model() + "' is not a deployment of route '" + route.alias() + "' " + route.deployments());
      }
      if (p.kind() == Policy.Kind.QUALITY_THRESHOLD && c.ability() == null && !card.candidateNames().contains(c.model())) {
        problems.add("candidate '" + c.model() + "' has no predicted quality in the classifier (its candidates: " + card.candidateNames()
            + "); give it an 'ability:' to route it by the classifier's IRT head");
      }
      if (c.ability() != null && card.abilities().isEmpty()) {
        problems.add("candidate '" + c.model() + "' has an ability but the classifier has no IRT head (retrain it)");
      }
    }
    if (!problems.isEmpty()) throw new PolicyRejected(origin + ": " + String.join("; ", problems));
  }

  /**
   * Deletes uploaded classifiers no route uses and no swap is loading, beyond the most recent few
   * ({@link ClassifierStore#prune}). Called after an upload and after a swap to a new classifier; blocking.
   */
  public void pruneUploads() {
    try {
      store.prune(() -> {
        java.util.Set<String> used = new java.util.HashSet<>(pending);
        live.values().forEach(l -> used.add(l.classifier().sha256()));
        used.add(initial.sha256());
        return used;
      });
    } catch (RuntimeException e) {
      LOG.warn("cannot prune uploaded classifiers: {}", e.toString());
    }
  }

  /** Finds and loads the classifier a policy names by sha256: uploaded, else at its path. */
  private LoadedClassifier load(Policy p, String origin, Path policyFile, LoadedClassifier current) {
    String sha = p.classifier().sha256();
    String path = p.classifier().path();
    Path dir;
    LoadedClassifier c;
    // Under the store's lock, so upload retention (ClassifierStore.prune) sees it as pending or has already run.
    synchronized (store) {
      pending.add(sha);
      dir = store.find(sha);
      if (dir == null) {
        try {
          dir = store.resolve(path, policyFile);
        } catch (ClassifierStore.PathNotAllowed e) {
          throw new PolicyRejected(origin + ": " + e.getMessage());
        }
      }
      if (dir == null) {
        throw new PolicyRejected(origin + ": classifier hash mismatch: the policy was tuned for classifier sha256 " + sha
            + " but the gateway runs " + current.sha256() + ", no classifier with that sha256 was uploaded (PUT /admin/classifiers/" + sha
            + ") and none is at classifier.path '" + path + "'");
      }
      try {
        c = store.load(dir);
      } catch (ClassifierException e) {
        throw new PolicyRejected(origin + ": the policy's classifier cannot be loaded: " + e.getMessage());
      }
    }
    if (!c.sha256().equals(sha)) {
      String other = c.sha256();
      c.release();
      throw new PolicyRejected(origin + ": classifier hash mismatch: the policy was tuned for classifier sha256 " + sha + " but " + dir
          + " holds " + other);
    }
    LOG.info("classifier {} loaded from {} for {}", sha.substring(0, 12), dir, origin);
    return c;
  }

  /** Runs the new classifier on every scoring worker; one that fails there never serves. */
  private void warm(LoadedClassifier c, String origin) {
    try {
      scoring.warm(c.classifier()).get(WARM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      throw new PolicyRejected(origin + ": the policy's classifier failed on the scoring workers: " + (t instanceof ClassifierException
          ? t.getMessage() : t.getClass().getSimpleName()));
    } catch (TimeoutException e) {
      throw new PolicyRejected(origin + ": the policy's classifier did not warm up on the scoring workers within " + WARM_TIMEOUT_MS / 1000 + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PolicyRejected(origin + ": interrupted while warming the policy's classifier");
    }
  }

  /** Stops watching; the routes' classifier references go (each closes once no scoring job uses it). */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    files.close();
    live.values().forEach(l -> l.classifier().release());
  }

  /** A policy that cannot be used; the message says why. */
  public static final class PolicyRejected extends RuntimeException {
    public PolicyRejected(String message) {
      super(message, null, false, false);
    }
  }
}
