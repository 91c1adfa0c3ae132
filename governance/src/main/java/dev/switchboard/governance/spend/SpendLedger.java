package dev.switchboard.governance.spend;

import java.time.Instant;
import java.util.List;

/** The durable record of settled spend. Blocking JDBC: call it from a worker thread, never an event loop. */
public interface SpendLedger {

  /**
   * Records one settled request.
   *
   * @param record what it cost
   * @throws IllegalStateException if a record with the same request id exists
   */
  void record(SpendRecord record);

  /**
   * Totals the spend settled in {@code [from, to)}.
   *
   * @param groupBy how to group
   * @param from earliest settle time, inclusive
   * @param to latest settle time, exclusive
   * @return one total per group, ordered by group
   */
  List<SpendTotal> spend(SpendGroupBy groupBy, Instant from, Instant to);
}
