package dev.switchboard.router.requestlog;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Server-generated record ids: what reconciliation matches a spooled record against the topic by.
 * The client's {@code x-request-id} cannot serve: a client that reuses request ids would have its
 * spooled records taken for ones Kafka already holds and dropped after a crash during a drain.
 *
 * <p>An id is 32 lower-case hex digits laid out like a UUIDv7 (48 bits of milliseconds, then 80
 * random bits from a {@link SecureRandom}), so ids sort roughly by time and cannot be guessed by a
 * client. It travels in the record's JSON ({@code record_id}), in the Kafka header
 * {@value #HEADER} (read by reconciliation without parsing the value) and in the spool.
 */
final class RecordIds {

  static final String HEADER = "switchboard-record-id";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RecordIds() {}

  static String next() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    long ms = System.currentTimeMillis();
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) (ms >>> (40 - 8 * i));
    }
    b[6] = (byte) ((b[6] & 0x0f) | 0x70); // version 7
    b[8] = (byte) ((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[2 * i] = HEX[(b[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[b[i] & 0xf];
    }
    return new String(out);
  }

  /** The record to produce: keyed by the request id (as before), the record id in a header. */
  static ProducerRecord<String, byte[]> producerRecord(String topic, String key, String recordId, byte[] value) {
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
    if (recordId != null) {
      r.headers().add(HEADER, recordId.getBytes(StandardCharsets.UTF_8));
    }
    return r;
  }

  /** @return the record id a produced record carries, or null (written by a version without ids) */
  static String of(Iterable<Header> headers) {
    String id = null;
    for (Header h : headers) {
      if (HEADER.equals(h.key()) && h.value() != null) {
        id = new String(h.value(), StandardCharsets.UTF_8);
      }
    }
    return id;
  }
}
