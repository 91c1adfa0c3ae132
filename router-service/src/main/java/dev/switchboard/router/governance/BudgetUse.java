package dev.switchboard.router.governance;

/**
 * How much of one budget is used this period.
 *
 * @param scope {@code key} or {@code team}
 * @param id the key's or team's public id
 * @param name its display name
 * @param period the budget period ({@code day}, {@code month}, ...)
 * @param spentUsd spent plus reserved this period
 * @param limitUsd the budget
 */
public record BudgetUse(String scope, String id, String name, String period, double spentUsd, double limitUsd) {}
