package dev.switchboard.governance.spend;

import java.math.BigDecimal;

/**
 * One group of {@link SpendLedger#spend}.
 *
 * @param group the key id, team id, model or {@code yyyy-MM-dd} day; {@code null} for "no team"
 * @param costUsd summed cost
 * @param promptTokens summed prompt tokens
 * @param completionTokens summed completion tokens
 * @param requests how many requests
 */
public record SpendTotal(String group, BigDecimal costUsd, long promptTokens, long completionTokens, long requests) {}
