package dev.switchboard.dataset;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per-model list prices in USD per 1M tokens, loaded from {@code datasets/models.json}.
 *
 * <p>Two layouts are accepted so the importer can also take the upstream price file directly:
 * ours ({@code "models": {id: {input_usd_per_mtok, output_usd_per_mtok, price_is_proxy, source,
 * aliases}}}) and the source folder's ({@code "models": [{model_id, price: {...},
 * price_is_proxy, names_in_datasets}]}, entries with {@code price: null} skipped).
 */
public final class ModelPrices {

  /**
   * @param inputPerMTok USD per 1M prompt tokens
   * @param outputPerMTok USD per 1M completion tokens
   * @param isProxy true when the price is borrowed from a comparable model, not a real listing
   * @param source where the price comes from
   */
  public record Price(double inputPerMTok, double outputPerMTok, boolean isProxy, String source) {

    /** USD cost of one call with the given token counts. */
    public double cost(long inputTokens, long outputTokens) {
      return (inputTokens * inputPerMTok + outputTokens * outputPerMTok) / 1_000_000.0;
    }
  }

  private final Map<String, Price> byId;
  private final Map<String, String> aliasToId;

  private ModelPrices(Map<String, Price> byId, Map<String, String> aliasToId) {
    this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    this.aliasToId = Collections.unmodifiableMap(aliasToId);
  }

  /**
   * Loads a price file.
   *
   * @throws IllegalArgumentException naming the file when it is missing or malformed
   */
  public static ModelPrices load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read price file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a price file from a stream (e.g. a classpath resource); {@code name} is used in errors. */
  public static ModelPrices parse(InputStream in, String name) {
    JsonNode root;
    try {
      root = Jackson.JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("Price file " + name + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode models = root == null ? null : root.get("models");
    Map<String, Price> byId = new LinkedHashMap<>();
    Map<String, String> aliases = new HashMap<>();
    Map<String, Boolean> ambiguous = new HashMap<>();
    if (models != null && models.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        byId.put(e.getKey(), price(e.getValue(), name, e.getKey()));
        for (JsonNode a : e.getValue().path("aliases")) {
          addAlias(aliases, ambiguous, a.asText(), e.getKey());
        }
      }
    } else if (models != null && models.isArray()) {
      for (JsonNode m : models) {
        String id = m.path("model_id").asText(null);
        if (id == null) {
          throw new IllegalArgumentException("Price file " + name + ": an entry of 'models' has no model_id");
        }
        JsonNode p = m.get("price");
        if (p == null || p.isNull()) {
          continue; // listed but unpriced: callers treat it as having no price
        }
        byId.put(id, new Price(number(p, "input_usd_per_mtok", name, id), number(p, "output_usd_per_mtok", name, id),
            m.path("price_is_proxy").asBoolean(false), p.path("source").asText("")));
        for (JsonNode names : m.path("names_in_datasets")) {
          for (JsonNode a : names) {
            addAlias(aliases, ambiguous, a.asText(), id);
          }
        }
      }
    } else {
      throw new IllegalArgumentException("Price file " + name + " has no 'models' object or array");
    }
    ambiguous.keySet().forEach(aliases::remove);
    byId.keySet().forEach(aliases::remove); // an exact id always wins over an alias
    return new ModelPrices(byId, aliases);
  }

  /** The price of a model id, or of a model known under an alias (a name as in a source dataset). */
  public Optional<Price> find(String modelOrAlias) {
    Price p = byId.get(modelOrAlias);
    if (p == null) {
      String id = aliasToId.get(modelOrAlias);
      p = id == null ? null : byId.get(id);
    }
    return Optional.ofNullable(p);
  }

  /** The canonical id for an id or alias, if known. */
  public Optional<String> canonicalId(String modelOrAlias) {
    if (byId.containsKey(modelOrAlias)) {
      return Optional.of(modelOrAlias);
    }
    return Optional.ofNullable(aliasToId.get(modelOrAlias));
  }

  /** model id -> price, sorted by id. */
  public Map<String, Price> asMap() {
    return byId;
  }

  private static Price price(JsonNode n, String file, String id) {
    return new Price(number(n, "input_usd_per_mtok", file, id), number(n, "output_usd_per_mtok", file, id),
        n.path("price_is_proxy").asBoolean(false), n.path("source").asText(""));
  }

  private static double number(JsonNode n, String field, String file, String id) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber() || v.asDouble() < 0) {
      throw new IllegalArgumentException(
          "Price file " + file + ": model " + id + " needs a non-negative number '" + field + "'");
    }
    return v.asDouble();
  }

  private static void addAlias(Map<String, String> aliases, Map<String, Boolean> ambiguous, String alias, String id) {
    String prev = aliases.putIfAbsent(alias, id);
    if (prev != null && !prev.equals(id)) {
      ambiguous.put(alias, true); // one name, two models: refuse to guess
    }
  }
}
