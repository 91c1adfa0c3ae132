package dev.switchboard.router.requestlog;

/**
 * A record read back from the spool.
 *
 * @param key the Kafka key (request id)
 * @param recordId the server-generated record id, or null for a record spooled by a version
 *     without record ids (reconciliation then falls back to the key)
 * @param value the serialised record
 * @param next the spool position just after this record: pass it to {@link DiskSpool#commit}
 */
public record SpooledRecord(String key, String recordId, byte[] value, DiskSpool.Position next) {}
