package dev.switchboard.governance.keys;

import dev.switchboard.governance.Budget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeSet;

/** The audit log's before/after JSON of keys and teams. Built field by field so a secret cannot slip in. */
final class KeyJson {

  private KeyJson() {}

  static String of(KeyRecord key) {
    if (key == null) {
      return null;
    }
    KeySettings s = key.settings();
    return new JsonObject()
        .put("id", key.id())
        .put("name", s.name())
        .put("teamId", s.teamId())
        .put("allowedModels", new JsonArray(new java.util.ArrayList<>(new TreeSet<>(s.allowedModels()))))
        .put("allowedRoutes", new JsonArray(new java.util.ArrayList<>(new TreeSet<>(s.allowedRoutes()))))
        .put("maxQualityTarget", s.maxQualityTarget())
        .put("maxCostUsd", s.maxCostUsd() == null ? null : s.maxCostUsd().toPlainString())
        .put("rpm", s.rpm())
        .put("tpm", s.tpm())
        .put("budget", budget(s.budget()))
        .put("expiresAt", s.expiresAt() == null ? null : s.expiresAt().toString())
        .put("tags", new JsonObject(new java.util.TreeMap<String, Object>(s.tags())))
        .put("role", s.role() == null ? null : s.role().wireName())
        .put("status", key.status().name())
        .encode();
  }

  static String of(Team team) {
    if (team == null) {
      return null;
    }
    TeamSettings s = team.settings();
    return new JsonObject()
        .put("id", team.id())
        .put("name", s.name())
        .put("budget", budget(s.budget()))
        .put("rpm", s.rpm())
        .put("tpm", s.tpm())
        .encode();
  }

  private static JsonObject budget(Budget b) {
    if (b == null) return null;
    JsonObject o = new JsonObject().put("limitUsd", b.limitUsd().toPlainString()).put("period", b.period().name());
    return b.downgradeAt() == null ? o : o.put("downgradeAt", b.downgradeAt());
  }
}
