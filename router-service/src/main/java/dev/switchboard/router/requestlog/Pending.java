package dev.switchboard.router.requestlog;

/**
 * A serialised record on its way to Kafka.
 *
 * @param seq append order within this log: failed sends are put back in this order before they
 *     reach the spool
 * @param key the Kafka key (request id)
 * @param recordId the server-generated unique id ({@link RecordIds}): what reconciliation matches
 * @param value the record as JSON
 */
record Pending(long seq, String key, String recordId, byte[] value) {}
