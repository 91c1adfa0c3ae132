package dev.switchboard.cli.kafka;

import dev.switchboard.cli.options.Exit;
import dev.switchboard.router.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard kafka}: a standalone single-node Kafka broker until Ctrl-C. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
    description = "Run a single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C; data survives restarts. Clients log in"
        + " with the SASL/SCRAM credentials generated at its first start, in DATA_DIR/client.properties (0600).")
public final class KafkaCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "9092", description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = ".switchboard/kafka",
      description = "Log directory, formatted on first use (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    long t0 = System.nanoTime();
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(dataDir, port);
    } catch (RuntimeException e) {
      System.err.println("switchboard kafka: " + e.getMessage());
      return Exit.FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping Kafka...");
      kafka.close();
      stopped.countDown();
    }, "kafka-command-shutdown"));
    System.out.printf("Kafka listening on %s (data in %s), started in %d ms. Ctrl-C to stop.%n",
        kafka.bootstrapServers(), kafka.dataDir(), (System.nanoTime() - t0) / 1_000_000);
    // Where, never what: the password stays in the 0600 file.
    System.out.printf("Clients log in with SASL/SCRAM-SHA-256; their settings (user, password) are in %s%n",
        EmbeddedKafka.clientPropertiesFile(kafka.dataDir()));
    stopped.await();
    return 0;
  }
}
