package dev.switchboard.router.tracing;

import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.chat.RequestTrace;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.UpstreamRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/*
 * Attributes follow OpenTelemetry's semantic conventions: GenAI (gen_ai.*) for what was asked and answered, HTTP
 * (http.*, url.*, server.*) for the wire. gen_ai.system is the older name of gen_ai.provider.name, set too for backends
 * that still read it. Ours are switchboard.*. Spans are ended explicitly on the request's event loop; nothing relies on
 * a thread-local current context (scoring runs on workers, attempts on callbacks).
 */
/** One traced chat request: a SERVER span, its stages as INTERNAL children and its upstream attempts as CLIENT children. */
final class OtelRequestTrace implements RequestTrace {
  private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServerRequest carrier) {
      return carrier.headers().names();
    }

    @Override
    public String get(HttpServerRequest carrier, String key) {
      return carrier == null ? null : carrier.getHeader(key);
    }
  };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final Span span;
  private final Context context;

  private OtelRequestTrace(Tracer tracer, TextMapPropagator propagator, Span span, Context context) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.span = span;
    this.context = context;
  }

  static OtelRequestTrace start(Tracer tracer, TextMapPropagator propagator, HttpServerRequest req) {
    Context parent = propagator.extract(Context.root(), req, HEADERS); // a caller's traceparent makes this its child
    Span span = tracer.spanBuilder("chat").setSpanKind(SpanKind.SERVER).setParent(parent)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("http.request.method", req.method().name())
        .setAttribute("url.path", req.path())
        .setAttribute("url.scheme", "http")
        .startSpan();
    return new OtelRequestTrace(tracer, propagator, span, parent.with(span));
  }

  @Override
  public Stage stage(String name) {
    return new OtelStage(tracer.spanBuilder(name).setParent(context).setSpanKind(SpanKind.INTERNAL).startSpan(), null, null);
  }

  @Override
  public Stage attempt(Deployment d, UpstreamRequest up, int attemptNo) {
    URI uri = URI.create(up.url());
    String provider = GenAi.providerName(d.provider());
    Span s = tracer.spanBuilder("chat " + d.model()).setParent(context).setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.request.model", d.model())
        .setAttribute("gen_ai.provider.name", provider)
        .setAttribute("gen_ai.system", provider)
        .setAttribute("http.request.method", up.method())
        .setAttribute("url.full", withoutQuery(uri)) // a query may carry a key (Gemini's ?key=)
        .setAttribute("server.address", uri.getHost())
        .setAttribute("server.port", (long) port(uri))
        .setAttribute("switchboard.deployment", d.name())
        .setAttribute("switchboard.attempt", (long) attemptNo)
        .startSpan();
    return new OtelStage(s, propagator, Context.root().with(s));
  }

  @Override
  public void finish(ParsedChat chat, ChatExchange ex) {
    String requested = chat == null ? null : chat.request().model();
    if (requested != null) {
      span.updateName("chat " + requested);
      span.setAttribute("gen_ai.request.model", requested);
    }
    span.setAttribute("switchboard.request_id", ex.requestId);
    span.setAttribute("http.response.status_code", (long) ex.status);
    if (ex.route != null) span.setAttribute("switchboard.route", ex.route);
    if (ex.difficulty != null) span.setAttribute("switchboard.difficulty", ex.difficulty);
    if (ex.fallbackReason != null) span.setAttribute("switchboard.fallback_reason", ex.fallbackReason);
    if (ex.answered != null) {
      String provider = GenAi.providerName(ex.answered.provider());
      span.setAttribute("gen_ai.response.model", ex.answered.model());
      span.setAttribute("gen_ai.provider.name", provider);
      span.setAttribute("gen_ai.system", provider);
      span.setAttribute("switchboard.deployment", ex.answered.name());
      span.setAttribute("gen_ai.usage.input_tokens", ex.usage.promptTokens());
      span.setAttribute("gen_ai.usage.output_tokens", ex.usage.completionTokens());
      span.setAttribute("switchboard.cost_usd", ex.costUsd());
    }
    if (ex.status >= 500) {
      span.setAttribute("error.type", Integer.toString(ex.status));
      span.setStatus(StatusCode.ERROR, ex.errorMessage == null ? "" : ex.errorMessage);
    }
    span.end();
  }

  private static String withoutQuery(URI uri) {
    String s = uri.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) return uri.getPort();
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** A stage's or attempt's span; an attempt's also carries its context upstream. */
  private record OtelStage(Span span, TextMapPropagator propagator, Context context) implements Stage {
    @Override
    public Stage set(String key, String value) {
      if (value != null) span.setAttribute(key, value);
      return this;
    }

    @Override
    public Stage set(String key, long value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public Stage set(String key, double value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public void end() {
      span.end();
    }

    @Override
    public void fail(String errorType) {
      span.setAttribute("error.type", errorType);
      span.setStatus(StatusCode.ERROR);
      span.end();
    }

    @Override
    public UpstreamRequest carry(UpstreamRequest up) {
      if (propagator == null) return up;
      Map<String, String> headers = new HashMap<>(up.headers());
      propagator.inject(context, headers, (carrier, k, v) -> carrier.put(k, v));
      return new UpstreamRequest(up.method(), up.url(), headers, up.body());
    }
  }
}
