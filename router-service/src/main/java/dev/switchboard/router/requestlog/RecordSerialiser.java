package dev.switchboard.router.requestlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.classifier.base.Jackson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns queued records into what is sent: capture mode applied, JSON, cut to fit the producer's
 * limit, numbered in append order. Sender thread only.
 */
final class RecordSerialiser {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLog.class);
  /** Room left in a request for the batch's framing around one record. */
  private static final int FRAMING_BYTES = 64 << 10;

  private final ObjectMapper json = Jackson.JSON;
  private final CaptureMode capture;
  private final RequestLogCounters counters;
  /** The largest record value sent: the producer's max.request.size less room for the batch's framing. */
  private final int maxRecordBytes;
  private long seq;

  RecordSerialiser(RequestLogConfig config, RequestLogCounters counters) {
    this.capture = config.capture();
    this.counters = counters;
    this.maxRecordBytes = Integer.parseInt(config.producerOverrides().getOrDefault("max.request.size", "1048576"))
        - FRAMING_BYTES;
  }

  /**
   * @param batch records in append order
   * @return the records that serialised, in the same order; the others are counted as rejected
   */
  List<Pending> serialise(List<RequestLogRecord> batch) {
    List<Pending> out = new ArrayList<>(batch.size());
    for (RequestLogRecord r : batch) {
      try {
        // The id reconciliation goes by: unique whatever request ids the client reuses.
        String recordId = r.recordId() != null ? r.recordId() : RecordIds.next();
        RequestLogRecord captured = r.withRecordId(recordId).withCapture(capture);
        byte[] value = json.writeValueAsBytes(captured);
        if (value.length > maxRecordBytes) {
          value = fitted(captured, value.length);
        }
        out.add(new Pending(seq++, r.requestId(), recordId, value));
      } catch (Exception e) {
        counters.rejected.incrementAndGet();
        LOG.warn("request log: cannot serialise record {}: {}", r.requestId(), e.getMessage());
      }
    }
    return out;
  }

  /**
   * A record over the producer's limit, its texts cut until it fits: Kafka refuses such a record
   * for good (1 MiB by default, while bodies may be 4 MiB), and an answered request must not go
   * unlogged. Each halving of the per-text budget is one more serialisation; a few at most.
   */
  private byte[] fitted(RequestLogRecord r, long originalBytes) throws IOException {
    int budget = maxRecordBytes / 2;
    byte[] value;
    do {
      value = json.writeValueAsBytes(r.truncated(budget, originalBytes));
      budget /= 2;
    } while (value.length > maxRecordBytes && budget >= 64);
    counters.truncated.incrementAndGet();
    LOG.debug("request log: record {} cut from {} to {} bytes to fit the producer's limit", r.requestId(),
        originalBytes, value.length);
    return value;
  }
}
