package dev.switchboard.router.accesslog;

import dev.switchboard.router.api.Decimals;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.chat.ParsedChat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design
 * ------
 * The line is built on the request's event loop and handed to the logging backend; the shipped Logback config writes
 * the logger through an AsyncAppender that never blocks (a full queue drops lines rather than stall requests). The
 * fields are SLF4J key-value pairs, so the text format prints them as key=value and the JSON format as its key-value
 * list, from one call. The caller's key appears only as its id (ex.keyId); the secret never reaches this class.
 */
/**
 * One access-log line per chat request on the logger {@value #LOGGER} (issue #17): request id, key id, route, model,
 * deployment, status, latency, gateway overhead, tokens, cost, cache and fallback. On unless {@code server.access_log:
 * false}; the logger's level turns it off as well.
 */
public final class AccessLog implements ExchangeObserver {
  /** The logger's name: configure it (level, appender) under this name. */
  public static final String LOGGER = "switchboard.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final String NONE = "-";

  @Override
  public void completed(ParsedChat chat, ChatExchange ex, String responseText) {
    if (!LOG.isInfoEnabled()) return;
    long now = System.nanoTime();
    LOG.atInfo()
        .addKeyValue("request_id", ex.requestId)
        .addKeyValue("key_id", or(ex.keyId))
        .addKeyValue("route", or(ex.route))
        .addKeyValue("model", chat == null ? NONE : or(chat.request().model()))
        .addKeyValue("deployment", ex.answered == null ? NONE : ex.answered.name())
        .addKeyValue("status", ex.status)
        .addKeyValue("latency_ms", Decimals.fixed((now - ex.startNanos) / 1e6, 3))
        .addKeyValue("overhead_ms", Decimals.fixed(ex.overheadNanos(now) / 1e6, 3))
        .addKeyValue("input_tokens", ex.usage.promptTokens())
        .addKeyValue("output_tokens", ex.usage.completionTokens())
        .addKeyValue("cost_usd", Decimals.fixed(ex.costUsd(), 8))
        .addKeyValue("cache", or(ex.cacheOutcome))
        .addKeyValue("fallback", or(ex.fallbackReason))
        .log("chat request");
  }

  @Override
  public boolean needsResponseText() {
    return false;
  }

  private static String or(String s) {
    return s == null ? NONE : s;
  }
}
