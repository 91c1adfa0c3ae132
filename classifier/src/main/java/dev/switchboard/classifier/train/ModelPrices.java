package dev.switchboard.classifier.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.classifier.ClassifierException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * List prices from {@code datasets/models.json}: {@code models[]} entries with a {@code price}
 * object ({@code input_usd_per_mtok}, {@code output_usd_per_mtok}) found under any of their
 * names ({@code model_id}, {@code model}, {@code name}, and every string in
 * {@code names_in_datasets}).
 */
public final class ModelPrices {

  public record Price(double inputUsdPerMtok, double outputUsdPerMtok) {}

  private final Map<String, Price> byName;

  private ModelPrices(Map<String, Price> byName) {
    this.byName = byName;
  }

  public static ModelPrices none() {
    return new ModelPrices(Map.of());
  }

  public static ModelPrices read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new ClassifierException("cannot read prices " + file + ": " + e.getMessage(), e);
    }
    JsonNode models = root.isArray() ? root : root.path("models");
    Map<String, Price> map = new HashMap<>();
    for (JsonNode m : models) {
      JsonNode p = m.path("price");
      if (!p.path("input_usd_per_mtok").isNumber() || !p.path("output_usd_per_mtok").isNumber()) {
        continue;
      }
      Price price = new Price(p.get("input_usd_per_mtok").asDouble(), p.get("output_usd_per_mtok").asDouble());
      for (String f : new String[] {"model_id", "model", "name"}) {
        if (m.path(f).isTextual()) {
          map.putIfAbsent(m.get(f).asText(), price);
        }
      }
      m.path("names_in_datasets").forEach(names -> {
        if (names.isTextual()) {
          map.putIfAbsent(names.asText(), price);
        }
        names.forEach(n -> {
          if (n.isTextual()) {
            map.putIfAbsent(n.asText(), price);
          }
        });
      });
    }
    return new ModelPrices(map);
  }

  public Optional<Price> of(String model) {
    return Optional.ofNullable(byName.get(model));
  }
}
