package dev.switchboard.router.kafka;

import dev.switchboard.router.files.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded broker's one user: a random name and a 256-bit random password, made at first start
 * and kept in {@code client.properties} in the broker's data directory (0600, folder 0700) as a
 * standard Kafka client config, so {@code replay}, {@code switchboard kafka}, the gateway and Kafka's
 * own tools ({@code --command-config}) all use the same credentials. Only this OS user can read it,
 * which is the point: any local user could read every captured prompt before (issue #15).
 *
 * <p>Name and password are base64url/hex, so they need no quoting in a JAAS line or a SCRAM
 * argument. {@link #toString()} hides the password.
 */
record BrokerCredentials(String user, String password) {

  static final String FILE = "client.properties";
  static final String MECHANISM = "SCRAM-SHA-256";
  private static final Pattern JAAS = Pattern.compile("username=\"([A-Za-z0-9_-]+)\"\\s+password=\"([A-Za-z0-9_-]+)\"");
  private static final SecureRandom RANDOM = new SecureRandom();

  static BrokerCredentials generate() {
    byte[] name = new byte[6];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(name);
    RANDOM.nextBytes(secret);
    return new BrokerCredentials("switchboard-" + HexFormat.of().formatHex(name),
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** The credentials stored in {@code dir}, if a readable file of ours is there. */
  static Optional<BrokerCredentials> read(Path dir) {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    String jaas = KafkaConnection.fromFile(f, "unused:0").settings().get("sasl.jaas.config");
    Matcher m = jaas == null ? null : JAAS.matcher(jaas);
    if (m == null || !m.find()) {
      throw new IllegalStateException(f + " holds no Switchboard broker credentials; move it away to generate new ones");
    }
    PrivateFiles.restrictFile(f); // an older copy, or one restored from a backup with the umask's mode
    return Optional.of(new BrokerCredentials(m.group(1), m.group(2)));
  }

  /** Stores these credentials with the broker's current address in {@code dir}/client.properties (0600). */
  void write(Path dir, String bootstrapServers) {
    connection(bootstrapServers).writeTo(dir.resolve(FILE));
  }

  /** What a client of the embedded broker needs: SASL_PLAINTEXT (loopback only) with SCRAM-SHA-256. */
  KafkaConnection connection(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", MECHANISM,
        "sasl.jaas.config", scramJaas()));
  }

  String scramJaas() {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
        + password + "\";";
  }

  /** The controller listener's PLAIN login: this user as client, and the one user it accepts as server. */
  String plainJaas() {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
        + password + "\" user_" + user + "=\"" + password + "\";";
  }

  /** Kafka's Formatter argument that bootstraps the SCRAM credential into the metadata log. */
  String scramArgument() {
    return MECHANISM + "=[name=" + user + ",password=" + password + "]";
  }

  @Override
  public String toString() {
    return "BrokerCredentials[" + user + ", password hidden]";
  }
}
