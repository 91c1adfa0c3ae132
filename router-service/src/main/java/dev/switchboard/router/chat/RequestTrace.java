package dev.switchboard.router.chat;

import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.UpstreamRequest;

/**
 * The trace of one chat request, as the pipeline's stages see it: each stage (scoring, limits, cache, an upstream
 * attempt) opens a {@link Stage} under the request's span, sets what it learned and ends it. With tracing off every
 * request gets {@link #OFF}, whose methods do nothing and allocate nothing, so an untraced gateway pays one field read
 * and a few virtual calls per stage. No OpenTelemetry type appears here: the SDK side is {@code router.tracing}.
 *
 * <p>A stage that is not in this list (a response cache, say) uses {@link #stage} with a {@code switchboard.*} name:
 * <pre>{@code
 * RequestTrace.Stage s = ex.trace.stage("switchboard.cache");
 * ... s.set("switchboard.cache.hit", "true").end();
 * }</pre>
 */
public interface RequestTrace {
  /** The span names of the stages the gateway itself opens. */
  String SCORING = "switchboard.scoring";
  String LIMITS = "switchboard.limits";
  String CACHE = "switchboard.cache";

  /** One stage's span. Call {@link #end} (or {@link #fail}) exactly once, on the request's event loop. */
  interface Stage {
    Stage OFF = new Stage() {
      @Override
      public Stage set(String key, String value) {
        return this;
      }

      @Override
      public Stage set(String key, long value) {
        return this;
      }

      @Override
      public Stage set(String key, double value) {
        return this;
      }

      @Override
      public void end() {}

      @Override
      public void fail(String errorType) {}
    };

    /** An attribute; a null value is left out. */
    Stage set(String key, String value);

    Stage set(String key, long value);

    Stage set(String key, double value);

    void end();

    /** Ends the stage marked as failed with {@code errorType} (the {@code error.type} attribute). */
    void fail(String errorType);

    /** The request to send upstream for this attempt, carrying the trace context ({@code traceparent}) when traced. */
    default UpstreamRequest carry(UpstreamRequest up) {
      return up;
    }
  }

  RequestTrace OFF = new RequestTrace() {
    @Override
    public Stage stage(String name) {
      return Stage.OFF;
    }

    @Override
    public Stage attempt(Deployment d, UpstreamRequest up, int attemptNo) {
      return Stage.OFF;
    }

    @Override
    public void finish(ParsedChat chat, ChatExchange ex) {}
  };

  /** A child span of the request's span, named {@code name}. */
  Stage stage(String name);

  /** The client span of one upstream attempt on {@code d}; its {@link Stage#carry} adds the trace context to {@code up}. */
  Stage attempt(Deployment d, UpstreamRequest up, int attemptNo);

  /** Ends the request's span with what the exchange learned (route, model, tokens, cost, status). Called once. */
  void finish(ParsedChat chat, ChatExchange ex);

  /** Starts a request's trace from its HTTP request (honouring an incoming {@code traceparent}). */
  @FunctionalInterface
  interface Starter {
    Starter OFF = req -> RequestTrace.OFF;

    RequestTrace start(io.vertx.core.http.HttpServerRequest req);
  }
}
