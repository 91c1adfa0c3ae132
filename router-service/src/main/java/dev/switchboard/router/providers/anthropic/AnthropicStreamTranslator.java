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
import java.util.List;
import java.util.Map;

/**
 * Anthropic's event sequence (message_start, content_block_start/delta/stop, message_delta,
 * message_stop, ping, error) -> OpenAI chunks. OpenAI tool-call indexes count tool calls, while
 * Anthropic's indexes count all content blocks: the map between them is kept here.
 */
final class AnthropicStreamTranslator implements StreamTranslator {
  private ChatChunks chunks = new ChatChunks(ChatCompletions.newId(), ChatCompletions.nowSeconds(), "");
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private boolean finished;
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
          return List.of(chunks.toolCallStart(toolIndex, block.id(), block.name(), ""));
        }
        if (block != null && "text".equals(block.type()) && block.text() != null && !block.text().isEmpty()) {
          return List.of(chunks.content(block.text()));
        }
        return List.of();
      }
      case "content_block_delta" -> {
        AnthropicDelta d = e.delta();
        if (d == null || d.type() == null) return List.of();
        if (d.type().equals("text_delta") && d.text() != null && !d.text().isEmpty()) {
          return List.of(chunks.content(d.text()));
        }
        if (d.type().equals("input_json_delta") && d.partialJson() != null && !d.partialJson().isEmpty()) {
          Integer toolIndex = toolIndexByBlock.get(e.index());
          if (toolIndex == null) throw BadRequests.invalidResponse("Anthropic input_json_delta for unknown block " + e.index());
          return List.of(chunks.toolCallArguments(toolIndex, d.partialJson()));
        }
        return List.of(); // thinking_delta, signature_delta, citations: no OpenAI counterpart
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
        return reason == null ? List.of() : List.of(chunks.finish(reason));
      }
      case "message_stop" -> {
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
        return List.of(); // ping, content_block_stop, and event types added after this was written
      }
    }
  }

  @Override
  public boolean finished() {
    return finished;
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
