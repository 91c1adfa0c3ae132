package dev.switchboard.governance.spend;

import dev.switchboard.governance.Budget;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * A ledger row: what one finished request cost (successfully or not), or the sum of several requests of the same key,
 * team, model and UTC day (the gateway writes sums, see the router's SpendWriter).
 *
 * @param requestId the row's id: a request id, or an id the writer made for a sum; recording the same id twice is
 *     rejected by the store
 * @param keyId the public id of the key that made the request
 * @param teamId the key's team, or {@code null}
 * @param model the model that served it
 * @param costUsd what it cost
 * @param promptTokens prompt tokens billed
 * @param completionTokens completion tokens billed
 * @param at when it was settled (for a sum, when its last request was)
 * @param requests how many requests the row sums, at least 1
 */
public record SpendRecord(
    String requestId,
    String keyId,
    String teamId,
    String model,
    BigDecimal costUsd,
    long promptTokens,
    long completionTokens,
    Instant at,
    long requests) {

  /** One request's row. */
  public SpendRecord(String requestId, String keyId, String teamId, String model, BigDecimal costUsd, long promptTokens,
      long completionTokens, Instant at) {
    this(requestId, keyId, teamId, model, costUsd, promptTokens, completionTokens, at, 1);
  }

  public SpendRecord {
    if (requests < 1) throw new IllegalArgumentException("requests must be at least 1: " + requests);
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(at, "at");
    costUsd = costUsd.setScale(Budget.USD_SCALE, RoundingMode.HALF_UP);
  }
}
