package dev.switchboard.router.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.governance.Budget;
import dev.switchboard.governance.BudgetPeriod;
import dev.switchboard.governance.audit.AuditEntry;
import dev.switchboard.governance.keys.AdminRole;
import dev.switchboard.governance.keys.KeyRecord;
import dev.switchboard.governance.keys.KeySettings;
import dev.switchboard.governance.keys.Team;
import dev.switchboard.governance.keys.TeamSettings;
import dev.switchboard.governance.spend.SpendTotal;
import dev.switchboard.router.api.ApiException;
import dev.switchboard.router.providers.chat.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's JSON: key and team bodies in (each bad field a 400 {@code invalid_value} naming it), records out.
 * Output is built field by field, so a secret or hash cannot slip into a response.
 */
final class AdminJson {
  static final Set<String> KEY_FIELDS = Set.of("name", "team_id", "models", "routes", "max_quality_target", "max_cost_usd", "rpm",
      "tpm", "budget", "expires_at", "tags", "role");
  static final Set<String> TEAM_FIELDS = Set.of("name", "budget", "rpm", "tpm");

  private AdminJson() {}

  static ObjectNode body(byte[] bytes) {
    try {
      JsonNode n = bytes == null || bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
      if (n == null || !n.isObject()) throw ApiException.badRequest("The body must be a JSON object.", null);
      return (ObjectNode) n;
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("The body is not valid JSON.", null);
    }
  }

  static void onlyKnown(ObjectNode n, Set<String> allowed) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw ApiException.badRequest("Unknown field '" + f + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ").", f);
      }
    }
  }

  // ---------------------------------------------------------------- in

  /** {@code base} with every field the body has (POST: base is a fresh builder named by the body). */
  static KeySettings keySettings(ObjectNode n, KeySettings base) {
    onlyKnown(n, KEY_FIELDS);
    String name = n.has("name") ? text(n, "name", true) : base == null ? null : base.name();
    if (name == null || name.isBlank()) throw ApiException.badRequest("'name' is required: a label for the key.", "name");
    KeySettings.Builder b = base == null ? KeySettings.named(name) : rename(base, name);
    if (n.has("team_id")) b.team(text(n, "team_id", false));
    if (n.has("models")) b.models(strings(n, "models"));
    if (n.has("routes")) b.routes(strings(n, "routes"));
    if (n.has("max_quality_target")) {
      Double q = number(n, "max_quality_target");
      if (q != null && !(q > 0 && q <= 1)) throw ApiException.badRequest("'max_quality_target' must be in (0, 1].", "max_quality_target");
      b.maxQualityTarget(q);
    }
    if (n.has("max_cost_usd")) b.maxCostUsd(money(n, "max_cost_usd"));
    if (n.has("rpm")) b.rpm(count(n, "rpm", Integer.MAX_VALUE) == null ? null : count(n, "rpm", Integer.MAX_VALUE).intValue());
    if (n.has("tpm")) b.tpm(count(n, "tpm", Long.MAX_VALUE));
    if (n.has("budget")) b.budget(budget(n, "budget"));
    if (n.has("expires_at")) b.expiresAt(instant(n, "expires_at"));
    if (n.has("tags")) b.tags(tags(n));
    if (n.has("role")) b.role(role(n));
    return b.build();
  }

  private static KeySettings.Builder rename(KeySettings base, String name) {
    KeySettings s = base.toBuilder().build();
    return new KeySettings(name, s.teamId(), s.allowedModels(), s.allowedRoutes(), s.maxQualityTarget(), s.maxCostUsd(), s.rpm(), s.tpm(),
        s.budget(), s.expiresAt(), s.tags(), s.role()).toBuilder();
  }

  static TeamSettings teamSettings(ObjectNode n, TeamSettings base) {
    onlyKnown(n, TEAM_FIELDS);
    String name = n.has("name") ? text(n, "name", true) : base == null ? null : base.name();
    if (name == null || name.isBlank()) throw ApiException.badRequest("'name' is required: a label for the team.", "name");
    Budget budget = n.has("budget") ? budget(n, "budget") : base == null ? null : base.budget();
    Integer rpm = n.has("rpm") ? (count(n, "rpm", Integer.MAX_VALUE) == null ? null : count(n, "rpm", Integer.MAX_VALUE).intValue())
        : base == null ? null : base.rpm();
    Long tpm = n.has("tpm") ? count(n, "tpm", Long.MAX_VALUE) : base == null ? null : base.tpm();
    return new TeamSettings(name, budget, rpm, tpm);
  }

  private static String text(ObjectNode n, String f, boolean required) {
    JsonNode v = n.get(f);
    if (v.isNull() && !required) return null;
    if (!v.isTextual()) throw ApiException.badRequest("'" + f + "' must be a string.", f);
    return v.asText();
  }

  private static Set<String> strings(ObjectNode n, String f) {
    JsonNode v = n.get(f);
    if (v.isNull()) return Set.of();
    if (!v.isArray()) throw ApiException.badRequest("'" + f + "' must be a list of names (empty: all).", f);
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) throw ApiException.badRequest("'" + f + "[" + i + "]' must be a string.", f + "[" + i + "]");
      out.add(v.get(i).asText());
    }
    return out;
  }

  private static Double number(ObjectNode n, String f) {
    JsonNode v = n.get(f);
    if (v.isNull()) return null;
    if (!v.isNumber()) throw ApiException.badRequest("'" + f + "' must be a number.", f);
    return v.asDouble();
  }

  private static BigDecimal money(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (v == null || v.isNull()) return null;
    if (!v.isNumber() && !v.isTextual()) throw ApiException.badRequest("'" + f + "' must be an amount in US dollars.", f);
    try {
      BigDecimal d = new BigDecimal(v.asText());
      if (d.signum() < 0) throw ApiException.badRequest("'" + f + "' must not be negative.", f);
      return d;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + f + "' must be an amount in US dollars.", f);
    }
  }

  private static Long count(ObjectNode n, String f, long max) {
    JsonNode v = n.get(f);
    if (v.isNull()) return null;
    if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > max) {
      throw ApiException.badRequest("'" + f + "' must be a whole number from 0 to " + max + " (null: unlimited).", f);
    }
    return v.asLong();
  }

  private static Budget budget(ObjectNode n, String f) {
    JsonNode v = n.get(f);
    if (v.isNull()) return null;
    if (!v.isObject()) {
      throw ApiException.badRequest("'" + f + "' must be {\"limit_usd\": 25, \"period\": \"day|month|total\", \"downgrade_at\": 0.8} or null.", f);
    }
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String sub = it.next();
      if (!Set.of("limit_usd", "period", "downgrade_at").contains(sub)) {
        throw ApiException.badRequest("Unknown field '" + f + "." + sub + "' (allowed: downgrade_at, limit_usd, period).", f + "." + sub);
      }
    }
    Double downgradeAt = null;
    JsonNode d = v.get("downgrade_at");
    if (d != null && !d.isNull()) {
      if (!d.isNumber() || !(d.asDouble() > 0 && d.asDouble() <= 1)) {
        throw ApiException.badRequest("'" + f + ".downgrade_at' must be a share of the budget in (0, 1], e.g. 0.8 (null: never).",
            f + ".downgrade_at");
      }
      downgradeAt = d.asDouble();
    }
    BigDecimal limit = money(v, "limit_usd");
    if (limit == null) throw ApiException.badRequest("'" + f + ".limit_usd' is required.", f + ".limit_usd");
    String p = v.path("period").asText("month");
    try {
      return new Budget(limit, BudgetPeriod.valueOf(p.toUpperCase(Locale.ROOT)), downgradeAt);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'" + f + ".period' must be day, month or total.", f + ".period");
    }
  }

  private static Instant instant(ObjectNode n, String f) {
    JsonNode v = n.get(f);
    if (v.isNull()) return null;
    try {
      return Instant.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("'" + f + "' must be an ISO-8601 instant such as 2027-01-31T00:00:00Z.", f);
    }
  }

  private static Map<String, String> tags(ObjectNode n) {
    JsonNode v = n.get("tags");
    if (v.isNull()) return Map.of();
    if (!v.isObject()) throw ApiException.badRequest("'tags' must be an object of strings.", "tags");
    Map<String, String> out = new HashMap<>();
    v.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) throw ApiException.badRequest("'tags." + e.getKey() + "' must be a string.", "tags." + e.getKey());
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  private static AdminRole role(ObjectNode n) {
    JsonNode v = n.get("role");
    if (v.isNull()) return null;
    try {
      return AdminRole.parse(v.asText());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'role' must be admin, viewer, team-admin or null.", "role");
    }
  }

  /** A query parameter instant: ISO instant or a UTC day {@code yyyy-MM-dd}; null when absent. */
  static Instant queryInstant(String value, String param) {
    if (value == null || value.isBlank()) return null;
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("'" + param + "' must be a day (2026-12-01) or an ISO-8601 instant.", param);
    }
  }

  // ---------------------------------------------------------------- out

  static ObjectNode key(KeyRecord k) {
    KeySettings s = k.settings();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", k.id());
    o.put("name", s.name());
    o.put("team_id", s.teamId());
    ArrayNode models = o.putArray("models");
    new java.util.TreeSet<>(s.allowedModels()).forEach(models::add);
    ArrayNode routes = o.putArray("routes");
    new java.util.TreeSet<>(s.allowedRoutes()).forEach(routes::add);
    o.put("max_quality_target", s.maxQualityTarget());
    o.put("max_cost_usd", s.maxCostUsd());
    o.put("rpm", s.rpm());
    o.put("tpm", s.tpm());
    budget(o, s.budget());
    o.put("expires_at", s.expiresAt() == null ? null : s.expiresAt().toString());
    ObjectNode tags = o.putObject("tags");
    new java.util.TreeMap<>(s.tags()).forEach(tags::put);
    o.put("role", s.role() == null ? null : s.role().wireName());
    o.put("status", k.status().name().toLowerCase(Locale.ROOT));
    o.put("created_at", k.createdAt().toString());
    o.put("updated_at", k.updatedAt().toString());
    return o;
  }

  static ObjectNode team(Team t) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", t.id());
    o.put("name", t.settings().name());
    budget(o, t.settings().budget());
    o.put("rpm", t.settings().rpm());
    o.put("tpm", t.settings().tpm());
    o.put("created_at", t.createdAt().toString());
    o.put("updated_at", t.updatedAt().toString());
    return o;
  }

  private static void budget(ObjectNode o, Budget b) {
    if (b == null) {
      o.putNull("budget");
    } else {
      o.putObject("budget").put("limit_usd", b.limitUsd()).put("period", b.period().name().toLowerCase(Locale.ROOT))
          .put("downgrade_at", b.downgradeAt());
    }
  }

  static ObjectNode spend(SpendTotal t) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("group", t.group());
    o.put("cost_usd", t.costUsd());
    o.put("prompt_tokens", t.promptTokens());
    o.put("completion_tokens", t.completionTokens());
    o.put("requests", t.requests());
    return o;
  }

  static ObjectNode audit(AuditEntry e) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", e.id());
    o.put("at", e.at().toString());
    o.put("actor", e.actor());
    o.put("action", e.action());
    o.put("target_type", e.targetType());
    o.put("target_id", e.targetId());
    o.set("before", parsed(e.beforeJson()));
    o.set("after", parsed(e.afterJson()));
    o.put("source_address", e.sourceAddress());
    return o;
  }

  private static JsonNode parsed(String json) {
    if (json == null) return Json.MAPPER.nullNode();
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }
}
