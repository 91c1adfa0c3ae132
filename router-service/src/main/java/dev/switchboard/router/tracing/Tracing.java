package dev.switchboard.router.tracing;

import dev.switchboard.router.chat.RequestTrace;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design
 * ------
 * Off unless the standard OTEL_* variables ask for traces: then the SDK is built by OpenTelemetry's own
 * autoconfiguration, so every OTEL_* variable (endpoint, headers, sampler, resource attributes, batch settings) means
 * what OpenTelemetry documents, and nothing of ours needs learning. Off means RequestTrace.OFF on every request: no
 * span objects, no context extraction, no header injection. The propagator is W3C trace context (with baggage) unless
 * OTEL_PROPAGATORS says otherwise.
 */
/** The gateway's tracing: OpenTelemetry's SDK configured from {@code OTEL_*} variables, or off. */
public final class Tracing implements RequestTrace.Starter, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  /** Tracing off: every request gets {@link RequestTrace#OFF}. */
  public static final Tracing OFF = new Tracing(null, null);

  /**
   * Our defaults under the user's variables: traces only (our metrics are Prometheus', our logs Logback's), OTLP over
   * HTTP/protobuf (the exporter bundled; gRPC would need another transport), service name {@code switchboard}.
   */
  static final Map<String, String> DEFAULTS = Map.of("otel.service.name", "switchboard", "otel.metrics.exporter", "none",
      "otel.logs.exporter", "none", "otel.exporter.otlp.protocol", "http/protobuf");

  private final OpenTelemetry otel;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final OpenTelemetrySdk owned;

  private Tracing(OpenTelemetry otel, OpenTelemetrySdk owned) {
    this.otel = otel;
    this.owned = owned;
    this.tracer = otel == null ? null : otel.getTracer("dev.switchboard.router");
    this.propagator = otel == null ? null : otel.getPropagators().getTextMapPropagator();
  }

  /**
   * Whether {@code env} asks for traces: {@code OTEL_TRACES_EXPORTER} set to anything but {@code none}, or an OTLP
   * endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) given; never with
   * {@code OTEL_SDK_DISABLED=true}.
   */
  public static boolean configured(Function<String, String> env) {
    if ("true".equalsIgnoreCase(trim(env.apply("OTEL_SDK_DISABLED")))) return false;
    String exporter = trim(env.apply("OTEL_TRACES_EXPORTER"));
    if (exporter != null) return !exporter.equals("none");
    return trim(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT")) != null || trim(env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) != null;
  }

  /**
   * The SDK from the {@code OTEL_*} variables when {@link #configured}, else {@link #OFF}. Autoconfiguration reads the
   * process's environment itself; the common variables are also taken from {@code env}, so a gateway whose environment
   * is given in code (tests, an embedding program) is configured by what it was given.
   */
  public static Tracing fromEnvironment(Function<String, String> env) {
    if (!configured(env)) return OFF;
    Map<String, String> given = new java.util.HashMap<>();
    for (String v : PASSED) {
      String value = env.apply(v);
      if (value != null && !value.isBlank()) given.put(v.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
    }
    return autoconfigured(given);
  }

  /** The variables {@link #fromEnvironment} reads from its {@code env} too. */
  private static final java.util.List<String> PASSED = java.util.List.of("OTEL_EXPORTER_OTLP_ENDPOINT",
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_TRACES_EXPORTER",
      "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_BSP_SCHEDULE_DELAY",
      "OTEL_PROPAGATORS");

  /**
   * OpenTelemetry's autoconfiguration over {@link #DEFAULTS}, the process's {@code OTEL_*} variables and system
   * properties, then {@code overrides} (property names, e.g. {@code otel.exporter.otlp.endpoint}). Closed by {@link #close}.
   */
  public static Tracing autoconfigured(Map<String, String> overrides) {
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> DEFAULTS)
        .addPropertiesCustomizer(c -> overrides)
        .disableShutdownHook() // close() flushes, after the drain, so the last requests' spans go out
        .build().getOpenTelemetrySdk();
    LOG.info("tracing on: OpenTelemetry SDK configured from OTEL_* ({})", sdk.getSdkTracerProvider());
    return new Tracing(sdk, sdk);
  }

  /** Tracing through {@code otel}, which the caller configures and closes (tests: an in-memory exporter). */
  public static Tracing of(OpenTelemetry otel) {
    return new Tracing(otel, null);
  }

  public boolean enabled() {
    return tracer != null;
  }

  @Override
  public RequestTrace start(HttpServerRequest req) {
    return tracer == null ? RequestTrace.OFF : OtelRequestTrace.start(tracer, propagator, req);
  }

  /** Exports what is buffered and stops the SDK this instance built (none for {@link #of}). */
  @Override
  public void close() {
    if (owned != null) owned.shutdown().join(10, TimeUnit.SECONDS);
  }

  private static String trim(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
