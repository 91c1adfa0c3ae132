package dev.switchboard.router.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every key of the gateway's config file, declared once: its section, type, default, range and
 * whether a hot reload applies it. The rest is derived from here: {@link ConfigParser}'s allowed
 * keys, defaults and range checks, the {@code *Config} records' defaults, {@code serve}'s overrides
 * of the same settings, and the checks that hold docs/configuration.md's tables (key, type, default,
 * range, hot reload) to it. Add a key here first.
 */
public final class ConfigKeys {

  /** A section of the file; {@link #title} is the heading docs/configuration.md gives it. */
  public enum Section {
    TOP(""), SERVER("server"), RESILIENCE("resilience"), DEPLOYMENT("deployments[]"), ROUTE("routes[]"), CLASSIFIER("classifier"),
    STORAGE("storage"), LIMITS("limits"), CACHE("cache");

    private final String title;

    Section(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  /** The YAML shape a value must have; {@link #word} is how the docs' type column begins. */
  public enum Type {
    STRING("string"), INTEGER("integer"), NUMBER("number"), BOOLEAN("boolean"), LIST("list"), MAPPING("mapping");

    private final String word;

    Type(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /** When a changed value takes effect on a running gateway (docs/configuration.md, "Hot reload"). */
  public enum Reload {
    /** With the next request after the reload. */
    LIVE,
    /** For circuit breakers created after the reload; existing ones keep theirs. */
    NEW_BREAKERS,
    /** Only after a restart. */
    RESTART
  }

  /**
   * One key.
   *
   * @param defaultValue the value when the key is absent ({@code Long}, {@code Double}, {@code Boolean} or {@code String}); null
   *     when it is required or has no default
   * @param min smallest accepted number (null: no range)
   * @param max largest accepted number (null: no range)
   */
  public record Key(Section section, String name, Type type, Object defaultValue, Number min, Number max, Reload reload) {

    public long defaultLong() {
      return ((Number) defaultValue).longValue();
    }

    public int defaultInt() {
      return Math.toIntExact(defaultLong());
    }

    public double defaultDouble() {
      return ((Number) defaultValue).doubleValue();
    }

    public boolean defaultBoolean() {
      return (Boolean) defaultValue;
    }

    public String defaultString() {
      return (String) defaultValue;
    }

    /** True when {@code v} is inside the key's range. */
    public boolean accepts(double v) {
      return (min == null || v >= min.doubleValue()) && (max == null || v <= max.doubleValue());
    }

    /** "{@code section.name}" as errors and docs name it, e.g. {@code classifier.scoring_deadline_ms}. */
    public String path() {
      return section == Section.TOP ? name : section.title() + "." + name;
    }
  }

  private static final List<Key> ALL = new ArrayList<>();

  private static Key key(Section s, String name, Type type, Object def, Number min, Number max, Reload reload) {
    Key k = new Key(s, name, type, def, min, max, reload);
    ALL.add(k);
    return k;
  }

  private static final Reload LIVE = Reload.LIVE;
  private static final Reload RESTART = Reload.RESTART;

  // ---------------------------------------------------------------- top level
  public static final Key TOP_SERVER = key(Section.TOP, "server", Type.MAPPING, null, null, null, RESTART);
  public static final Key TOP_RESILIENCE = key(Section.TOP, "resilience", Type.MAPPING, null, null, null, LIVE);
  public static final Key TOP_DEPLOYMENTS = key(Section.TOP, "deployments", Type.LIST, null, null, null, LIVE);
  public static final Key TOP_ROUTES = key(Section.TOP, "routes", Type.LIST, null, null, null, LIVE);
  public static final Key TOP_CLASSIFIER = key(Section.TOP, "classifier", Type.MAPPING, null, null, null, RESTART);
  public static final Key TOP_STORAGE = key(Section.TOP, "storage", Type.MAPPING, null, null, null, RESTART);
  public static final Key TOP_LIMITS = key(Section.TOP, "limits", Type.MAPPING, null, null, null, RESTART);
  public static final Key TOP_CACHE = key(Section.TOP, "cache", Type.MAPPING, null, null, null, RESTART);

  // Compile-time constants for the defaults and ranges that command-line help texts (annotations) show.
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_SCORING_DEADLINE_MS = 50, MIN_SCORING_DEADLINE_MS = 1, MAX_SCORING_DEADLINE_MS = 60_000;

  // ---------------------------------------------------------------- server
  public static final Key HOST = key(Section.SERVER, "host", Type.STRING, DEFAULT_HOST, null, null, RESTART);
  public static final Key PORT = key(Section.SERVER, "port", Type.INTEGER, (long) DEFAULT_PORT, 0, 65535, RESTART);
  public static final Key MAX_BODY_BYTES = key(Section.SERVER, "max_body_bytes", Type.INTEGER, 4L * 1024 * 1024, 1024, 1L << 30, RESTART);
  public static final Key REQUEST_DEADLINE_MS = key(Section.SERVER, "request_deadline_ms", Type.INTEGER, 120_000L, 1, 3_600_000, LIVE);
  public static final Key IDLE_TIMEOUT_MS = key(Section.SERVER, "idle_timeout_ms", Type.INTEGER, 60_000L, 100, 3_600_000, RESTART);
  public static final Key REQUEST_READ_TIMEOUT_MS = key(Section.SERVER, "request_read_timeout_ms", Type.INTEGER, 30_000L, 100, 3_600_000, RESTART);
  public static final Key MAX_CONNECTIONS = key(Section.SERVER, "max_connections", Type.INTEGER, 10_000L, 1, 1_000_000, RESTART);
  public static final Key MAX_CONNECTIONS_PER_ADDRESS =
      key(Section.SERVER, "max_connections_per_address", Type.INTEGER, 1_000L, 0, 1_000_000, RESTART);
  /** Request-body bytes held at once across all connections (issue #15: 300 half-sent 4 MB uploads held 1.1 GB). */
  public static final Key MAX_INFLIGHT_BODY_BYTES =
      key(Section.SERVER, "max_inflight_body_bytes", Type.INTEGER, 256L << 20, 1L << 20, 1L << 40, RESTART);
  /** A request body slower than this over a 2 s window is cut off (0: no minimum rate). */
  public static final Key MIN_BODY_BYTES_PER_SECOND =
      key(Section.SERVER, "min_body_bytes_per_second", Type.INTEGER, 1024L, 0, 1L << 30, RESTART);
  /** A second listener for /healthz and /readyz only, with its own connections (-1: none; 0: any free port). */
  public static final Key HEALTH_PORT = key(Section.SERVER, "health_port", Type.INTEGER, -1L, -1, 65535, RESTART);
  /**
   * Graceful stop (SIGTERM, Ctrl-C): how long /readyz answers 503 while new connections are still taken, so a load
   * balancer notices before the listener closes. 0 for a gateway nobody balances.
   */
  public static final Key DRAIN_GRACE_MS = key(Section.SERVER, "drain_grace_ms", Type.INTEGER, 0L, 0, 300_000, RESTART);
  /** Graceful stop: how long requests and streams in flight may take to finish once the listener is closed. */
  public static final Key DRAIN_TIMEOUT_MS = key(Section.SERVER, "drain_timeout_ms", Type.INTEGER, 30_000L, 0, 600_000, RESTART);
  public static final Key ADMIN_KEY_ENV = key(Section.SERVER, "admin_key_env", Type.STRING, "SWITCHBOARD_ADMIN_KEY", null, null, LIVE);
  /** {@code off} or {@code required}: whether {@code /v1/*} needs a key ({@code sk-sb-…}) from the governance store. */
  public static final Key AUTH = key(Section.SERVER, "auth", Type.STRING, "off", null, null, RESTART);
  /** Lets a gateway with auth off bind a non-loopback interface (also {@code serve --insecure-no-auth}). */
  public static final Key INSECURE_NO_AUTH = key(Section.SERVER, "insecure_no_auth", Type.BOOLEAN, false, null, null, RESTART);
  /** One access-log line per chat request on the logger {@code switchboard.access} (issue #17). */
  public static final Key ACCESS_LOG = key(Section.SERVER, "access_log", Type.BOOLEAN, true, null, null, RESTART);

  // ---------------------------------------------------------------- resilience
  public static final Key BACKOFF_BASE_MS = key(Section.RESILIENCE, "backoff_base_ms", Type.INTEGER, 100L, 0, 600_000, LIVE);
  public static final Key BACKOFF_MAX_MS = key(Section.RESILIENCE, "backoff_max_ms", Type.INTEGER, 5_000L, 0, 600_000, LIVE);
  public static final Key BREAKER_FAILURE_THRESHOLD =
      key(Section.RESILIENCE, "breaker_failure_threshold", Type.INTEGER, 5L, 1, 1000, Reload.NEW_BREAKERS);
  public static final Key BREAKER_OPEN_MS = key(Section.RESILIENCE, "breaker_open_ms", Type.INTEGER, 30_000L, 1, 3_600_000, Reload.NEW_BREAKERS);

  // ---------------------------------------------------------------- deployments[]
  public static final Key DEPLOYMENT_NAME = key(Section.DEPLOYMENT, "name", Type.STRING, null, null, null, LIVE);
  public static final Key PROVIDER = key(Section.DEPLOYMENT, "provider", Type.STRING, null, null, null, LIVE);
  public static final Key BASE_URL = key(Section.DEPLOYMENT, "base_url", Type.STRING, null, null, null, LIVE);
  public static final Key API_KEY_ENV = key(Section.DEPLOYMENT, "api_key_env", Type.STRING, null, null, null, LIVE);
  public static final Key MODEL = key(Section.DEPLOYMENT, "model", Type.STRING, null, null, null, LIVE);
  public static final Key INPUT_PRICE = key(Section.DEPLOYMENT, "input_price_per_mtok", Type.NUMBER, 0.0, 0, 10_000, LIVE);
  public static final Key OUTPUT_PRICE = key(Section.DEPLOYMENT, "output_price_per_mtok", Type.NUMBER, 0.0, 0, 10_000, LIVE);
  public static final Key TIMEOUT_MS = key(Section.DEPLOYMENT, "timeout_ms", Type.INTEGER, 60_000L, 1, 3_600_000, LIVE);
  public static final Key MAX_RETRIES = key(Section.DEPLOYMENT, "max_retries", Type.INTEGER, 2L, 0, 10, LIVE);
  public static final Key WEIGHT = key(Section.DEPLOYMENT, "weight", Type.INTEGER, 1L, 0, 1_000_000, LIVE);
  public static final Key API_VERSION = key(Section.DEPLOYMENT, "api_version", Type.STRING, null, null, null, LIVE);
  public static final Key HEADERS = key(Section.DEPLOYMENT, "headers", Type.MAPPING, null, null, null, LIVE);
  public static final Key MAX_TOKENS_DEFAULT = key(Section.DEPLOYMENT, "max_tokens_default", Type.INTEGER, 4096L, 1, 1_000_000, LIVE);

  // ---------------------------------------------------------------- routes[]
  public static final Key ALIAS = key(Section.ROUTE, "alias", Type.STRING, null, null, null, LIVE);
  public static final Key ROUTE_TYPE = key(Section.ROUTE, "type", Type.STRING, "fallback", null, null, LIVE);
  public static final Key ROUTE_DEPLOYMENTS = key(Section.ROUTE, "deployments", Type.LIST, null, null, null, LIVE);
  public static final Key POLICY = key(Section.ROUTE, "policy", Type.STRING, null, null, null, LIVE);
  public static final Key DEFAULT_DEPLOYMENT = key(Section.ROUTE, "default", Type.STRING, null, null, null, LIVE);
  /** Also the limit of a request's own category (body or header). */
  public static final Key CATEGORY = key(Section.ROUTE, "category", Type.STRING, null, 1, 200, LIVE);
  /** Response cache for this route: {@code off}, {@code exact} or {@code semantic} (a key's {@code cache} tag overrides it). */
  public static final Key ROUTE_CACHE = key(Section.ROUTE, "cache", Type.STRING, "off", null, null, LIVE);

  // ---------------------------------------------------------------- classifier
  public static final Key CLASSIFIER_PATH = key(Section.CLASSIFIER, "path", Type.STRING, null, null, null, RESTART);
  /** Also the range and default of {@code serve --scoring-deadline-ms} and {@code demo}'s. */
  public static final Key SCORING_DEADLINE_MS = key(Section.CLASSIFIER, "scoring_deadline_ms", Type.INTEGER, DEFAULT_SCORING_DEADLINE_MS,
      MIN_SCORING_DEADLINE_MS, MAX_SCORING_DEADLINE_MS, RESTART);
  public static final Key WORKERS = key(Section.CLASSIFIER, "workers", Type.INTEGER, 0L, 0, 256, RESTART);
  public static final Key MAX_BATCH = key(Section.CLASSIFIER, "max_batch", Type.INTEGER, 16L, 1, 1024, RESTART);
  public static final Key CACHE_SIZE = key(Section.CLASSIFIER, "cache_size", Type.INTEGER, 10_000L, 0, 10_000_000, RESTART);
  public static final Key INTRA_OP_THREADS = key(Section.CLASSIFIER, "intra_op_threads", Type.INTEGER, 1L, 1, 256, RESTART);
  public static final Key INLINE_MAX_TOKENS = key(Section.CLASSIFIER, "inline_max_tokens", Type.INTEGER, 1024L, 0, 16_384, RESTART);

  // ---------------------------------------------------------------- storage (keys, teams, spend, audit)
  /** Empty: the embedded H2 file under the data directory. {@code jdbc:postgresql://…} to share it between gateways. */
  public static final Key STORAGE_URL = key(Section.STORAGE, "url", Type.STRING, null, null, null, RESTART);
  /** The database user; the password comes from {@code SWITCHBOARD_STORAGE_PASSWORD}, never the file. */
  public static final Key STORAGE_USER = key(Section.STORAGE, "user", Type.STRING, null, null, null, RESTART);
  /** How often keys and teams changed by another gateway process are re-read. */
  public static final Key STORAGE_REFRESH_MS = key(Section.STORAGE, "refresh_ms", Type.INTEGER, 5_000L, 100, 3_600_000, RESTART);
  /**
   * How often the spend ledger is written: finished requests are summed per key, team, model and day in memory and each
   * sum becomes one row per flush (a row per request cost more CPU than the request's pass-through).
   */
  public static final Key STORAGE_SPEND_FLUSH_MS = key(Section.STORAGE, "spend_flush_ms", Type.INTEGER, 1_000L, 10, 60_000, RESTART);
  /** Kafka topic that every admin action's audit entry is also published to (the database row stays the record). */
  public static final Key STORAGE_AUDIT_TOPIC = key(Section.STORAGE, "audit_topic", Type.STRING, "switchboard.audit", null, null, RESTART);

  // ---------------------------------------------------------------- limits (live budget and rate-limit counters)
  /** Empty: in-process counters (one gateway). {@code redis://host:port} to share them between gateways. */
  public static final Key LIMITS_REDIS = key(Section.LIMITS, "redis", Type.STRING, null, null, null, RESTART);
  /**
   * With Redis: each script call that counts a request also leases capacity for up to this many more like it, which the
   * next requests use without a round trip. Limits still hold across gateways; near a limit another gateway may refuse a
   * little early (leases are at most an eighth of the room left and go back after 1 s unused). 0: a call per check.
   */
  public static final Key LIMITS_LEASE_REQUESTS = key(Section.LIMITS, "lease_requests", Type.INTEGER, 32L, 0, 1_000, RESTART);
  /**
   * Budget-aware routing: past a key's or team's {@code budget.downgrade_at}, eval-driven routes multiply the request's
   * quality target (or the policy's own) by this.
   */
  public static final Key DOWNGRADE_QUALITY_FACTOR =
      key(Section.LIMITS, "downgrade_quality_factor", Type.NUMBER, 0.9, 0.1, 1, RESTART);

  // ---------------------------------------------------------------- cache (response cache, issue #16)
  /** How long a cached answer is served. */
  public static final Key CACHE_TTL_MS = key(Section.CACHE, "ttl_ms", Type.INTEGER, 3_600_000L, 1_000, 30L * 24 * 3_600_000, RESTART);
  /** Answers held in process at most (least recently used go first). */
  public static final Key CACHE_MAX_ENTRIES = key(Section.CACHE, "max_entries", Type.INTEGER, 10_000L, 1, 10_000_000, RESTART);
  /** Cosine similarity of the last user turns' embeddings from which a semantic match is served. */
  public static final Key CACHE_SIMILARITY_THRESHOLD = key(Section.CACHE, "similarity_threshold", Type.NUMBER, 0.95, 0.5, 1, RESTART);
  /** Requests with an explicit temperature above this bypass the cache (0: only deterministic requests are cached). */
  public static final Key CACHE_MAX_TEMPERATURE = key(Section.CACHE, "max_temperature", Type.NUMBER, 0.0, 0, 2, RESTART);
  /** {@code memory}: in this process; {@code redis}: in {@code limits.redis}, shared by every gateway using it. */
  public static final Key CACHE_STORE = key(Section.CACHE, "store", Type.STRING, "memory", null, null, RESTART);

  private ConfigKeys() {}

  /** Every key, in declaration order (the order of the docs' tables). */
  public static List<Key> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The keys of one section, in order. */
  public static List<Key> of(Section s) {
    return ALL.stream().filter(k -> k.section() == s).toList();
  }

  /** The names a section accepts: anything else in it is an "unknown field" error. */
  public static Set<String> names(Section s) {
    Set<String> out = new LinkedHashSet<>();
    of(s).forEach(k -> out.add(k.name()));
    return out;
  }
}
