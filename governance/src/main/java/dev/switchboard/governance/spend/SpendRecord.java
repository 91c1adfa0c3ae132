package dev.switchboard.governance.spend;

import dev.switchboard.governance.Budget;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * What one request cost once it finished (successfully or not).
 *
 * @param requestId the gateway's request id; recording the same id twice is rejected by the store
 * @param keyId the public id of the key that made the request
 * @param teamId the key's team, or {@code null}
 * @param model the model that served it
 * @param costUsd what it cost
 * @param promptTokens prompt tokens billed
 * @param completionTokens completion tokens billed
 * @param at when it was settled
 */
public record SpendRecord(
    String requestId,
    String keyId,
    String teamId,
    String model,
    BigDecimal costUsd,
    long promptTokens,
    long completionTokens,
    Instant at) {

  public SpendRecord {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(at, "at");
    costUsd = costUsd.setScale(Budget.USD_SCALE, RoundingMode.HALF_UP);
  }
}
