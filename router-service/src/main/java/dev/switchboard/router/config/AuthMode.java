package dev.switchboard.router.config;

/** {@code server.auth}: whether the OpenAI-compatible API ({@code /v1/*}) needs a key. */
public enum AuthMode {
  /** Anyone who can reach the port may call it (loopback only, unless {@code insecure_no_auth}). */
  OFF,
  /** Every {@code /v1/*} call needs a key from the governance store. */
  REQUIRED;

  /** @return {@code off} or {@code required} */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** @throws IllegalArgumentException for anything but {@code off} or {@code required} */
  public static AuthMode parse(String s) {
    for (AuthMode m : values()) if (m.wireName().equals(s)) return m;
    throw new IllegalArgumentException("must be off or required, got '" + s + "'");
  }
}
