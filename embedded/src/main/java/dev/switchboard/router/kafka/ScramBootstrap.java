package dev.switchboard.router.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Registers the generated SCRAM user with a broker whose log was formatted without it (an install
 * from before the broker had users, or one whose credentials file was deleted). New logs get the
 * user at format time instead, which costs nothing at start.
 *
 * <p>It logs in over PLAIN, which the broker takes for this user on that one run (its static JAAS
 * line), so it works before any SCRAM user exists; the controller cannot be asked directly (Kafka's
 * admin client does not send this request to {@code bootstrap.controllers}). Then it waits
 * (bounded) until the broker's metadata has the user and a SCRAM client logs in.
 */
final class ScramBootstrap {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private ScramBootstrap() {}

  static void register(BrokerCredentials c, String bootstrapServers) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", "PLAIN");
    p.put("sasl.jaas.config", c.plainJaas());
    p.put("client.id", "switchboard-scram-bootstrap");
    p.put("default.api.timeout.ms", Long.toString(TIMEOUT.toMillis()));
    p.put("request.timeout.ms", "5000");
    try (Admin admin = Admin.create(p)) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(c.user(),
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), c.password())))
          .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot register the broker's SCRAM user: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering the broker's SCRAM user", e);
    }
    awaitLogin(c.connection(bootstrapServers));
  }

  /** The controller has the user; the broker learns it from the metadata log a moment later. */
  private static void awaitLogin(KafkaConnection broker) {
    Properties p = broker.properties();
    p.put("client.id", "switchboard-scram-check");
    p.put("request.timeout.ms", "2000");
    p.put("default.api.timeout.ms", "3000");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    RuntimeException last = null;
    for (int attempt = 0; attempt < 100 && System.nanoTime() < deadline; attempt++) {
      try (Admin admin = Admin.create(p)) {
        admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        last = new IllegalStateException(e.getMessage(), e); // an authentication failure: not there yet
        backOff();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the broker's SCRAM user", e);
      }
    }
    throw new IllegalStateException("the broker did not accept its SCRAM user in " + TIMEOUT.toSeconds() + " s", last);
  }

  /** A refused login fails at once; without a pause the attempts would be spent before the metadata arrives. */
  private static void backOff() {
    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
  }
}
