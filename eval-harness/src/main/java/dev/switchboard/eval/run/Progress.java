package dev.switchboard.eval.run;

import java.io.PrintWriter;

/**
 * A one-line text progress bar on stderr, redrawn in place with carriage returns; at most one redraw
 * per percent so a long run does not flood a log file.
 */
public final class Progress {
  private final PrintWriter err;
  private final String label;
  private final long total;
  private int lastPercent = -1;

  public Progress(PrintWriter err, String label, long total) {
    this.err = err;
    this.label = label;
    this.total = Math.max(1, total);
  }

  /** A progress bar that prints nothing. */
  public static Progress silent() {
    return new Progress(null, "", 1);
  }

  public void update(long done) {
    if (err == null) {
      return;
    }
    int pct = (int) Math.min(100, done * 100 / total);
    if (pct == lastPercent) {
      return;
    }
    lastPercent = pct;
    int filled = pct * 30 / 100;
    err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + pct + "% (" + done + "/" + total + ")");
    if (done >= total) {
      err.println();
    }
    err.flush();
  }
}
