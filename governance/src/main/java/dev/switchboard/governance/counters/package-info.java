/**
 * Live counters for the request path: budget reservations and sliding-window rate limits, per key and per
 * team. Start at {@link dev.switchboard.governance.counters.LiveCounters}; pick
 * {@link dev.switchboard.governance.counters.InProcessCounters} for one gateway process and
 * {@link dev.switchboard.governance.counters.RedisCounters} when several share the limits. Seed either from
 * the spend already settled with {@link dev.switchboard.governance.counters.CounterSeeding} before serving.
 */
package dev.switchboard.governance.counters;
