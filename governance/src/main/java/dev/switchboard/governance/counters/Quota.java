package dev.switchboard.governance.counters;

import java.time.Duration;

/**
 * One limit as the client sees it, for OpenAI's {@code x-ratelimit-limit-*}, {@code x-ratelimit-remaining-*}
 * and {@code x-ratelimit-reset-*} headers.
 *
 * @param limit the configured limit per minute
 * @param remaining how much of it is left now (after this request, if it was admitted)
 * @param resetAfter how long until the window has drained back to the full limit if nothing else arrives
 */
public record Quota(long limit, long remaining, Duration resetAfter) {}
