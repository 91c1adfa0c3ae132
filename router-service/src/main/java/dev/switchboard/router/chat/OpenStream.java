package dev.switchboard.router.chat;

import dev.switchboard.router.config.Deployment;
import dev.switchboard.router.providers.contract.SseEvent;
import dev.switchboard.router.providers.contract.StreamTranslator;
import dev.switchboard.router.providers.sse.SseParser;
import dev.switchboard.router.upstream.UpstreamClient.Exchange;
import java.util.List;

/**
 * An upstream stream that has produced its first output (or its end): from here on the gateway is
 * committed to this deployment (the client will see bytes), so no more fallback.
 *
 * @param firstChunks chunks translated before the client response was committed
 * @param rest events already parsed from the upstream but not yet translated: those after the one
 *     that committed, from the same read
 * @param ended the upstream body already ended: after {@code rest}, the pump runs the end step
 */
record OpenStream(Deployment deployment, Exchange exchange, SseParser parser, StreamTranslator translator,
    List<String> firstChunks, List<SseEvent> rest, boolean ended) {}
