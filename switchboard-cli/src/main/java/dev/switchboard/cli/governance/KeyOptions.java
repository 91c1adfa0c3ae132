package dev.switchboard.cli.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** A key's settings as options, shared by {@code keys create} and {@code keys update}: only the options given are sent. */
final class KeyOptions {
  @Option(names = "--name", description = "A label for the key.")
  String name;

  @Option(names = "--team", paramLabel = "TEAM_ID", description = "The team the key spends for (none: no team).")
  String team;

  @Option(names = "--models", split = ",", paramLabel = "MODEL", description = "Models the key may call, comma-separated ('': all).")
  List<String> models;

  @Option(names = "--routes", split = ",", paramLabel = "ROUTE", description = "Routes the key may use, comma-separated ('': all).")
  List<String> routes;

  @Option(names = "--rpm", paramLabel = "N|none", description = "Requests per minute.")
  String rpm;

  @Option(names = "--tpm", paramLabel = "N|none", description = "Tokens per minute.")
  String tpm;

  @Option(names = "--budget", paramLabel = "USD[/day|month|total]|none", description = "Spending limit per period (default period: month).")
  String budget;

  @Option(names = "--downgrade-at", paramLabel = "SHARE",
      description = "With --budget: past this share of it (e.g. 0.8) eval-driven routes lower the quality target for the rest of the period.")
  String downgradeAt;

  @Option(names = "--max-quality-target", paramLabel = "Q|none", description = "Highest switchboard.quality_target a request may ask.")
  String maxQualityTarget;

  @Option(names = "--max-cost-usd", paramLabel = "USD|none", description = "Highest switchboard.max_cost_usd a request may ask.")
  String maxCostUsd;

  @Option(names = "--expires-at", paramLabel = "INSTANT|none", description = "When the key stops working, e.g. 2027-06-30T00:00:00Z.")
  String expiresAt;

  @Option(names = "--tag", paramLabel = "K=V", description = "Metadata tag (repeat for several; replaces all tags).")
  Map<String, String> tags;

  @Option(names = "--role", paramLabel = "admin|viewer|team-admin|none", description = "Admin API role of the key (none: an API key only).")
  String role;

  /** The admin API body: exactly the fields given. */
  ObjectNode body() {
    ObjectNode o = AdminHttp.JSON.createObjectNode();
    if (name != null) o.put("name", name);
    if (team != null) o.put("team_id", team.equalsIgnoreCase("none") ? null : team);
    Fields.putList(o, "models", models);
    Fields.putList(o, "routes", routes);
    Fields.put(o, "rpm", rpm);
    Fields.put(o, "tpm", tpm);
    Fields.putBudget(o, budget, downgradeAt);
    Fields.put(o, "max_quality_target", maxQualityTarget);
    Fields.put(o, "max_cost_usd", maxCostUsd);
    if (expiresAt != null) o.put("expires_at", expiresAt.equalsIgnoreCase("none") ? null : expiresAt);
    Fields.putTags(o, tags);
    if (role != null) o.put("role", role.equalsIgnoreCase("none") ? null : role);
    return o;
  }
}
