package dev.switchboard.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Turning options into admin API fields and API fields into table cells. Values pass through as the user typed
 * them (a number when they look like one, {@code none} as null): the gateway validates and names the field.
 */
final class Fields {
  private Fields() {}

  /** Puts {@code value} under {@code field} when it was given: {@code none} → null, a number → a number, else text. */
  static void put(ObjectNode o, String field, String value) {
    if (value == null) return;
    if (value.equalsIgnoreCase("none")) {
      o.putNull(field);
      return;
    }
    try {
      o.put(field, Long.parseLong(value));
    } catch (NumberFormatException notWhole) {
      try {
        o.put(field, new BigDecimal(value));
      } catch (NumberFormatException notNumber) {
        o.put(field, value);
      }
    }
  }

  /**
   * {@code 25/month}, {@code 5/day}, {@code 100} (month) or {@code none} → the API's budget object or null, with
   * {@code downgradeAt} (a share, or null) inside it.
   *
   * @throws IllegalArgumentException when a downgrade point is given without a budget
   */
  static void putBudget(ObjectNode o, String value, String downgradeAt) {
    if (value == null && downgradeAt != null) {
      throw new IllegalArgumentException("--downgrade-at is part of the budget: give --budget with it");
    }
    if (value == null) return;
    if (value.equalsIgnoreCase("none")) {
      o.putNull("budget");
      return;
    }
    int slash = value.indexOf('/');
    ObjectNode b = o.putObject("budget");
    put(b, "limit_usd", slash < 0 ? value : value.substring(0, slash));
    if (slash >= 0) b.put("period", value.substring(slash + 1));
    put(b, "downgrade_at", downgradeAt);
  }

  /** A list option ({@code --models a,b}); an empty string means "all" (an empty list). */
  static void putList(ObjectNode o, String field, List<String> values) {
    if (values == null) return;
    var a = o.putArray(field);
    values.stream().filter(v -> !v.isBlank()).forEach(a::add);
  }

  static void putTags(ObjectNode o, Map<String, String> tags) {
    if (tags == null) return;
    ObjectNode t = o.putObject("tags");
    tags.forEach(t::put);
  }

  /** A cell: the field's text, or null (printed {@code -}) when absent or null. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** {@code 25/month}, or null. */
  static String budget(JsonNode n) {
    JsonNode b = n.get("budget");
    if (b == null || b.isNull()) return null;
    String text = b.path("limit_usd").decimalValue().stripTrailingZeros().toPlainString() + "/" + b.path("period").asText();
    JsonNode d = b.get("downgrade_at");
    return d == null || d.isNull() ? text : text + " (downgrade at " + d.asText() + ")";
  }

  /** A list field as {@code a,b}, or {@code all} when empty. */
  static String list(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isArray() || v.isEmpty()) return "all";
    StringBuilder sb = new StringBuilder();
    v.forEach(x -> sb.append(sb.length() > 0 ? "," : "").append(x.asText()));
    return sb.toString();
  }
}
