package dev.switchboard.router.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiError;
import dev.switchboard.router.providers.chat.Json;
import dev.switchboard.router.providers.contract.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * The event sequence
 * ------------------
 * response.created and response.in_progress first; then per output item: output_item.added, for a message
 * content_part.added, output_text.delta..., output_text.done, content_part.done, for a function call
 * function_call_arguments.delta..., function_call_arguments.done; then output_item.done. An item is closed when the
 * next one starts (chat streams text before tool calls, and tool calls one after another by index) or at the end;
 * then response.completed (or .incomplete) with the whole Response, which is also what is stored. Every event carries
 * a sequence_number counting from 0. A failure mid-stream ends with response.failed.
 */
/** One streamed answer: chat chunks in, Responses API server-sent events out. */
final class ResponsesStream {
  private final ResponsesState st;
  private final ResponsesDialect dialect;
  private String model;
  private int sequence;
  private boolean started;
  /** Closed items, in output order. */
  private final List<ObjectNode> output = new ArrayList<>(2);
  /** The open message item: its id and text so far (null when none is open). */
  private String messageId;
  private StringBuilder text;
  /** Function calls by chat tool-call index, in order; the open one is the last. */
  private final Map<Integer, Call> calls = new LinkedHashMap<>();
  private Call openCall;
  private String finishReason;

  private static final class Call {
    final String id = ResponseObject.newId("fc_");
    final int outputIndex;
    String callId = "";
    String name = "";
    final StringBuilder arguments = new StringBuilder();

    Call(int outputIndex) {
      this.outputIndex = outputIndex;
    }
  }

  ResponsesStream(ResponsesState st, String model, ResponsesDialect dialect) {
    this.st = st;
    this.model = model;
    this.dialect = dialect;
  }

  void chunk(String chunkJson, Buffer into) {
    start(into);
    JsonNode c = Json.tryRead(chunkJson);
    if (c == null) return;
    if (c.path("model").isTextual()) model = c.get("model").asText();
    JsonNode choice = c.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    JsonNode content = delta.get("content");
    if (content != null && content.isTextual() && !content.asText().isEmpty()) text(content.asText(), into);
    for (JsonNode tc : delta.path("tool_calls")) toolCall(tc, into);
    if (choice.path("finish_reason").isTextual()) finishReason = choice.get("finish_reason").asText();
  }

  void finish(Usage usage, Buffer into) {
    start(into);
    closeOpen(into);
    String[] status = ResponseObject.status(finishReason);
    ObjectNode response = ResponseObject.response(st, model, status[0], output, usage, status[1], null);
    dialect.keep(st, output, response);
    event(into, status[0].equals("completed") ? "response.completed" : "response.incomplete", Json.object().set("response", response));
  }

  void fail(ApiError error, Buffer into) {
    start(into);
    closeOpen(into);
    ObjectNode e = Json.object().put("code", error.code() == null ? "server_error" : error.code()).put("message", error.message());
    ObjectNode response = ResponseObject.response(st, model, "failed", output, null, null, e);
    event(into, "response.failed", Json.object().set("response", response));
  }

  // ---------------------------------------------------------------- items

  private void start(Buffer into) {
    if (started) return;
    started = true;
    ObjectNode response = ResponseObject.response(st, model, "in_progress", List.of(), null, null, null);
    event(into, "response.created", Json.object().set("response", response));
    event(into, "response.in_progress", Json.object().set("response", response));
  }

  private void text(String piece, Buffer into) {
    if (messageId == null) {
      closeOpen(into);
      messageId = ResponseObject.newId("msg_");
      text = new StringBuilder();
      event(into, "response.output_item.added", outputIndex().set("item", ResponseObject.message(messageId, null, "in_progress")));
      event(into, "response.content_part.added", part().set("part", ResponseObject.textPart("")));
    }
    text.append(piece);
    event(into, "response.output_text.delta", part().put("delta", piece).set("logprobs", Json.MAPPER.createArrayNode()));
  }

  private void toolCall(JsonNode tc, Buffer into) {
    int index = tc.path("index").asInt(0);
    Call call = calls.get(index);
    if (call == null) {
      closeOpen(into);
      call = new Call(output.size());
      call.callId = tc.path("id").asText("");
      call.name = tc.path("function").path("name").asText("");
      calls.put(index, call);
      openCall = call;
      event(into, "response.output_item.added", Json.object().put("output_index", call.outputIndex)
          .set("item", ResponseObject.functionCall(call.id, call.callId, call.name, "", "in_progress")));
    }
    String args = tc.path("function").path("arguments").asText("");
    if (!args.isEmpty()) {
      call.arguments.append(args);
      event(into, "response.function_call_arguments.delta", Json.object().put("item_id", call.id).put("output_index", call.outputIndex)
          .put("delta", args));
    }
  }

  /** Ends the open item (message or function call) with its done events and moves it to the output. */
  private void closeOpen(Buffer into) {
    if (messageId != null) {
      String t = text.toString();
      event(into, "response.output_text.done", part().put("text", t).set("logprobs", Json.MAPPER.createArrayNode()));
      event(into, "response.content_part.done", part().set("part", ResponseObject.textPart(t)));
      ObjectNode item = ResponseObject.message(messageId, t, "completed");
      event(into, "response.output_item.done", outputIndex().set("item", item));
      output.add(item);
      messageId = null;
      text = null;
    }
    if (openCall != null) {
      Call c = openCall;
      String args = c.arguments.toString();
      event(into, "response.function_call_arguments.done", Json.object().put("item_id", c.id).put("output_index", c.outputIndex)
          .put("name", c.name).put("arguments", args));
      ObjectNode item = ResponseObject.functionCall(c.id, c.callId, c.name, args, "completed");
      event(into, "response.output_item.done", Json.object().put("output_index", c.outputIndex).set("item", item));
      output.add(item);
      openCall = null;
    }
  }

  private ObjectNode outputIndex() {
    return Json.object().put("output_index", output.size());
  }

  private ObjectNode part() {
    return Json.object().put("item_id", messageId).put("output_index", output.size()).put("content_index", 0);
  }

  private void event(Buffer into, String type, ObjectNode data) {
    ObjectNode e = Json.object().put("type", type);
    e.setAll(data);
    e.put("sequence_number", sequence++);
    into.appendString("event: ").appendString(type).appendString("\ndata: ").appendBuffer(Buffer.buffer(Json.writeBytes(e)))
        .appendString("\n\n");
  }
}
