package dev.switchboard.router.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ChatExecutor;
import dev.switchboard.router.chat.ChatExecutor.Passthrough;
import dev.switchboard.router.chat.ExchangeEnd;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.chat.RequestGate;
import dev.switchboard.router.chat.SwitchboardOptions;
import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.ChatRequest;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.sse.SseParser;
import dev.switchboard.router.routing.RoutePlanner;
import dev.switchboard.router.routing.RoutePlanner.Plan;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code POST /v1/completions}: routed like chat (a deployment, or a fallback or weighted route; eval-driven routes
 * choose chat models and are refused), with the chat path's retries, fallback, governance and request log. Streams go
 * to OpenAI-compatible deployments only, event by event as they come (the usage event is asked for, to price the
 * request, and withheld from a client that did not ask for it).
 */
public final class CompletionsHandler implements Handler<RoutingContext> {
  private final Supplier<GatewaySnapshot> snapshot;
  private final ChatExecutor executor;
  private final RequestGate gate;
  private final ExchangeEnd end;

  public CompletionsHandler(Supplier<GatewaySnapshot> snapshot, ChatExecutor executor, RequestGate gate, ExchangeEnd end) {
    this.snapshot = snapshot;
    this.executor = executor;
    this.gate = gate;
    this.end = end;
  }

  @Override
  public void handle(RoutingContext rc) {
    GatewaySnapshot snap = snapshot.get();
    ChatExchange ex = ChatExchange.begin(rc, snap);
    HttpServerResponse out = rc.response();
    ParsedChat chat = null;
    try {
      ObjectNode body = LegacyCompletions.parse(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
      chat = gate.authorize(rc, snap, forGovernance(body), ex);
      String model = body.get("model").asText();
      RouteConfig route = snap.config().routes().get(model);
      if (route != null && route.type() == RouteType.EVAL_DRIVEN) {
        throw ApiException.badRequest("'" + model + "' is an eval-driven route, which serves chat completions; legacy completions "
            + "need a deployment or a fallback or weighted route.", "model");
      }
      Plan planned = RoutePlanner.plan(snap.config(), model, () -> ThreadLocalRandom.current().nextDouble());
      boolean stream = body.path("stream").asBoolean(false);
      List<Deployment> able = stream ? planned.deployments().stream().filter(LegacyCompletions::passesThrough).toList()
          : planned.deployments();
      if (able.isEmpty()) {
        throw ApiException.badRequest("Streaming legacy completions go to OpenAI-compatible deployments only, and '" + model
            + "' has none; send 'stream': false, or use /v1/chat/completions.", "stream");
      }
      ChatRequest translated = null;
      if (!able.stream().allMatch(LegacyCompletions::passesThrough)) {
        ApiException why = LegacyCompletions.untranslatable(body);
        if (why != null) throw why;
        translated = LegacyCompletions.asChat(body);
      }
      ex.route = planned.route();
      ChatRequest asChat = translated;
      ParsedChat governed = chat;
      gate.admit(snap, new Plan(planned.route(), able), chat, ex).onComplete(ar -> {
        if (ar.failed()) {
          end.fail(out, governed, ex, ExchangeEnd.errorOf(ar.cause(), ex));
        } else if (stream) {
          stream(snap, ar.result(), body, governed, ex, out);
        } else {
          complete(snap, ar.result(), body, asChat, governed, ex, out);
        }
      });
    } catch (ApiException e) {
      end.fail(out, chat, ex, e.error());
    }
  }

  private void complete(GatewaySnapshot snap, Plan plan, ObjectNode body, ChatRequest asChat, ParsedChat chat, ChatExchange ex,
      HttpServerResponse out) {
    executor.call(snap, plan.deployments(), ex, LegacyCompletions.call(body, asChat)).onComplete(ar -> {
      if (ar.failed()) {
        end.fail(out, chat, ex, ExchangeEnd.errorOf(ar.cause(), ex));
        return;
      }
      LegacyCompletions.Answer a = ar.result();
      ex.usage = a.usage();
      ex.status = 200;
      end.headers(out, ex);
      out.putHeader("x-switchboard-cost-usd", ExchangeEnd.costHeader(ex.costUsd()));
      out.putHeader("content-type", Responses.JSON).end(Buffer.buffer(a.raw() != null ? a.raw() : Json.writeBytes(a.body())));
      end.finished(chat, ex, text(a.body()));
    });
  }

  // ---------------------------------------------------------------- streaming pass-through

  private void stream(GatewaySnapshot snap, Plan plan, ObjectNode body, ParsedChat chat, ChatExchange ex, HttpServerResponse out) {
    boolean clientWantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    ObjectNode upstreamBody = body.deepCopy();
    upstreamBody.putObject("stream_options").put("include_usage", true);
    executor.callStreaming(snap, plan.deployments(), ex, (d, key) -> LegacyCompletions.passThrough(d, upstreamBody, key))
        .onComplete(ar -> {
          if (ar.failed()) {
            end.fail(out, chat, ex, ExchangeEnd.errorOf(ar.cause(), ex));
            return;
          }
          new Pump(ar.result(), clientWantsUsage, chat, ex, out).start();
        });
  }

  /** Moves one upstream SSE stream to the client, event by event, with backpressure and the deployment's idle timeout. */
  private final class Pump {
    private final Passthrough p;
    private final boolean clientWantsUsage;
    private final ParsedChat chat;
    private final ChatExchange ex;
    private final HttpServerResponse out;
    private final SseParser parser = new SseParser();
    private final StringBuilder text = new StringBuilder();
    private boolean done;
    private long idle = -1;
    private final io.vertx.core.Vertx vertx = io.vertx.core.Vertx.currentContext().owner();

    Pump(Passthrough p, boolean clientWantsUsage, ParsedChat chat, ChatExchange ex, HttpServerResponse out) {
      this.p = p;
      this.clientWantsUsage = clientWantsUsage;
      this.chat = chat;
      this.ex = ex;
      this.out = out;
    }

    void start() {
      HttpClientResponse up = p.exchange().response();
      ex.status = 200;
      end.headers(out, ex);
      out.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache")
          .putHeader("x-accel-buffering", "no");
      out.closeHandler(v -> finish(499, "client closed the stream"));
      up.handler(buf -> {
        if (done) return;
        armIdle();
        Buffer batch = Buffer.buffer(buf.length() + 16);
        for (SseEvent e : parser.feed(buf.getBytes())) forward(e, batch);
        if (batch.length() > 0) out.write(batch);
        if (out.writeQueueFull()) {
          up.pause();
          out.drainHandler(v -> up.resume());
        }
      });
      up.exceptionHandler(err -> finish(502, "the upstream connection failed mid-stream"));
      up.endHandler(v -> {
        Buffer batch = Buffer.buffer(64);
        for (SseEvent e : parser.finish()) forward(e, batch);
        if (!done) out.end(batch);
        finish(200, null);
      });
      armIdle();
      up.resume();
    }

    /** Writes the event as it came, except the usage-only event a client did not ask for; notes usage and text. */
    private void forward(SseEvent e, Buffer batch) {
      String data = e.data();
      if (!"[DONE]".equals(data)) {
        JsonNode c = Json.tryRead(data);
        if (c != null) {
          JsonNode usage = c.get("usage");
          if (usage != null && usage.isObject()) ex.usage = LegacyCompletions.usage(usage);
          for (JsonNode ch : c.path("choices")) text.append(ch.path("text").asText(""));
          if (!clientWantsUsage && usage != null) {
            if (c.path("choices").isEmpty()) return; // the usage event we asked for on our own account
            ((ObjectNode) c).remove("usage");
            data = Json.write(c);
          }
        }
      }
      ex.streamedChunks++;
      batch.appendString("data: ").appendString(data).appendString("\n\n");
    }

    private void finish(int status, String error) {
      if (done) return;
      done = true;
      if (idle >= 0) vertx.cancelTimer(idle);
      if (status != 200) {
        p.exchange().request().reset();
        ex.status = status;
        ex.errorMessage = error;
        if (!out.ended() && !out.closed()) {
          Responses.error(out, new ApiError(502, "upstream_error", "Deployment '" + p.deployment().name() + "' failed mid-stream: " + error,
              null, "stream_interrupted", ex.attempts));
        }
      }
      end.finished(chat, ex, text.toString());
    }

    private void armIdle() {
      if (idle >= 0) vertx.cancelTimer(idle);
      long ms = p.deployment().timeoutMs();
      idle = vertx.setTimer(ms, t -> finish(502, "no data from the upstream for " + ms + " ms"));
    }
  }

  // ---------------------------------------------------------------- shared

  /** The request as governance and the request log read one: the prompt as a user message, {@code max_tokens} as given. */
  private static ParsedChat forGovernance(ObjectNode body) {
    ObjectNode chat = Json.object();
    chat.put("model", body.get("model").asText());
    JsonNode prompt = body.get("prompt");
    chat.putArray("messages").addObject().put("role", "user").put("content", prompt.isTextual() ? prompt.asText() : prompt.toString());
    if (body.hasNonNull("max_tokens")) chat.set("max_tokens", body.get("max_tokens"));
    return new ParsedChat(new ChatRequest(body.get("model").asText(), body.path("stream").asBoolean(false), false, chat),
        SwitchboardOptions.NONE);
  }

  private static String text(JsonNode completion) {
    JsonNode t = completion.path("choices").path(0).path("text");
    return t.isTextual() ? t.asText() : null;
  }
}
