package dev.switchboard.router.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.config.GatewaySnapshot;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.contract.Usage;
import io.vertx.core.Future;
import java.util.List;

/**
 * What the chat pipeline asks of a response cache. Declared here and implemented by {@code router.cache}, which
 * reads the pipeline's exchange and request: the cache depends on the pipeline, never the other way round.
 */
public interface AnswerCache {

  /** Whether the cache is on for this request (its route's or key's mode); when not, nothing is looked up. */
  boolean appliesTo(GatewaySnapshot snap, ParsedChat chat, ChatExchange ex);

  /** The cached answer for this request, or null (a miss, a bypass, or a failed lookup); records the outcome on {@code ex}. */
  Future<Hit> find(GatewaySnapshot snap, ParsedChat chat, ChatExchange ex, String cacheControl);

  /** Stores the chat completion that answered a miss (no-op for other requests). */
  void store(ChatExchange ex, byte[] completion, Usage usage, double costUsd);

  /** A recorder for a streamed miss that will be stored, or null when this stream is not to be stored. */
  StreamRecorder recorder(ChatExchange ex);

  /** The chat chunks of a cached completion (no usage chunk) and a finished stand-in for its upstream. */
  List<String> chunks(JsonNode completion);

  StreamTranslator replayed(JsonNode completion, Usage usage);

  /** A cached chat completion as it was stored. */
  record Hit(byte[] completion, long promptTokens, long completionTokens, String deployment) {}

  /** Rebuilds a streamed answer's chat completion from its chunks. */
  interface StreamRecorder {
    void chunk(String chunkJson);

    /** The completion, or null when the stream cannot be stored (several choices, tool calls). */
    ObjectNode completion(Usage usage);
  }
}
