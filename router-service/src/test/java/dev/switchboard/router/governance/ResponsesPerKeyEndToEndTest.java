package dev.switchboard.router.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored responses belong to the API key that created them: with {@code server.auth: required}, another key (even of
 * the same team and models) can neither continue a conversation with {@code previous_response_id} nor read or delete
 * the response, and gets the same answer as for an id that never existed.
 */
class ResponsesPerKeyEndToEndTest {

  @Test
  void previousResponseId_ofAnotherKey_isNotFound_andCannotBeReadOrDeleted(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    MockOpenAiServer upstream = GovernedGateway.upstream(vertx);
    try (GovernedGateway gw = GovernedGateway.start(KeyLifecycleEndToEndTest.yaml(upstream.baseUrl()), dir, GovernedGateway.env(),
        ExchangeObserver.NONE, o -> o)) {
      String alice = gw.admin.post("/admin/keys", "{\"name\":\"alice\"}").json().path("secret").asText();
      String bob = gw.admin.post("/admin/keys", "{\"name\":\"bob\"}").json().path("secret").asText();
      OpenAIClient a = sdk(gw.baseUrl(), alice);
      OpenAIClient b = sdk(gw.baseUrl(), bob);
      try {
        Response mine = a.responses().create(ResponseCreateParams.builder().model("gpt").input("My secret is 42.").build());
        // the owner continues it
        Response next = a.responses().create(ResponseCreateParams.builder().model("gpt").input("What is it?").previousResponseId(mine.id()).build());
        assertEquals(mine.id(), next.previousResponseId().orElseThrow());
        assertEquals(3, upstream.lastRequest().body().split("\"role\"").length - 1, "owner's continuation carried the conversation");

        // another key: not found, exactly as for an unknown id
        upstream.clearRequests();
        BadRequestException cont = assertThrows(BadRequestException.class, () -> b.responses().create(
            ResponseCreateParams.builder().model("gpt").input("What is it?").previousResponseId(mine.id()).build()));
        BadRequestException unknown = assertThrows(BadRequestException.class, () -> b.responses().create(
            ResponseCreateParams.builder().model("gpt").input("What is it?").previousResponseId("resp_doesnotexist").build()));
        assertEquals("previous_response_not_found", cont.code().orElseThrow());
        assertEquals(unknown.code(), cont.code());
        assertEquals(0, upstream.requests().size(), "nothing of alice's conversation went upstream for bob");
        assertThrows(NotFoundException.class, () -> b.responses().retrieve(mine.id()));
        assertThrows(NotFoundException.class, () -> b.responses().delete(mine.id()));
        // still alice's after bob's attempts
        assertEquals(mine.id(), a.responses().retrieve(mine.id()).id());
      } finally {
        a.close();
        b.close();
      }
    } finally {
      GovernedGateway.close(vertx);
    }
  }

  private static OpenAIClient sdk(String baseUrl, String key) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl + "/v1").apiKey(key).maxRetries(0).build();
  }
}
