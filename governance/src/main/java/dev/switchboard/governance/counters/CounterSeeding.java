package dev.switchboard.governance.counters;

import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.Team;
import dev.switchboard.governance.spend.SpendGroupBy;
import dev.switchboard.governance.spend.SpendLedger;
import dev.switchboard.governance.spend.SpendTotal;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds the budget counters from the spend ledger when a gateway process starts, so a restart does not
 * hand every key a fresh budget. Counters another process is already keeping are left alone.
 */
public final class CounterSeeding {

  private CounterSeeding() {}

  /**
   * Reads each period's settled spend per key and per team from the ledger (blocking: call from a worker
   * thread), then seeds a counter for every key and team that has a budget.
   *
   * @param counters the live counters
   * @param ledger the settled spend
   * @param keys every key (revoked ones can be left out)
   * @param teams every team
   * @param now the current time
   * @return completes when every counter is seeded; the value is how many this call set
   */
  public static Future<Integer> seed(LiveCounters counters, SpendLedger ledger, List<KeyRecord> keys,
      List<Team> teams, Instant now) {
    Map<BudgetPeriod, Map<String, BigDecimal>> byKey = new EnumMap<>(BudgetPeriod.class);
    Map<BudgetPeriod, Map<String, BigDecimal>> byTeam = new EnumMap<>(BudgetPeriod.class);
    List<Future<Boolean>> seeded = new ArrayList<>();
    for (KeyRecord key : keys) {
      Budget b = key.settings().budget();
      if (b != null) {
        BigDecimal spent = totals(byKey, ledger, SpendGroupBy.KEY, b.period(), now).getOrDefault(key.id(), BigDecimal.ZERO);
        seeded.add(counters.seed(Scope.KEY, key.id(), b.period(), spent, now));
      }
    }
    for (Team team : teams) {
      Budget b = team.settings().budget();
      if (b != null) {
        BigDecimal spent = totals(byTeam, ledger, SpendGroupBy.TEAM, b.period(), now).getOrDefault(team.id(), BigDecimal.ZERO);
        seeded.add(counters.seed(Scope.TEAM, team.id(), b.period(), spent, now));
      }
    }
    return Future.all(seeded).map(all -> (int) seeded.stream().filter(f -> f.result()).count());
  }

  private static Map<String, BigDecimal> totals(Map<BudgetPeriod, Map<String, BigDecimal>> cache, SpendLedger ledger,
      SpendGroupBy groupBy, BudgetPeriod period, Instant now) {
    return cache.computeIfAbsent(period, p -> {
      Map<String, BigDecimal> out = new HashMap<>();
      // Up to the period's end rather than now: spend settled by a peer a moment ago still counts.
      Instant to = p.end(now) == null ? Instant.parse("9999-12-31T00:00:00Z") : p.end(now);
      for (SpendTotal t : ledger.spend(groupBy, p.start(now), to)) {
        if (t.group() != null) {
          out.put(t.group(), t.costUsd());
        }
      }
      return out;
    });
  }
}
