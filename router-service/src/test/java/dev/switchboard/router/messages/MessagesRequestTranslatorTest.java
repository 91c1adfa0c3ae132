package dev.switchboard.router.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.testkit.TestRequests;
import org.junit.jupiter.api.Test;

/** Messages request -> chat request, for the cases the end-to-end tests do not spell out. */
class MessagesRequestTranslatorTest {

  private static ObjectNode chat(String messagesRequest) {
    return MessagesRequestTranslator.toChat((ObjectNode) TestRequests.json(messagesRequest), false);
  }

  private static ApiException refused(String messagesRequest) {
    return assertThrows(ApiException.class, () -> chat(messagesRequest));
  }

  @Test
  void toolResults_comeBeforeTheRestOfTheirTurn_errorsSaidInTheText() {
    JsonNode c = chat("""
        {"model":"m","max_tokens":10,"messages":[
          {"role":"user","content":"weather?"},
          {"role":"assistant","content":[{"type":"text","text":"Let me look."},
            {"type":"tool_use","id":"t1","name":"get_weather","input":{"city":"Paris"}},
            {"type":"tool_use","id":"t2","name":"get_weather","input":{"city":"Oslo"}}]},
          {"role":"user","content":[{"type":"text","text":"and be quick"},
            {"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"18 C"}]},
            {"type":"tool_result","tool_use_id":"t2","content":"unreachable","is_error":true}]}]}
        """).path("messages");
    assertEquals(5, c.size(), c.toString());
    assertEquals("Let me look.", c.at("/1/content").asText());
    assertEquals("{\"city\":\"Oslo\"}", c.at("/1/tool_calls/1/function/arguments").asText());
    assertEquals("tool", c.at("/2/role").asText());
    assertEquals("t1", c.at("/2/tool_call_id").asText());
    assertEquals("18 C", c.at("/2/content").asText());
    assertEquals("Error: unreachable", c.at("/3/content").asText());
    assertEquals("user", c.at("/4/role").asText());
    assertEquals("and be quick", c.at("/4/content/0/text").asText());
  }

  @Test
  void images_base64AndUrl_becomeImageUrlParts() {
    JsonNode parts = chat("""
        {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
          {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}}]}]}
        """).at("/messages/0/content");
    assertEquals("data:image/png;base64,iVBORw0KGgo=", parts.at("/0/image_url/url").asText());
    assertEquals("https://example.com/a.jpg", parts.at("/1/image_url/url").asText());
  }

  @Test
  void toolChoiceAndSystemBlocks() {
    ObjectNode c = chat("""
        {"model":"m","max_tokens":10,"system":[{"type":"text","text":"A."},{"type":"text","text":"B.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"f","input_schema":{"type":"object"},"strict":true}],
         "tool_choice":{"type":"tool","name":"f","disable_parallel_tool_use":true},
         "messages":[{"role":"user","content":"hi"}]}
        """);
    assertEquals("A.\n\nB.", c.at("/messages/0/content").asText());
    assertEquals("f", c.at("/tool_choice/function/name").asText());
    assertFalse(c.path("parallel_tool_calls").asBoolean(true));
    assertTrue(c.at("/tools/0/function/strict").asBoolean());
    assertEquals("required", chat("{\"model\":\"m\",\"max_tokens\":1,\"tool_choice\":{\"type\":\"any\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
        .path("tool_choice").asText());
  }

  @Test
  void topK_mergesWithTheClientsOwnProviderOptions() {
    ObjectNode c = chat("""
        {"model":"m","max_tokens":10,"top_k":5,"switchboard":{"provider_options":{"anthropic":{"top_k":7}}},
         "messages":[{"role":"user","content":"hi"}]}
        """);
    assertEquals(7, c.at("/switchboard/provider_options/anthropic/top_k").asInt(), "the explicit option wins");
    assertEquals(5, c.at("/switchboard/provider_options/gemini/generationConfig/topK").asInt());
  }

  @Test
  void refusals_nameTheField() {
    assertEquals("max_tokens", refused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").error().param());
    assertEquals("messages[0].content[0].source.media_type", refused("""
        {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"x"}}]}]}
        """).error().param());
    assertEquals("messages[0].content[0].content[0].type", refused("""
        {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",
          "content":[{"type":"image","source":{"type":"url","url":"u"}}]}]}]}
        """).error().param());
    assertEquals("stop_sequences", refused("""
        {"model":"m","max_tokens":1,"stop_sequences":["a","b","c","d","e"],"messages":[{"role":"user","content":"x"}]}
        """).error().param());
    assertEquals("metadata.session", refused("""
        {"model":"m","max_tokens":1,"metadata":{"session":"s"},"messages":[{"role":"user","content":"x"}]}
        """).error().param());
    assertEquals("temperature", refused("{\"model\":\"m\",\"max_tokens\":1,\"temperature\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
        .error().param());
    assertEquals("messages[1].content[0].type", refused("""
        {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"}]}]}
        """).error().param());
  }

  @Test
  void countTokens_needsNoMaxTokens() {
    ObjectNode c = MessagesRequestTranslator.toChat((ObjectNode) TestRequests.json(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), true);
    assertFalse(c.has("max_tokens"));
  }
}
