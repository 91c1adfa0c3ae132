package dev.switchboard.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.api.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {
  private final GatewayConfig c = ConfigParser.parse("""
      deployments:
        - { name: a, provider: openai, base_url: http://x, weight: 1 }
        - { name: b, provider: openai, base_url: http://x, weight: 3 }
        - { name: c, provider: openai, base_url: http://x, weight: 0 }
      routes:
        - { alias: f, deployments: [b, a] }
        - { alias: w, type: weighted, deployments: [a, b, c] }
      """, "t");

  private List<String> names(String model, double r) {
    return RoutePlanner.plan(c, model, () -> r).deployments().stream().map(d -> d.name()).toList();
  }

  @Test
  void fallbackRoutesKeepOrderAndWeightedRoutesPickByWeight() {
    assertEquals(List.of("b", "a"), names("f", 0.0));
    assertEquals(List.of("a", "b", "c"), names("w", 0.0), "r*4 = 0 falls in a's share [0,1)");
    assertEquals(List.of("b", "a", "c"), names("w", 0.26), "r*4 = 1.04 falls in b's share [1,4)");
    assertEquals(List.of("b", "a", "c"), names("w", 0.99));
    assertEquals(List.of("a"), names("a", 0.5), "a deployment name is its own plan");
    assertEquals("model_not_found", assertThrows(ApiException.class, () -> names("zzz", 0)).error().code());
  }
}
