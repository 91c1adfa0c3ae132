package dev.switchboard.eval.replay;

/**
 * The hard spend cap: work starts only after reserving an upper-bound estimate of its cost, and a
 * reservation is refused when actual spend + open reservations + the new one would pass the cap.
 * Thread-safe.
 */
final class SpendTracker {

  private final double capUsd;
  private final Grader grader;
  private double candidateSpent;
  private double reserved;

  /** @param capUsd the cap ({@code Double.POSITIVE_INFINITY} for none) */
  public SpendTracker(double capUsd, Grader grader) {
    this.capUsd = capUsd;
    this.grader = grader;
  }

  public synchronized boolean tryReserve(double usd) {
    if (spent() + reserved + usd > capUsd) {
      return false;
    }
    reserved += usd;
    return true;
  }

  public synchronized void release(double usd) {
    reserved = Math.max(0, reserved - usd);
  }

  public synchronized void addCandidateSpend(double usd) {
    candidateSpent += usd;
  }

  /** Actual spend: candidate calls plus the grader's own calls. */
  public synchronized double spent() {
    return candidateSpent + grader.spentUsd();
  }

  public double cap() {
    return capUsd;
  }
}
