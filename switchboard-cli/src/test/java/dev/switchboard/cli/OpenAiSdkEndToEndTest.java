package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.dataset.parquet.ParquetRecordedAnswers;
import dev.switchboard.dataset.recorded.AnswerRow;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK, unmodified, against {@code switchboard serve}'s embedded
 * defaults: the recorded upstream answers with a model's real recorded response.
 */
class OpenAiSdkEndToEndTest {
  @TempDir static Path dataDir;
  private static SwitchboardServer server;
  private static OpenAIClient client;
  private static AnswerRow recorded;

  @BeforeAll
  static void start() throws Exception {
    Path home = SwitchboardHome.find();
    server = SwitchboardServer.start(ServerOptions.embedded(home, dataDir));
    client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("not-needed").maxRetries(0).build();
    List<AnswerRow> rows = ParquetRecordedAnswers.readRows(home.resolve("datasets/recorded/answers.parquet"));
    recorded = rows.stream().filter(r -> r.model().equals("gpt-4-1106-preview") && r.response().length() > 200).findFirst().orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  private static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(recorded.prompt());
  }

  @Test
  void nonStreamingReturnsTheRecordedAnswer() {
    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params("gpt-4-1106-preview").build());
    ChatCompletion c = raw.parse();
    assertEquals(recorded.response(), c.choices().get(0).message().content().orElseThrow());
    assertEquals("gpt-4-1106-preview", raw.headers().values("x-switchboard-deployment").get(0));
    assertEquals("1", raw.headers().values("x-switchboard-attempts").get(0));
    assertTrue(c.usage().orElseThrow().completionTokens() > 0);
  }

  @Test
  void streamingReassemblesToTheRecordedAnswerWithUsage() {
    StringBuilder text = new StringBuilder();
    long[] usage = {-1};
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        params("gpt-4-1106-preview").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(chunk -> {
        chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
        chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
      });
    }
    assertEquals(recorded.response(), text.toString());
    assertTrue(usage[0] > 0, "usage chunk received");
  }

  @Test
  void everyRequestIsLoggedToTheEmbeddedKafkaBroker() throws Exception {
    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params("gpt-3.5-turbo-0613").build());
    String requestId = raw.headers().values("x-request-id").get(0);
    Properties p = new Properties();
    p.putAll(server.kafkaConnection().asMap());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + System.nanoTime());
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of("switchboard.requests"));
      long end = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < end) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          if (!r.key().equals(requestId)) continue;
          JsonNode j = new ObjectMapper().readTree(r.value());
          assertEquals(1, j.path("schema_version").asInt());
          assertEquals("gpt-3.5-turbo-0613", j.path("deployment").asText());
          assertEquals(200, j.path("status").asInt());
          assertEquals(recorded.prompt(), j.at("/messages/0/content").asText());
          assertTrue(j.path("cost_usd").asDouble() > 0, r.value());
          assertTrue(j.at("/latency/total_ms").asDouble() > 0, r.value());
          return;
        }
      }
    }
    throw new AssertionError("request " + requestId + " never reached the request log topic");
  }

  @Test
  void anUnknownModelIsA404TheSdkUnderstands() {
    NotFoundException e = assertThrows(NotFoundException.class, () -> client.chat().completions().create(params("gpt-17").build()));
    assertEquals(404, e.statusCode());
    assertTrue(e.getMessage().contains("gpt-17"), e.getMessage());
  }
}
