package dev.switchboard.governance.keys;

/**
 * A newly created key and its secret. This is the only time the secret exists outside the caller's
 * request: show it to the user once and drop it. {@code toString} hides it.
 *
 * @param key the stored key
 * @param secret the secret to hand to the user ({@code sk-sb-…})
 */
public record CreatedKey(KeyRecord key, String secret) {

  @Override
  public String toString() {
    return "CreatedKey[key=" + key + ", secret=<hidden>]";
  }
}
