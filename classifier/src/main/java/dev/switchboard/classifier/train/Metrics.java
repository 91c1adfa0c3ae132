package dev.switchboard.classifier.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Evaluation metrics written to model cards. Pure functions. */
public final class Metrics {

  private Metrics() {}

  /** One calibration bin: predictions in [lo, hi). */
  public record Bin(double lo, double hi, double meanPredicted, double observed, int count) {}

  /**
   * ROC AUC of {@code score} against binary {@code label} (label > 0.5 is positive), computed as
   * the Mann-Whitney statistic with average ranks for ties. NaN if one class is absent.
   */
  public static double auc(double[] score, double[] label) {
    int n = score.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble(i -> score[i]));
    double[] rank = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        rank[idx[k]] = avg;
      }
      i = j + 1;
    }
    double pos = 0;
    double rankSum = 0;
    for (int i = 0; i < n; i++) {
      if (label[i] > 0.5) {
        pos++;
        rankSum += rank[i];
      }
    }
    double neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2) / (pos * neg);
  }

  /** Mean squared error between probabilities and outcomes. */
  public static double brier(double[] p, double[] y) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += (p[i] - y[i]) * (p[i] - y[i]);
    }
    return s / p.length;
  }

  public static double mae(double[] p, double[] y) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += Math.abs(p[i] - y[i]);
    }
    return s / p.length;
  }

  public static double rmse(double[] p, double[] y) {
    return Math.sqrt(brier(p, y));
  }

  public static double mean(double[] a) {
    return Arrays.stream(a).average().orElse(Double.NaN);
  }

  /** Ten equal-width bins over [0,1]; empty bins are reported with count 0 and NaN means. */
  public static List<Bin> calibration(double[] p, double[] y, int bins) {
    double[] sp = new double[bins];
    double[] sy = new double[bins];
    int[] n = new int[bins];
    for (int i = 0; i < p.length; i++) {
      int b = Math.min(bins - 1, Math.max(0, (int) Math.floor(p[i] * bins)));
      sp[b] += p[i];
      sy[b] += y[i];
      n[b]++;
    }
    List<Bin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      out.add(new Bin((double) b / bins, (double) (b + 1) / bins,
          n[b] == 0 ? Double.NaN : sp[b] / n[b], n[b] == 0 ? Double.NaN : sy[b] / n[b], n[b]));
    }
    return out;
  }
}
