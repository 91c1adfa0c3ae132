package dev.switchboard.router.embeddings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.classifier.encoder.Encoded;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ChatExecutor;
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
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.routing.RoutePlanner;
import dev.switchboard.router.routing.RoutePlanner.Plan;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code POST /v1/embeddings}. A {@code local/...} model is computed here on the embeddings worker pool (never on the
 * event loop); any other model is routed like chat (deployment or fallback/weighted route; eval-driven routes pick
 * chat models and are refused) to the deployments that can embed, with the chat path's retries, fallback, governance
 * (permissions, rate limits, budget) and request log. The request log sees the inputs as one user message.
 */
public final class EmbeddingsHandler implements Handler<RoutingContext> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddingsHandler.class);
  private final Supplier<GatewaySnapshot> snapshot;
  private final ChatExecutor executor;
  private final RequestGate gate;
  private final ExchangeEnd end;
  private final LocalModels local;
  private final WorkerExecutor workers;

  /**
   * @param workers the pool local models run on (blocking ONNX Runtime and tokenizer calls)
   */
  public EmbeddingsHandler(Supplier<GatewaySnapshot> snapshot, ChatExecutor executor, RequestGate gate, ExchangeEnd end,
      LocalModels local, WorkerExecutor workers) {
    this.snapshot = snapshot;
    this.executor = executor;
    this.gate = gate;
    this.end = end;
    this.local = local;
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext rc) {
    GatewaySnapshot snap = snapshot.get();
    ChatExchange ex = ChatExchange.begin(rc, snap);
    HttpServerResponse out = rc.response();
    EmbeddingsRequest req;
    ParsedChat chat = null;
    try {
      req = EmbeddingsRequestParser.parse(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
      chat = gate.authorize(rc, snap, asChat(req), ex);
      LocalModels.Model model = LocalModels.find(req.model());
      if (model != null) {
        embedLocally(model, req, chat, ex, out);
      } else {
        embedRemotely(snap, req, chat, ex, out);
      }
    } catch (ApiException e) {
      end.fail(out, chat, ex, e.error());
    }
  }

  // ---------------------------------------------------------------- local models

  private void embedLocally(LocalModels.Model model, EmbeddingsRequest req, ParsedChat chat, ChatExchange ex, HttpServerResponse out) {
    Integer dims = req.dimensions();
    if (dims != null && dims != model.dim() && (!model.truncatable() || dims > model.dim())) {
      throw ApiException.badRequest(model.truncatable()
          ? "'dimensions' must be between 1 and " + model.dim() + " for '" + model.id() + "'."
          : "'" + model.id() + "' embeds in " + model.dim() + " dimensions only; 'dimensions' cannot change that.", "dimensions");
    }
    ex.route = model.id();
    long t0 = System.nanoTime();
    workers.<List<Encoded>>executeBlocking(() -> local.embed(model, req.inputs()), false).onComplete(ar -> {
      ex.upstreamNanos += System.nanoTime() - t0; // model time, not gateway overhead
      if (ar.failed()) {
        LOG.error("request {}: local model {} failed", ex.requestId, model.id(), ar.cause());
        end.fail(out, chat, ex, new ApiError(500, "server_error", "The local model '" + model.id() + "' failed (request id "
            + ex.requestId + ").", null, "local_model_failed", null));
        return;
      }
      float[][] vectors = new float[ar.result().size()][];
      long tokens = 0;
      for (int i = 0; i < vectors.length; i++) {
        Encoded e = ar.result().get(i);
        vectors[i] = dims == null ? e.embedding() : Vectors.truncate(e.embedding(), dims);
        tokens += e.tokenCount();
      }
      ex.usage = new Usage(tokens, 0);
      answer(out, chat, ex, Json.writeBytes(EmbeddingsAnswer.list(model.id(), vectors, req.base64(), tokens)));
    });
  }

  // ---------------------------------------------------------------- deployments

  private void embedRemotely(GatewaySnapshot snap, EmbeddingsRequest req, ParsedChat chat, ChatExchange ex, HttpServerResponse out) {
    RouteConfig route = snap.config().routes().get(req.model());
    if (route != null && route.type() == RouteType.EVAL_DRIVEN) {
      throw ApiException.badRequest("'" + req.model() + "' is an eval-driven route, which chooses between chat models; name an "
          + "embedding deployment, a fallback or weighted route of them, or a local model (" + localIds() + ").", "model");
    }
    Plan planned = RoutePlanner.plan(snap.config(), req.model(), () -> ThreadLocalRandom.current().nextDouble());
    List<Deployment> able = planned.deployments().stream().filter(RemoteEmbeddings::canEmbed).toList();
    if (able.isEmpty()) {
      throw ApiException.badRequest("'" + req.model() + "' has no deployment that offers embeddings (OpenAI-compatible, Azure or "
          + "Gemini); local models need no deployment: " + localIds() + ".", "model");
    }
    ex.route = planned.route();
    gate.admit(snap, new Plan(planned.route(), able), chat, ex)
        .compose(plan -> executor.call(snap, plan.deployments(), ex, RemoteEmbeddings.call(req)))
        .onComplete(ar -> {
          if (ar.failed()) {
            end.fail(out, chat, ex, ExchangeEnd.errorOf(ar.cause(), ex));
            return;
          }
          RemoteEmbeddings.Answer a = ar.result();
          ex.usage = a.usage();
          answer(out, chat, ex, a.raw() != null ? a.raw() : Json.writeBytes(a.body()));
        });
  }

  // ---------------------------------------------------------------- shared

  private void answer(HttpServerResponse out, ParsedChat chat, ChatExchange ex, byte[] body) {
    ex.status = 200;
    end.headers(out, ex);
    out.putHeader("x-switchboard-cost-usd", ExchangeEnd.costHeader(ex.costUsd()));
    out.putHeader("content-type", Responses.JSON).end(Buffer.buffer(body));
    end.finished(chat, ex, null);
  }

  /**
   * The request as the chat pipeline's governance and request log read one: the inputs as one user message, and no
   * output tokens to reserve ({@code max_tokens: 0}).
   */
  private static ParsedChat asChat(EmbeddingsRequest req) {
    ObjectNode body = Json.object();
    body.put("model", req.model());
    body.putArray("messages").addObject().put("role", "user").put("content", req.joined());
    body.put("max_tokens", 0);
    return new ParsedChat(new ChatRequest(req.model(), false, false, body), SwitchboardOptions.NONE);
  }

  private static String localIds() {
    return String.join(", ", LocalModels.ALL.stream().map(LocalModels.Model::id).toList());
  }
}
