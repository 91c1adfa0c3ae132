package dev.switchboard.classifier.learn;

import java.math.BigDecimal;

/** Numbers in member names: shortest plain form ({@code 0.01}, {@code 30}). */
final class Fmt {
  private Fmt() {}

  static String num(double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
