package dev.switchboard.router.providers.contract;

/** One server-sent event: {@code event} is null when the stream sent no {@code event:} field. */
public record SseEvent(String event, String data, String id) {}
