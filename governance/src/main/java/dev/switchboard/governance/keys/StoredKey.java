package dev.switchboard.governance.keys;

/**
 * A key with the hash of its secret, as the store holds it. Only {@link KeyStore} and the registry's
 * in-memory index see this; the hash is useless without the server's pepper, but still not for logs.
 *
 * @param key the key
 * @param secretHash hex HMAC-SHA256 of the secret under the pepper
 */
public record StoredKey(KeyRecord key, String secretHash) {

  @Override
  public String toString() {
    return "StoredKey[key=" + key + ", secretHash=<hidden>]";
  }
}
