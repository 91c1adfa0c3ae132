package dev.switchboard.router.config;

/**
 * The {@code storage:} section: where keys, teams, spend and the audit log live.
 *
 * @param url {@code jdbc:postgresql://…}, or null for the embedded H2 file under the data directory
 * @param user the database user (null for H2); its password is the environment variable
 *     {@code SWITCHBOARD_STORAGE_PASSWORD}
 * @param refreshMs how often keys and teams changed by another gateway process are re-read
 * @param spendFlushMs how often the summed spend of finished requests is written to the ledger
 * @param auditTopic the Kafka topic audit entries are also published to, when the gateway has a Kafka (the request log's)
 */
public record StorageConfig(String url, String user, long refreshMs, long spendFlushMs, String auditTopic) {
  public static final StorageConfig DEFAULTS = new StorageConfig(null, null, ConfigKeys.STORAGE_REFRESH_MS.defaultLong(),
      ConfigKeys.STORAGE_SPEND_FLUSH_MS.defaultLong(),       ConfigKeys.STORAGE_AUDIT_TOPIC.defaultString());

  /** Whether this is the embedded H2 database (no url). */
  public boolean embedded() {
    return url == null || url.isBlank();
  }
}
