package dev.switchboard.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.switchboard.router.config.ConfigKeys.Key;

/**
 * Parses and validates the gateway's YAML config. All problems are collected (not just the
 * first), each naming the field's path and line; unknown keys are errors, since a misspelt
 * {@code timout_ms} silently ignored is worse than a failed start.
 */
public final class ConfigParser {
  private static final Set<String> TOP = ConfigKeys.names(ConfigKeys.Section.TOP);
  private static final Set<String> CLASSIFIER = ConfigKeys.names(ConfigKeys.Section.CLASSIFIER);
  private static final Set<String> SERVER = ConfigKeys.names(ConfigKeys.Section.SERVER);
  private static final Set<String> RESILIENCE = ConfigKeys.names(ConfigKeys.Section.RESILIENCE);
  private static final Set<String> DEPLOYMENT = ConfigKeys.names(ConfigKeys.Section.DEPLOYMENT);
  private static final Set<String> ROUTE = ConfigKeys.names(ConfigKeys.Section.ROUTE);
  private static final Set<String> STORAGE = ConfigKeys.names(ConfigKeys.Section.STORAGE);
  private static final Set<String> LIMITS = ConfigKeys.names(ConfigKeys.Section.LIMITS);
  private static final Set<String> CACHE = ConfigKeys.names(ConfigKeys.Section.CACHE);

  /** Placeholder base URL of recorded deployments served by the in-process recorded upstream. */
  public static final String RECORDED_IN_PROCESS = "http://in-process.recorded";

  private final YamlDocument doc;
  private final String source;
  /** Relative paths in the file (policy, classifier) resolve against the file's folder. */
  private final Path baseDir;
  private final List<String> problems = new ArrayList<>();

  private ConfigParser(YamlDocument doc, String source, Path baseDir) {
    this.doc = doc;
    this.source = source;
    this.baseDir = baseDir;
  }

  /** Reads and validates a config file. */
  public static GatewayConfig parseFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("the file does not exist; write one (every key: docs/configuration.md; a complete"
          + " example: docs/examples/switchboard.yaml) or fix the path; without --config the gateway runs on its embedded defaults"));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read file: " + e.getMessage()));
    }
    return parse(text, file.toString(), file.toAbsolutePath().getParent());
  }

  /** Validates YAML text; {@code source} names it in errors. */
  public static GatewayConfig parse(String yaml, String source) {
    return parse(yaml, source, Path.of("").toAbsolutePath());
  }

  /** Validates YAML text whose relative paths resolve against {@code baseDir}. */
  public static GatewayConfig parse(String yaml, String source, Path baseDir) {
    YamlDocument doc = YamlDocument.parse(yaml, source);
    return new ConfigParser(doc, source, baseDir).build();
  }

  private GatewayConfig build() {
    JsonNode root = doc.root;
    if (!root.isObject()) {
      throw new ConfigException(source, List.of("the top level must be a mapping with server, deployments, routes"));
    }
    unknownKeys(root, "", TOP);
    ServerConfig server = server(root.get("server"));
    ResilienceConfig resilience = resilience(root.get("resilience"));
    List<Deployment> deployments = deployments(root.get("deployments"));
    List<RouteConfig> routes = routes(root.get("routes"), declaredNames(root.get("deployments")));
    ClassifierConfig classifier = classifier(root.get("classifier"));
    if (classifier == null && routes.stream().anyMatch(r -> r.type() == RouteType.EVAL_DRIVEN)) {
      problem("/routes", "classifier", "required when a route is eval-driven: classifier.path (e.g. models/default)");
    }
    StorageConfig storage = storage(root.get("storage"));
    LimitsConfig limits = limits(root.get("limits"));
    CacheConfig cache = cache(root.get("cache"), limits);
    if (!problems.isEmpty()) throw new ConfigException(source, problems);
    return GatewayConfig.of(server, resilience, deployments, routes, classifier, source).withGovernance(storage, limits).withCache(cache);
  }

  // ---------------------------------------------------------------- sections

  private ServerConfig server(JsonNode n) {
    ServerConfig d = ServerConfig.DEFAULTS;
    if (n == null || n.isNull()) return d;
    if (!object(n, "/server", "server")) return d;
    unknownKeys(n, "/server", SERVER);
    String p = "/server";
    return new ServerConfig(str(n, p, ConfigKeys.HOST), (int) integer(n, p, ConfigKeys.PORT), integer(n, p, ConfigKeys.MAX_BODY_BYTES),
        integer(n, p, ConfigKeys.REQUEST_DEADLINE_MS), str(n, p, ConfigKeys.ADMIN_KEY_ENV), integer(n, p, ConfigKeys.IDLE_TIMEOUT_MS),
        integer(n, p, ConfigKeys.REQUEST_READ_TIMEOUT_MS), (int) integer(n, p, ConfigKeys.MAX_CONNECTIONS),
        (int) integer(n, p, ConfigKeys.MAX_CONNECTIONS_PER_ADDRESS), integer(n, p, ConfigKeys.MAX_INFLIGHT_BODY_BYTES),
        integer(n, p, ConfigKeys.MIN_BODY_BYTES_PER_SECOND), (int) integer(n, p, ConfigKeys.HEALTH_PORT),
        integer(n, p, ConfigKeys.DRAIN_GRACE_MS), integer(n, p, ConfigKeys.DRAIN_TIMEOUT_MS), authMode(n, p), bool(n, p, ConfigKeys.INSECURE_NO_AUTH),
        bool(n, p, ConfigKeys.ACCESS_LOG));
  }

  private AuthMode authMode(JsonNode n, String p) {
    // YAML 1.1 reads a bare `off` as the boolean false; that is what the writer meant.
    if (n.path("auth").isBoolean() && !n.path("auth").asBoolean()) return AuthMode.OFF;
    String v = str(n, p, ConfigKeys.AUTH);
    try {
      return AuthMode.parse(v);
    } catch (IllegalArgumentException e) {
      problem(p + "/auth", "server.auth", e.getMessage());
      return AuthMode.parse(ConfigKeys.AUTH.defaultString());
    }
  }

  private CacheConfig cache(JsonNode n, LimitsConfig limits) {
    if (n == null || n.isNull()) return CacheConfig.DEFAULTS;
    if (!object(n, "/cache", "cache")) return CacheConfig.DEFAULTS;
    unknownKeys(n, "/cache", CACHE);
    String store = str(n, "/cache", ConfigKeys.CACHE_STORE);
    if (!"memory".equals(store) && !"redis".equals(store)) {
      problem("/cache/store", "cache.store", "must be memory or redis, got '" + store + "'");
    } else if ("redis".equals(store) && !limits.shared()) {
      problem("/cache/store", "cache.store", "redis needs limits.redis (the cache shares its Redis server)");
    }
    return new CacheConfig(integer(n, "/cache", ConfigKeys.CACHE_TTL_MS), integer(n, "/cache", ConfigKeys.CACHE_MAX_ENTRIES),
        decimal(n, "/cache", ConfigKeys.CACHE_SIMILARITY_THRESHOLD), decimal(n, "/cache", ConfigKeys.CACHE_MAX_TEMPERATURE),
        "redis".equals(store));
  }

  private StorageConfig storage(JsonNode n) {
    if (n == null || n.isNull()) return StorageConfig.DEFAULTS;
    if (!object(n, "/storage", "storage")) return StorageConfig.DEFAULTS;
    unknownKeys(n, "/storage", STORAGE);
    String url = str(n, "/storage", "url", null);
    if (url != null && url.isBlank()) url = null;
    if (url != null && !url.startsWith("jdbc:postgresql://")) {
      problem("/storage/url", "storage.url", "must be empty (the embedded H2 file) or jdbc:postgresql://host:port/database");
    }
    String user = str(n, "/storage", "user", null);
    String auditTopic = str(n, "/storage", ConfigKeys.STORAGE_AUDIT_TOPIC);
    if (auditTopic == null || !auditTopic.matches("[a-zA-Z0-9._-]{1,249}")) {
      problem("/storage/audit_topic", "storage.audit_topic", "must be a Kafka topic name (letters, digits, '.', '_', '-')");
    }
    return new StorageConfig(url, user == null || user.isBlank() ? null : user, integer(n, "/storage", ConfigKeys.STORAGE_REFRESH_MS),
        integer(n, "/storage", ConfigKeys.STORAGE_SPEND_FLUSH_MS), auditTopic);
  }

  private LimitsConfig limits(JsonNode n) {
    if (n == null || n.isNull()) return LimitsConfig.DEFAULTS;
    if (!object(n, "/limits", "limits")) return LimitsConfig.DEFAULTS;
    unknownKeys(n, "/limits", LIMITS);
    String redis = str(n, "/limits", "redis", null);
    if (redis != null && redis.isBlank()) redis = null;
    if (redis != null && !(redis.startsWith("redis://") || redis.startsWith("rediss://"))) {
      problem("/limits/redis", "limits.redis", "must be empty (in-process counters) or redis://host:port");
    }
    return new LimitsConfig(redis, Math.toIntExact(integer(n, "/limits", ConfigKeys.LIMITS_LEASE_REQUESTS)),
        decimal(n, "/limits", ConfigKeys.DOWNGRADE_QUALITY_FACTOR));
  }

  private ResilienceConfig resilience(JsonNode n) {
    ResilienceConfig d = ResilienceConfig.DEFAULTS;
    if (n == null || n.isNull()) return d;
    if (!object(n, "/resilience", "resilience")) return d;
    unknownKeys(n, "/resilience", RESILIENCE);
    long base = integer(n, "/resilience", ConfigKeys.BACKOFF_BASE_MS);
    long max = integer(n, "/resilience", ConfigKeys.BACKOFF_MAX_MS);
    if (max < base) problem("/resilience/backoff_max_ms", "resilience.backoff_max_ms", "must be >= backoff_base_ms (" + base + ")");
    return new ResilienceConfig(base, max,
        (int) integer(n, "/resilience", ConfigKeys.BREAKER_FAILURE_THRESHOLD), integer(n, "/resilience", ConfigKeys.BREAKER_OPEN_MS));
  }

  private ClassifierConfig classifier(JsonNode n) {
    if (n == null || n.isNull()) return null;
    if (!object(n, "/classifier", "classifier")) return null;
    unknownKeys(n, "/classifier", CLASSIFIER);
    String path = requiredStr(n, "/classifier", "path");
    String p = "/classifier";
    return path == null ? null : new ClassifierConfig(baseDir.resolve(path).normalize().toString(),
        integer(n, p, ConfigKeys.SCORING_DEADLINE_MS), (int) integer(n, p, ConfigKeys.WORKERS), (int) integer(n, p, ConfigKeys.MAX_BATCH),
        (int) integer(n, p, ConfigKeys.CACHE_SIZE), (int) integer(n, p, ConfigKeys.INTRA_OP_THREADS),
        (int) integer(n, p, ConfigKeys.INLINE_MAX_TOKENS));
  }

  private List<Deployment> deployments(JsonNode n) {
    List<Deployment> out = new ArrayList<>();
    if (n == null || !n.isArray() || n.isEmpty()) {
      problem("/deployments", "deployments", "required: a non-empty list of deployments");
      return out;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < n.size(); i++) {
      String p = "/deployments/" + i;
      String label = "deployments[" + i + "]";
      JsonNode d = n.get(i);
      if (!object(d, p, label)) continue;
      unknownKeys(d, p, DEPLOYMENT);
      String name = requiredStr(d, p, "name");
      if (name != null) {
        label = "deployments[" + i + "] (" + name + ")";
        if (!names.add(name)) problem(p + "/name", label + ".name", "duplicate deployment name '" + name + "'");
      }
      String providerText = requiredStr(d, p, "provider");
      ProviderKind provider = null;
      if (providerText != null) {
        try {
          provider = ProviderKind.parse(providerText);
        } catch (IllegalArgumentException e) {
          problem(p + "/provider", label + ".provider", e.getMessage());
        }
      }
      // A recorded deployment without base_url uses the in-process recorded upstream.
      String baseUrl = provider == ProviderKind.RECORDED && !d.hasNonNull("base_url") ? RECORDED_IN_PROCESS : requiredStr(d, p, "base_url");
      if (baseUrl != null && !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
        problem(p + "/base_url", label + ".base_url", "must start with http:// or https://");
      }
      if (baseUrl != null && baseUrl.endsWith("/")) baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
      String model = str(d, p, "model", name);
      Map<String, String> headers = new LinkedHashMap<>();
      JsonNode h = d.get("headers");
      if (h != null && !h.isNull()) {
        if (!h.isObject()) problem(p + "/headers", label + ".headers", "must be a mapping of header name to value");
        else h.fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      }
      Deployment dep = new Deployment(name, provider, baseUrl,
          str(d, p, "api_key_env", null), model,
          decimal(d, p, ConfigKeys.INPUT_PRICE), decimal(d, p, ConfigKeys.OUTPUT_PRICE), integer(d, p, ConfigKeys.TIMEOUT_MS),
          (int) integer(d, p, ConfigKeys.MAX_RETRIES), (int) integer(d, p, ConfigKeys.WEIGHT), str(d, p, ConfigKeys.API_VERSION), headers,
          (int) integer(d, p, ConfigKeys.MAX_TOKENS_DEFAULT));
      if (name != null && provider != null && baseUrl != null) out.add(dep);
    }
    return out;
  }

  /**
   * Names of every deployment entry, valid or not: a route naming a deployment that has its own
   * problems should not get a second, misleading "unknown deployment" problem.
   */
  private static Set<String> declaredNames(JsonNode ds) {
    Set<String> names = new HashSet<>();
    if (ds != null && ds.isArray()) {
      for (JsonNode d : ds) if (d.path("name").isTextual()) names.add(d.path("name").asText());
    }
    return names;
  }

  private List<RouteConfig> routes(JsonNode n, Set<String> deploymentNames) {
    List<RouteConfig> out = new ArrayList<>();
    if (n == null || n.isNull()) return out;
    if (!n.isArray()) {
      problem("/routes", "routes", "must be a list of routes");
      return out;
    }
    Set<String> aliases = new HashSet<>();
    for (int i = 0; i < n.size(); i++) {
      String p = "/routes/" + i;
      JsonNode r = n.get(i);
      if (!object(r, p, "routes[" + i + "]")) continue;
      unknownKeys(r, p, ROUTE);
      String alias = requiredStr(r, p, "alias");
      String label = "routes[" + i + "]" + (alias == null ? "" : " (" + alias + ")");
      if (alias != null && !aliases.add(alias)) problem(p + "/alias", label + ".alias", "duplicate route alias '" + alias + "'");
      if (alias != null && deploymentNames.contains(alias)) {
        problem(p + "/alias", label + ".alias", "'" + alias + "' is already a deployment name");
      }
      String typeText = str(r, p, ConfigKeys.ROUTE_TYPE);
      RouteType type = null;
      for (RouteType t : RouteType.values()) if (t.wireName().equals(typeText)) type = t;
      if (type == null) problem(p + "/type", label + ".type", "unknown route type '" + typeText + "' (expected fallback, weighted or eval-driven)");
      List<String> members = new ArrayList<>();
      JsonNode ds = r.get("deployments");
      if (ds == null || !ds.isArray() || ds.isEmpty()) {
        problem(p + "/deployments", label + ".deployments", "required: a non-empty list of deployment names");
      } else {
        for (int j = 0; j < ds.size(); j++) {
          String m = ds.get(j).asText();
          if (!deploymentNames.contains(m)) {
            problem(p + "/deployments/" + j, label + ".deployments[" + j + "]", "unknown deployment '" + m + "'");
          }
          members.add(m);
        }
      }
      String policy = str(r, p, "policy", null);
      String def = str(r, p, "default", null);
      if (type == RouteType.EVAL_DRIVEN) {
        if (policy == null) problem(p + "/policy", label + ".policy", "required for an eval-driven route: the policy file from 'switchboard tune'");
        if (def == null) problem(p + "/default", label + ".default", "required for an eval-driven route: the deployment used when scoring fails");
        else if (!members.contains(def)) problem(p + "/default", label + ".default", "'" + def + "' must be one of the route's deployments");
      } else {
        if (policy != null) problem(p + "/policy", label + ".policy", "only eval-driven routes have a policy");
        if (def != null) problem(p + "/default", label + ".default", "only eval-driven routes have a default");
      }
      String category = str(r, p, "category", null);
      if (category != null && (category.isBlank() || !ConfigKeys.CATEGORY.accepts(category.length()))) {
        problem(p + "/category", label + ".category", "must be a non-empty string of at most " + RouteConfig.MAX_CATEGORY_CHARS + " characters");
      }
      // YAML 1.1 reads a bare `off` as the boolean false; that is what the writer meant.
      String cacheText = r.path("cache").isBoolean() && !r.path("cache").asBoolean() ? "off" : str(r, p, ConfigKeys.ROUTE_CACHE);
      CacheMode cache = CacheMode.parse(cacheText);
      if (cache == null) problem(p + "/cache", label + ".cache", "must be off, exact or semantic, got '" + cacheText + "'");
      if (alias != null && type != null) {
        out.add(new RouteConfig(alias, type, members, policy == null ? null : baseDir.resolve(policy).normalize().toString(), def, category,
            cache == null ? CacheMode.OFF : cache));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- field helpers

  private void problem(String pointer, String field, String message) {
    problems.add(doc.at(pointer) + field + ": " + message);
  }

  private static String label(String pointer, String key) {
    String base = pointer.replaceFirst("^/", "").replaceAll("/(\\d+)", "[$1]").replace('/', '.');
    return base.isEmpty() ? key : base + "." + key;
  }

  private boolean object(JsonNode n, String pointer, String label) {
    if (n != null && n.isObject()) return true;
    problem(pointer, label, "must be a mapping");
    return false;
  }

  private void unknownKeys(JsonNode n, String pointer, Set<String> allowed) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        problem(pointer + "/" + k, label(pointer, k), "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }

  private String requiredStr(JsonNode n, String pointer, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      problem(pointer.isEmpty() ? "/" + key : pointer, label(pointer, key), "required");
      return null;
    }
    if (!v.isTextual()) {
      problem(pointer + "/" + key, label(pointer, key), "must be a string");
      return null;
    }
    return v.asText();
  }

  private String str(JsonNode n, String pointer, String key, String def) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) return def;
    if (!v.isTextual()) {
      problem(pointer + "/" + key, label(pointer, key), "must be a string");
      return def;
    }
    return v.asText();
  }

  private String str(JsonNode n, String pointer, Key k) {
    return str(n, pointer, k.name(), k.defaultString());
  }

  private boolean bool(JsonNode n, String pointer, Key k) {
    JsonNode v = n.get(k.name());
    if (v == null || v.isNull()) return k.defaultBoolean();
    if (!v.isBoolean()) {
      problem(pointer + "/" + k.name(), label(pointer, k.name()), "must be true or false, got " + describe(v));
      return k.defaultBoolean();
    }
    return v.asBoolean();
  }

  private long integer(JsonNode n, String pointer, Key k) {
    return integer(n, pointer, k.name(), k.defaultLong(), k.min().longValue(), k.max().longValue());
  }

  private double decimal(JsonNode n, String pointer, Key k) {
    return decimal(n, pointer, k.name(), k.defaultDouble(), k.min().doubleValue(), k.max().doubleValue());
  }

  private long integer(JsonNode n, String pointer, String key, long def, long min, long max) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) return def;
    if (!v.isIntegralNumber()) {
      problem(pointer + "/" + key, label(pointer, key), "must be an integer, got " + describe(v));
      return def;
    }
    long x = v.asLong();
    if (x < min || x > max) {
      problem(pointer + "/" + key, label(pointer, key), "must be between " + min + " and " + max + ", got " + x);
      return def;
    }
    return x;
  }

  private double decimal(JsonNode n, String pointer, String key, double def, double min, double max) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) return def;
    if (!v.isNumber()) {
      problem(pointer + "/" + key, label(pointer, key), "must be a number, got " + describe(v));
      return def;
    }
    double x = v.asDouble();
    if (!(x >= min && x <= max)) {
      problem(pointer + "/" + key, label(pointer, key), "must be between " + min + " and " + max + ", got " + x);
      return def;
    }
    return x;
  }

  private static String describe(JsonNode v) {
    String t = v.isTextual() ? "a string" : v.isBoolean() ? "a boolean" : v.isArray() ? "a list" : v.isObject() ? "a mapping" : v.getNodeType().toString().toLowerCase();
    return t + (v.isValueNode() ? " '" + v.asText() + "'" : "");
  }
}
