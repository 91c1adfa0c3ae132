package dev.switchboard.cli.serve;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as a stop request rather than the JVM's default (run the shutdown hooks, exit 128 + signal):
 * {@code serve} then drains and returns 0. Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK
 * 17 build); where a signal cannot be handled, the default stays and the shutdown hook still drains.
 */
final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  static void onTermOrInt(Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
          LOG.info("SIG{} received: stopping gracefully", name);
          stop.run();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.debug("SIG{} keeps its default handling: {}", name, e.getMessage());
      }
    }
  }
}
