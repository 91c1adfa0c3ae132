package dev.switchboard.router.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "write to jane.doe+tag@mail.example.co.uk today | write to [EMAIL] today",
      "call +1 415 555 0100 now | call [PHONE] now",
      "call (415) 555-0100 now | call [PHONE] now",
      "ring 020 7946 0958 please | ring [PHONE] please",
      "ring +441632960961 please | ring [PHONE] please",
      "call 6502530000 now | call [PHONE] now",
      "call 650.253.0000 or 212-555-0199 | call [PHONE] or [PHONE]",
      "Anruf +49 30 901820 bitte | Anruf [PHONE] bitte",
      "ssn 123-45-6789 on file | ssn [SSN] on file",
      "ssn 078-05-1120, phone (212) 555-0199 | ssn [SSN], phone [PHONE]",
      "never issued 000-12-3456 | never issued [PHONE]",
      "card 4111 1111 1111 1111 exp | card [CARD] exp",
      "card 4111-1111-1111-1111 exp | card [CARD] exp",
      "amex 378282246310005 ok | amex [CARD] ok",
      "key sk-proj-abcDEF1234567890abcdef here | key [SECRET] here",
      "key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv here | key [SECRET] here",
      "aws AKIAIOSFODNN7EXAMPLE here | aws [SECRET] here",
      "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def | Authorization: Bearer [SECRET]",
      "sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 x | sha [SECRET] x",
      "tok Zm9vYmFyQmF6cXV1eDEyMzQ1Njc4OTBhYmNkZWZnaA== x | tok [SECRET] x",
      "gh ghp_abcdefghijklmnopqrstuvwxyz0123456789 x | gh [SECRET] x",
  })
  void masks(String in, String out) {
    assertEquals(out, Redactor.redact(in));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "What is 1234567 times 3?",
      "The meeting is on 2026-11-25 at 10:30.",
      "Ping 192.168.10.254 and see.",
      "Version 10.5.3 fixed it.",
      "Card-like but not Luhn: 4111 1111 1111 1112.",
      "See /usr/local/lib/python3.11/site-packages/numpy for details.",
      "Pneumonoultramicroscopicsilicovolcanoconiosis is a long word.",
      "Order #12345 shipped in 3 boxes.",
      "Invoice 1234567890 is due.",
      "",
  })
  void leavesOrdinaryTextAlone(String text) {
    assertEquals(text, Redactor.redact(text));
  }

  @Test
  void luhnCheck() {
    assertTrue(Redactor.isCard("4012888888881881"));
    assertFalse(Redactor.isCard("4012888888881882"));
    assertFalse(Redactor.isCard("123456789012"), "12 digits is too short");
  }

  @Test
  void nullStaysNull() {
    assertNull(Redactor.redact(null));
  }

  @Test
  void captureModesApplyToEveryStringInTheMessages() throws Exception {
    ObjectMapper m = new ObjectMapper();
    JsonNode messages = m.readTree("""
        [{"role":"user","content":[{"type":"text","text":"I am bob@example.org"}]},
         {"role":"assistant","content":"noted", "n": 3}]""");
    JsonNode redacted = CaptureMode.REDACTED.messages(messages);
    assertEquals("I am [EMAIL]", redacted.get(0).get("content").get(0).get("text").asText());
    assertEquals("user", redacted.get(0).get("role").asText());
    assertEquals(3, redacted.get(1).get("n").asInt());
    assertEquals("I am bob@example.org", messages.get(0).get("content").get(0).get("text").asText(),
        "the input is not modified");
    assertEquals(messages, CaptureMode.FULL.messages(messages));
    assertNull(CaptureMode.NONE.messages(messages));
    assertNull(CaptureMode.NONE.text("x"));
    assertEquals(CaptureMode.REDACTED, CaptureMode.parse(" Redacted "));
    assertThrows(IllegalArgumentException.class, () -> CaptureMode.parse("partial"));
  }
}
