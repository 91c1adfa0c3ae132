package dev.switchboard.router.requestlog;

import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether anyone listens at a bootstrap server: a TCP connection, no Kafka protocol. It is cheap and
 * quiet, where a producer or admin client would wait out its timeouts and log warnings; the request
 * log uses it to decide between waiting for Kafka and spooling.
 */
final class BrokerProbe {
  private static final int CONNECT_TIMEOUT_MS = 500;

  private final String bootstrapServers;

  /** @param bootstrapServers comma-separated {@code host:port} pairs; entries without a port are skipped */
  BrokerProbe(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** @return true if a TCP connection to any bootstrap server succeeds within 500 ms */
  boolean reachable() {
    for (String hp : bootstrapServers.split(",")) {
      String s = hp.trim();
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        continue;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))),
            CONNECT_TIMEOUT_MS);
        return true;
      } catch (Exception e) {
        // try the next one
      }
    }
    return false;
  }
}
