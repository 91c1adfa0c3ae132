package dev.switchboard.router.providers.anthropic;

import dev.switchboard.router.providers.contract.ProviderException;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.providers.contract.Usage;
import dev.switchboard.router.providers.chat.BadRequests;
import dev.switchboard.router.providers.chat.ChatChunks;
import dev.switchboard.router.providers.chat.ChatCompletions;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic's event sequence (message_start, content_block_start/delta/stop, message_delta,
 * message_stop, ping, error) -> OpenAI chunks. OpenAI tool-call indexes count tool calls, while
 * Anthropic's indexes count all content blocks: the map between them is kept here.
 *
 * <p>Only {@code text}, {@code thinking} and {@code tool_use} blocks have OpenAI counterparts.
 * Every other block type ({@code server_tool_use}, {@code mcp_tool_use}, their results,
 * {@code redacted_thinking}, types added later) is skipped with all its deltas: the server ran
 * those tools itself, and a client could not answer them anyway (issue #18, defect 1).
 */
final class AnthropicStreamTranslator implements StreamTranslator {
  private ChatChunks chunks = new ChatChunks(ChatCompletions.newId(), ChatCompletions.nowSeconds(), "");
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  /** Tool blocks whose arguments were sent so far; the rest get "{}" at content_block_stop. */
  private final Set<Integer> blocksWithArguments = new HashSet<>();
  private boolean finished;
  /** Text so far, kept only in JSON mode, to check at the end. */
  private final StringBuilder jsonText;

  AnthropicStreamTranslator(boolean jsonMode) {
    this.jsonText = jsonMode ? new StringBuilder() : null;
  }
  private boolean started;
  private boolean usageReported;
  private long inputTokens;
  private long outputTokens;

  @Override
  public List<String> onEvent(SseEvent event) {
    AnthropicStreamEvent e;
    try {
      e = AnthropicWire.MAPPER.readValue(event.data(), AnthropicStreamEvent.class);
    } catch (IOException ex) {
      throw BadRequests.invalidResponse("Anthropic stream event '" + event.event() + "' is not JSON");
    }
    String type = e.type() != null ? e.type() : event.event() == null ? "" : event.event();
    switch (type) {
      case "message_start" -> {
        AnthropicMessageResponse m = e.message();
        if (m != null) {
          chunks = new ChatChunks(m.id() == null ? chunks.id() : m.id(), chunks.created(), m.model() == null ? "" : m.model());
          if (m.usage() != null) {
            inputTokens = m.usage().totalInput();
            outputTokens = m.usage().outputTokens() == null ? 0 : m.usage().outputTokens();
            usageReported = true;
          }
        }
        return List.of(chunks.role());
      }
      case "content_block_start" -> {
        AnthropicContentBlock block = e.contentBlock();
        if (block != null && "tool_use".equals(block.type())) {
          int toolIndex = toolIndexByBlock.size();
          toolIndexByBlock.put(e.index() == null ? -1 - toolIndex : e.index(), toolIndex);
          return emit(chunks.toolCallStart(toolIndex, block.id(), block.name(), ""));
        }
        if (block != null && "text".equals(block.type()) && block.text() != null && !block.text().isEmpty()) {
          if (jsonText != null) jsonText.append(block.text());
          return emit(chunks.content(block.text()));
        }
        if (block != null && "thinking".equals(block.type()) && block.thinking() != null && !block.thinking().isEmpty()) {
          return emit(chunks.reasoning(block.thinking()));
        }
        return List.of();
      }
      case "content_block_delta" -> {
        AnthropicDelta d = e.delta();
        if (d == null || d.type() == null) return List.of();
        switch (d.type()) {
          case "text_delta" -> {
            if (d.text() == null || d.text().isEmpty()) return List.of();
            if (jsonText != null) jsonText.append(d.text());
            return emit(chunks.content(d.text()));
          }
          case "thinking_delta" -> {
            return d.thinking() == null || d.thinking().isEmpty() ? List.of() : emit(chunks.reasoning(d.thinking()));
          }
          case "input_json_delta" -> {
            Integer toolIndex = toolIndexByBlock.get(e.index());
            // null: the arguments of a server or MCP tool block, which is skipped as a whole
            if (toolIndex == null || d.partialJson() == null || d.partialJson().isEmpty()) return List.of();
            blocksWithArguments.add(e.index());
            return emit(chunks.toolCallArguments(toolIndex, d.partialJson()));
          }
          default -> {
            return List.of(); // signature_delta, citations_delta, and delta types added later
          }
        }
      }
      case "content_block_stop" -> {
        Integer toolIndex = toolIndexByBlock.get(e.index());
        // A call without arguments streams no (or only empty) input_json_delta; OpenAI sends "{}".
        if (toolIndex != null && blocksWithArguments.add(e.index())) return emit(chunks.toolCallArguments(toolIndex, "{}"));
        return List.of();
      }
      case "message_delta" -> {
        if (e.usage() != null) {
          // message_delta usage is cumulative; newer API versions repeat input counts there too.
          if (e.usage().outputTokens() != null) outputTokens = e.usage().outputTokens();
          if (e.usage().inputTokens() != null || e.usage().cacheReadInputTokens() != null
              || e.usage().cacheCreationInputTokens() != null) {
            inputTokens = Math.max(inputTokens, e.usage().totalInput());
          }
          usageReported = true;
        }
        String reason = e.delta() == null ? null : AnthropicResponseMapper.finishReason(e.delta().stopReason());
        if (reason == null) return List.of();
        if ("stop_sequence".equals(e.delta().stopReason()) && e.delta().stopSequence() != null) {
          return emit(chunks.finishOnStopSequence(e.delta().stopSequence()));
        }
        return emit(chunks.finish(reason));
      }
      case "message_stop" -> {
        // The client has the text already: a non-JSON answer can only end the stream as an error.
        if (jsonText != null && toolIndexByBlock.isEmpty()) AnthropicJsonMode.validated(jsonText.toString());
        finished = true;
        return List.of();
      }
      case "error" -> {
        AnthropicError err = e.error() == null ? new AnthropicError("api_error", "Anthropic stream error") : e.error();
        int status = AnthropicResponseMapper.statusOf(err.type());
        throw new ProviderException(new UpstreamError(AnthropicResponseMapper.kindOf(err, status), status,
            err.message() == null ? err.type() : err.message()));
      }
      default -> {
        return List.of(); // ping, and event types added after this was written
      }
    }
  }

  @Override
  public boolean finished() {
    return finished;
  }

  @Override
  public boolean started() {
    return started;
  }

  private List<String> emit(String chunk) {
    started = true;
    return List.of(chunk);
  }

  @Override
  public String usageChunk() {
    return usageReported ? chunks.usage(usage()) : null;
  }

  @Override
  public Usage usage() {
    return new Usage(inputTokens, outputTokens);
  }
}
