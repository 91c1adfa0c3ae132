package dev.switchboard.eval.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.kafka.EmbeddedKafka;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.requestlog.KafkaRequestLog;
import dev.switchboard.router.requestlog.RequestLogConfig;
import dev.switchboard.router.requestlog.RequestLogRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a replay test starts once: a real broker and an OpenAI-compatible upstream where "good" knows
 * the capital of France, "bad" does not, "judge" gives 10/10 and any other model fails. Shared by the
 * replay engine's tests and the {@code replay} command's.
 */
public final class ReplayFixture implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public final EmbeddedKafka kafka;
  public final FakeOpenAiUpstream upstream;

  private ReplayFixture(EmbeddedKafka kafka, FakeOpenAiUpstream upstream) {
    this.kafka = kafka;
    this.upstream = upstream;
  }

  public static ReplayFixture start(Path dir) throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    FakeOpenAiUpstream upstream = new FakeOpenAiUpstream(m -> switch (m) {
      case "good", "judge" -> m.equals("judge") ? "Score: 10" : "Paris.";
      case "bad" -> "London";
      default -> null;
    });
    return new ReplayFixture(kafka, upstream);
  }

  /** Writes {@code n} records to {@code topic} through the real request log: ids q-0..q-(n-1), reference "Paris". */
  public void log(String topic, int n, Path spoolDir) {
    RequestLogConfig cfg = RequestLogConfig.defaults(kafka.connection(), spoolDir.resolve("spool-" + topic))
        .withTopic(topic).withCapture(CaptureMode.FULL);
    try (KafkaRequestLog log = new KafkaRequestLog(cfg)) {
      for (int i = 0; i < n; i++) {
        JsonNode messages = JSON.createArrayNode()
            .add(JSON.createObjectNode().put("role", "system").put("content", "Be brief."))
            .add(JSON.createObjectNode().put("role", "user").put("content", "Capital of France? #" + i));
        log.append(new RequestLogRecord(1, "q-" + i, Instant.now().toString(), "default", "auto", "good", List.of(),
            0.3, "v1", null, messages, "Paris", new RequestLogRecord.Tokens(10, 2), 0.0, null, 200, List.of(), 0,
            null, "geo", Map.of("reference", "Paris")));
      }
    }
  }

  @Override
  public void close() {
    upstream.close();
    kafka.close();
  }
}
