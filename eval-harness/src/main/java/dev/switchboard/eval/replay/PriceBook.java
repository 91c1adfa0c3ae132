package dev.switchboard.eval.replay;

import dev.switchboard.dataset.ModelPrices;

/** USD cost of one call of a deployment/model. */
@FunctionalInterface
public interface PriceBook {

  double cost(String deployment, long inputTokens, long outputTokens);

  /** Prices from a {@code models.json} file; an unknown model costs 0 (the caller warns). */
  static PriceBook of(ModelPrices prices) {
    return (d, in, out) -> prices.find(d).map(p -> p.cost(in, out)).orElse(0.0);
  }

  static PriceBook free() {
    return (d, in, out) -> 0.0;
  }
}
