package dev.switchboard.router.providers;

import dev.switchboard.router.providers.contract.Secrets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void keysAndBearerTokensAreMasked_asProvidersQuoteThem() {
    assertEquals("Incorrect API key provided: [SECRET]. You can find your API key at https://platform.openai.com/account/api-keys.",
        Secrets.scrub("Incorrect API key provided: sk-proj-abc1****************************wxyz. You can find your API key at "
            + "https://platform.openai.com/account/api-keys."));
    assertEquals("invalid x-api-key [SECRET]", Secrets.scrub("invalid x-api-key sk-ant-api03-AbCdEfGhIjKlMnOp"));
    assertEquals("Authorization: Bearer [SECRET]", Secrets.scrub("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc"));
    assertEquals("BEARER [SECRET] rejected", Secrets.scrub("BEARER 0123456789abcdef rejected"));
    assertEquals("key [SECRET] expired", Secrets.scrub("key AIzaSyA1234567890abcdefghijklmnopqrstuv expired"));
    assertEquals("token [SECRET]", Secrets.scrub("token ghp_" + "a".repeat(36)));
  }

  @Test
  void ordinaryTextIsReturnedAsItIs() {
    String prose = "Right, though the bearer of bad news was brief: ask-me-anything sessions and the ghost sk- prefix stay.";
    assertSame(prose, Secrets.scrub(prose));
    assertNull(Secrets.scrub(null));
    assertEquals("", Secrets.scrub(""));
  }
}
