package dev.switchboard.router.testkit;

import java.nio.file.Path;

/**
 * A gateway config (YAML) with the shipped classifier's four candidates as in-process recorded
 * deployments and an eval-driven route {@code auto} over them, for tests that need the real
 * classifier and policy but their own settings (deadline, admin key, policy copy).
 */
public final class ShippedAutoRoute {
  private ShippedAutoRoute() {}

  /**
   * @param home the Switchboard home (models/default lives there)
   * @param policy the policy file the route uses
   * @param scoringDeadlineMs generous in tests of decisions, tiny in tests of the deadline
   * @param serverLine an extra {@code server:} line, e.g. {@code "server: { admin_key_env: X }"}, or ""
   */
  public static String yaml(Path home, Path policy, long scoringDeadlineMs, String serverLine) {
    return """
        %s
        classifier: { path: %s, scoring_deadline_ms: %d }
        deployments:
          - { name: mixtral-8x7b-instruct-v0.1, provider: recorded, input_price_per_mtok: 0.6, output_price_per_mtok: 0.6 }
          - { name: gpt-3.5-turbo-1106, provider: recorded, input_price_per_mtok: 1.0, output_price_per_mtok: 2.0 }
          - { name: claude-instant-1.2, provider: recorded, input_price_per_mtok: 0.8, output_price_per_mtok: 2.4 }
          - { name: gpt-4-1106-preview, provider: recorded, input_price_per_mtok: 10, output_price_per_mtok: 30 }
        routes:
          - alias: auto
            type: eval-driven
            policy: %s
            default: gpt-4-1106-preview
            deployments: [mixtral-8x7b-instruct-v0.1, gpt-3.5-turbo-1106, claude-instant-1.2, gpt-4-1106-preview]
        """.formatted(serverLine, home.resolve("models/default"), scoringDeadlineMs, policy);
  }
}
