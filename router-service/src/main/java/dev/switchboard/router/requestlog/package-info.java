/**
 * The request log: every finished request as one JSON record on a Kafka topic, with a disk spool
 * for outages (docs/request-log.md). Start at {@link dev.switchboard.router.requestlog.KafkaRequestLog},
 * whose class comment says which package-private class does which job; {@link
 * dev.switchboard.router.requestlog.RequestLogObserver} feeds it from the gateway and
 * {@link dev.switchboard.router.requestlog.RequestLogRecord} is the record's schema.
 */
package dev.switchboard.router.requestlog;
