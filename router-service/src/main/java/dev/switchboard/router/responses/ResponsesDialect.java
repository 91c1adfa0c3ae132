package dev.switchboard.router.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.api.Responses;
import dev.switchboard.router.chat.Ingress;
import dev.switchboard.router.providers.contract.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ChatRequestParser;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.governance.Caller;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.ChatResult;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/responses} as an {@link Ingress}: Responses in, chat through the pipeline, Responses out (errors in OpenAI's shape). */
public final class ResponsesDialect implements Ingress {
  private final ResponseStore store;

  public ResponsesDialect(ResponseStore store) {
    this.store = store;
  }

  /** The store partition of a request: its key's id, or {@code ""} when the gateway runs without auth. */
  static String partition(RoutingContext rc) {
    Caller caller = rc.get(Caller.CONTEXT_KEY);
    return caller == null ? "" : caller.keyId();
  }

  @Override
  public ParsedChat parse(RoutingContext rc, byte[] bytes, ChatExchange ex) {
    ObjectNode body = ChatRequestParser.readObject(bytes);
    String partition = partition(rc);
    JsonNode storeFlag = body.get("store");
    if (storeFlag != null && !storeFlag.isNull() && !storeFlag.isBoolean()) throw ApiException.badRequest("'store' must be a boolean.", "store");
    JsonNode metadata = body.get("metadata");
    if (metadata != null && !metadata.isNull() && !metadata.isObject()) throw ApiException.badRequest("'metadata' must be an object.", "metadata");
    ArrayNode previous = null;
    JsonNode prev = body.get("previous_response_id");
    if (prev != null && !prev.isNull()) {
      if (!prev.isTextual()) throw ApiException.badRequest("'previous_response_id' must be a string.", "previous_response_id");
      ResponseStore.Stored s = store.get(prev.asText(), partition);
      if (s == null) {
        throw new ApiException(ApiError.invalidRequest("Previous response with id '" + prev.asText() + "' not found (responses are kept "
            + "for a limited time, only for the API key that created them, and not when sent with store: false).",
            "previous_response_id", "previous_response_not_found"));
      }
      previous = s.conversation();
    }
    ResponsesTranslator.Translated t = ResponsesTranslator.translate(body, previous);
    ParsedChat chat = ChatRequestParser.parse(t.chat());
    ex.dialectState = new ResponsesState(ResponseObject.newId("resp_"), body, System.currentTimeMillis() / 1000,
        storeFlag == null || storeFlag.isNull() || storeFlag.asBoolean(), partition, t.conversation());
    return chat;
  }

  @Override
  public void error(HttpServerResponse out, ApiError e) {
    Responses.error(out, e);
  }

  @Override
  public Buffer completion(ChatResult result, ParsedChat chat, ChatExchange ex) {
    ResponsesState st = (ResponsesState) ex.dialectState;
    JsonNode choice = result.completion().path("choices").path(0);
    JsonNode message = choice.path("message");
    List<ObjectNode> output = new ArrayList<>(2);
    JsonNode content = message.get("content");
    if (content != null && content.isTextual() && !content.asText().isEmpty()) {
      output.add(ResponseObject.message(ResponseObject.newId("msg_"), content.asText(), "completed"));
    }
    for (JsonNode call : message.path("tool_calls")) {
      output.add(ResponseObject.functionCall(ResponseObject.newId("fc_"), call.path("id").asText(),
          call.path("function").path("name").asText(), call.path("function").path("arguments").asText(""), "completed"));
    }
    String[] status = ResponseObject.status(choice.path("finish_reason").asText(null));
    String model = result.completion().path("model").asText(chat.request().model());
    ObjectNode response = ResponseObject.response(st, model, status[0], output, result.usage(), status[1], null);
    keep(st, output, response);
    return Buffer.buffer(Json.writeBytes(response));
  }

  @Override
  public StreamEncoder stream(ParsedChat chat, StreamTranslator upstream, ChatExchange ex) {
    ResponsesStream events = new ResponsesStream((ResponsesState) ex.dialectState, chat.request().model(), this);
    return new StreamEncoder() {
      @Override
      public void chunk(String chunk, Buffer out) {
        events.chunk(chunk, out);
      }

      @Override
      public void finish(Buffer out) {
        events.finish(upstream.usage(), out);
      }

      @Override
      public boolean fail(ApiError error, Buffer out) {
        events.fail(error, out);
        return true;
      }
    };
  }

  /** Stores an answered response for continuations and {@code GET /v1/responses/{id}}, unless the client said {@code store: false}. */
  void keep(ResponsesState st, List<ObjectNode> output, ObjectNode response) {
    if (!st.store()) return;
    ArrayNode conversation = st.conversation().deepCopy();
    conversation.add(ResponseObject.assistantMessage(output));
    store.put(st.responseId(), st.partition(), conversation, response);
  }
}
