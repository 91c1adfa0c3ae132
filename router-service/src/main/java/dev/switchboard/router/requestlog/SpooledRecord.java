package dev.switchboard.router.requestlog;

/**
 * A record read back from the spool.
 *
 * @param key the Kafka key (request id)
 * @param value the serialised record
 * @param next the spool position just after this record: pass it to {@link DiskSpool#commit}
 */
public record SpooledRecord(String key, byte[] value, DiskSpool.Position next) {}
