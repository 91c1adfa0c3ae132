package dev.switchboard.governance.counters;

import java.math.BigDecimal;

/** What {@link LiveCounters#reserve} decided: {@link Reserved} or {@link Refused}. */
public sealed interface BudgetDecision {

  /** @return whether the request may go ahead */
  boolean allowed();

  /**
   * Both budgets had room; the amount is now held on both.
   *
   * @param reservation the handle to settle when the request finishes
   */
  record Reserved(Reservation reservation) implements BudgetDecision {
    @Override
    public boolean allowed() {
      return true;
    }
  }

  /**
   * A budget had no room; nothing was held on either.
   *
   * @param scope whose budget refused (the key's is checked first)
   * @param remainingUsd what is left of that budget this period (never negative)
   */
  record Refused(Scope scope, BigDecimal remainingUsd) implements BudgetDecision {
    @Override
    public boolean allowed() {
      return false;
    }
  }
}
