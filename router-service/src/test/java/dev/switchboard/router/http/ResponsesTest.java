package dev.switchboard.router.http;

import dev.switchboard.router.api.Responses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResponsesTest {
  @Test
  void millisHasThreeZeroPaddedDecimals() {
    assertEquals("0.000", Responses.millis(0));
    assertEquals("0.000", Responses.millis(999));
    assertEquals("0.001", Responses.millis(1_000));
    assertEquals("0.042", Responses.millis(42_000));
    assertEquals("0.420", Responses.millis(420_999));
    assertEquals("1.005", Responses.millis(1_005_000));
    assertEquals("1234.567", Responses.millis(1_234_567_890L));
  }
}
