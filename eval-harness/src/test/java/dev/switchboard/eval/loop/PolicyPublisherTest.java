package dev.switchboard.eval.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Publishing to a router that is not there, and the router's reason for a refusal (the publish command's tests: switchboard-cli). */
class PolicyPublisherTest {

  @Test
  void publishToARouterThatIsNotRunningSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PolicyPublisher.PublishException e = assertThrows(PolicyPublisher.PublishException.class,
        () -> new PolicyPublisher("http://127.0.0.1:" + port + "/v1/", "key").publish("auto", "version: x"));
    assertEquals(0, e.status());
    assertEquals("cannot reach the router at http://127.0.0.1:" + port + " (connection refused); is it running?", e.getMessage());
  }

  @Test
  void theRoutersReasonIsExtractedFromItsErrorBody() {
    assertEquals("classifier hash mismatch: x", PolicyPublisher.reason("{\"error\":{\"message\":\"classifier hash mismatch: x\",\"type\":\"t\"}}"));
    assertEquals("plain text", PolicyPublisher.reason("plain text"));
    assertEquals("(empty answer)", PolicyPublisher.reason(""));
  }
}
