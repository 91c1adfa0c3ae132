package dev.switchboard.router.evaldriven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.testkit.ShippedAutoRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/messages} with {@code model: auto}: the Anthropic SDK's request is scored by the shipped classifier
 * and routed by the shipped policy exactly as the same prompt sent as a chat completion ({@code /v1/route} gives the
 * chat pipeline's decision): same model, same difficulty, with the eval-driven decision headers on the answer.
 */
class MessagesAutoRouteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PROMPTS = List.of(
      "What is 2 + 2?",
      "Say hello in French.",
      "Prove that there are infinitely many prime numbers, then generalise the argument to primes of the form 4k+3.",
      "Write a Python function that merges overlapping intervals and analyse its time complexity.",
      "Explain the difference between TCP and UDP to a ten-year-old.");
  @TempDir static Path dir;
  private static SwitchboardServer server;
  private static AnthropicClient client;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    Path home = SwitchboardHome.find();
    Path policy = dir.resolve("auto.yaml");
    Files.writeString(policy, Files.readString(home.resolve("policies/default.yaml")));
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, ShippedAutoRoute.yaml(home, policy, 20_000, ""));
    server = SwitchboardServer.start(new ServerOptions(config, "127.0.0.1", 0, false, home, dir.resolve("data"), false, null, 0,
        "t", dev.switchboard.router.requestlog.CaptureMode.NONE));
    client = AnthropicOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("unused").maxRetries(0).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void auto_messagesAreRoutedAsTheSameChatRequestWouldBe() throws Exception {
    Set<String> chosen = new HashSet<>();
    for (String prompt : PROMPTS) {
      HttpResponseFor<Message> raw = client.messages().withRawResponse()
          .create(MessageCreateParams.builder().model("auto").maxTokens(200).addUserMessage(prompt).build());
      Message m = raw.parse();
      assertFalse(m.content().isEmpty(), prompt);
      assertEquals("auto", raw.headers().values("x-switchboard-route").get(0));
      String model = raw.headers().values("x-switchboard-model").get(0);
      assertEquals(model, raw.headers().values("x-switchboard-deployment").get(0), "answered by the chosen candidate");

      ObjectNode chat = JSON.createObjectNode().put("model", "auto").put("max_tokens", 200);
      chat.putArray("messages").addObject().put("role", "user").put("content", prompt);
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/route"))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(chat.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode decision = JSON.readTree(r.body());
      assertEquals(decision.path("model").asText(), model, prompt);
      assertEquals(Double.parseDouble(raw.headers().values("x-switchboard-difficulty").get(0)), decision.path("difficulty").asDouble(), 1e-3, prompt);
      chosen.add(model);
    }
    assertTrue(!chosen.isEmpty());
  }
}
