package dev.switchboard.classifier.encoder;

import java.util.Arrays;

/**
 * Cuts a token-id sequence (already wrapped in [CLS] ... [SEP]) to at most {@code maxTokens}
 * by keeping its head and its tail. Why both: the start of a prompt states the task, the end
 * usually holds the actual question; a plain right-truncation loses the latter.
 */
public final class HeadTailTruncation {

  private HeadTailTruncation() {}

  /**
   * @param ids token ids including the special tokens at both ends
   * @param maxTokens total budget, special tokens included
   * @return {@code ids} itself when it fits, else the first {@code maxTokens/2} ids followed by
   *     the last {@code maxTokens - maxTokens/2} ids (so [CLS] and [SEP] survive)
   */
  public static long[] apply(long[] ids, int maxTokens) {
    if (maxTokens < 2) {
      throw new IllegalArgumentException("maxTokens must be >= 2, was " + maxTokens);
    }
    if (ids.length <= maxTokens) {
      return ids;
    }
    int head = maxTokens / 2;
    int tail = maxTokens - head;
    long[] out = Arrays.copyOf(ids, maxTokens);
    System.arraycopy(ids, ids.length - tail, out, head, tail);
    return out;
  }

  /** As {@link #apply(long[], int)} for int ids. */
  public static int[] apply(int[] ids, int maxTokens) {
    if (maxTokens < 2) {
      throw new IllegalArgumentException("maxTokens must be >= 2, was " + maxTokens);
    }
    if (ids.length <= maxTokens) {
      return ids;
    }
    int head = maxTokens / 2;
    int[] out = Arrays.copyOf(ids, maxTokens);
    System.arraycopy(ids, ids.length - (maxTokens - head), out, head, maxTokens - head);
    return out;
  }
}
