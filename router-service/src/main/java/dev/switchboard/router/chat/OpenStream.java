package dev.switchboard.router.chat;

import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.sse.SseParser;
import dev.switchboard.router.upstream.UpstreamClient.Exchange;
import java.util.List;

/**
 * An upstream stream that has produced its first chunk(s): from here on the gateway is
 * committed to this deployment (the client will have seen bytes), so no more fallback.
 *
 * @param firstChunks chunks translated before the client response was committed
 */
record OpenStream(Deployment deployment, Exchange exchange, SseParser parser, StreamTranslator translator,
    List<String> firstChunks) {}
