package dev.switchboard.router.governance;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.counters.LiveCounters;
import dev.switchboard.governance.counters.Scope;
import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.KeyStatus;
import dev.switchboard.governance.keys.Team;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads the live budget counters of every enabled key and team that has a budget (at most {@link #MAX_ROWS}, fullest
 * first), for the dashboard. Never opens the governance store: a gateway nobody administers has no budgets to show.
 */
public final class BudgetUseReader {
  static final int MAX_ROWS = 30;

  private final Governance governance;
  private final Clock clock;
  private volatile List<BudgetUse> latest = List.of();

  public BudgetUseReader(Governance governance, Clock clock) {
    this.governance = governance;
    this.clock = clock;
  }

  /** The last completed reading. */
  public List<BudgetUse> latest() {
    return latest;
  }

  /** Starts a new reading; {@link #latest} changes when it completes. */
  public Future<List<BudgetUse>> refresh() {
    Governance.Ready ready = governance.readyOrNull();
    if (ready == null) return Future.succeededFuture(latest);
    Instant now = clock.instant();
    LiveCounters counters = ready.counters();
    List<Future<BudgetUse>> reads = new ArrayList<>();
    for (KeyRecord k : ready.registry().keys()) {
      Budget b = k.settings().budget();
      if (b != null && k.status() == KeyStatus.ENABLED) reads.add(read(counters, Scope.KEY, k.id(), k.settings().name(), b, now));
    }
    for (Team t : ready.registry().teams()) {
      Budget b = t.settings().budget();
      if (b != null) reads.add(read(counters, Scope.TEAM, t.id(), t.settings().name(), b, now));
    }
    return Future.all(reads).map(all -> {
      List<BudgetUse> rows = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) rows.add(all.resultAt(i));
      rows.sort(Comparator.comparingDouble((BudgetUse u) -> u.limitUsd() > 0 ? u.spentUsd() / u.limitUsd() : 0).reversed());
      latest = List.copyOf(rows.subList(0, Math.min(MAX_ROWS, rows.size())));
      return latest;
    });
  }

  private static Future<BudgetUse> read(LiveCounters counters, Scope scope, String id, String name, Budget b, Instant now) {
    return counters.spent(scope, id, b.period(), now).map(spent -> new BudgetUse(scope.name().toLowerCase(Locale.ROOT), id, name,
        b.period().name().toLowerCase(Locale.ROOT), spent.doubleValue(), b.limitUsd().doubleValue()));
  }
}
