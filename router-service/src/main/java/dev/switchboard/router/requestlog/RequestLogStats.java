package dev.switchboard.router.requestlog;

/**
 * A snapshot of the request log's counters (since it was opened, except the spool gauges).
 *
 * @param appended records handed to {@code append}
 * @param delivered records acknowledged by Kafka (directly or from the spool)
 * @param spooled records written to the disk spool
 * @param drainedFromSpool spooled records later acknowledged by Kafka
 * @param spoolDropped records deleted from a full spool ({@code drop-oldest})
 * @param spoolRefused records a full spool refused ({@code refuse-new}): lost
 * @param queueDropped records refused because the in-memory queue was full or the log closed: lost
 * @param rejected records Kafka can never take (e.g. too large) or that failed to serialise: lost
 * @param spoolPending records waiting in the spool now
 * @param spoolBytes bytes of spool segment files now
 * @param spooling true while Kafka is considered unreachable (new records go to the spool)
 */
public record RequestLogStats(
    long appended,
    long delivered,
    long spooled,
    long drainedFromSpool,
    long spoolDropped,
    long spoolRefused,
    long queueDropped,
    long rejected,
    long spoolPending,
    long spoolBytes,
    boolean spooling) {}
