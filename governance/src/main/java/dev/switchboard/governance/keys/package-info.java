/**
 * Inbound API keys and the teams they belong to. Start at {@link dev.switchboard.governance.keys.KeyRegistry}:
 * it creates keys (the secret is returned once, in {@link dev.switchboard.governance.keys.CreatedKey}, and
 * stored only as a peppered HMAC), changes and revokes them with an audit entry each, and authenticates a
 * presented secret from memory. Persistence is behind {@link dev.switchboard.governance.keys.KeyStore}, which
 * the JDBC store implements.
 */
package dev.switchboard.governance.keys;
