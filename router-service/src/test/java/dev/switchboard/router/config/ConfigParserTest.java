package dev.switchboard.router.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigParserTest {
  @Test
  void aValidConfigParsesWithDefaults() {
    GatewayConfig c = ConfigParser.parse("""
        server:
          port: 9000
        deployments:
          - name: gpt
            provider: azure
            base_url: https://example.openai.azure.com/
            api_key_env: AZURE_KEY
            model: gpt-4o-prod
            api_version: 2024-10-21
            input_price_per_mtok: 2.5
            output_price_per_mtok: 10
          - name: claude
            provider: anthropic
            base_url: https://api.anthropic.com
        routes:
          - alias: smart
            deployments: [gpt, claude]
          - alias: mix
            type: weighted
            deployments: [gpt, claude]
        """, "t.yaml");
    assertEquals(9000, c.server().port());
    Deployment gpt = c.deployments().get("gpt");
    assertEquals(ProviderKind.AZURE, gpt.provider());
    assertEquals("https://example.openai.azure.com", gpt.baseUrl(), "trailing slash removed");
    assertEquals(2.5, gpt.inputPricePerMTok());
    assertEquals(60_000, gpt.timeoutMs());
    assertEquals(2, gpt.maxRetries());
    assertEquals("claude", c.deployments().get("claude").model(), "model defaults to the name");
    assertEquals(RouteType.WEIGHTED, c.routes().get("mix").type());
    assertEquals(List.of("gpt", "claude"), c.routes().get("smart").deployments());
  }

  /** YAML keys are unique: a repeated one is an error naming both lines, never "the last one wins". */
  @Test
  void aRepeatedKeyIsAnErrorNamingBothLines() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("""
        server:
          port: 1
          port: 2
        deployments:
          - {name: a, provider: openai, base_url: "http://127.0.0.1:1/v1", model: x, model: y}
          - name: b
            provider: openai
            base_url: "http://127.0.0.1:1/v1"
        deployments: []
        """, "dup.yaml"));
    assertEquals(List.of("line 3: server.port: duplicate key (first set on line 2)",
        "line 5: deployments[0].model: duplicate key (first set on line 5)",
        "line 9: deployments: duplicate key (first set on line 4)"), e.problems());
    // the same key in different mappings is not a repeat
    GatewayConfig ok = ConfigParser.parse("""
        deployments:
          - {name: a, provider: openai, base_url: "http://127.0.0.1:1/v1"}
          - {name: b, provider: openai, base_url: "http://127.0.0.1:1/v1"}
        """, "ok.yaml");
    assertEquals(2, ok.deployments().size());
  }

  @Test
  void routeCategory_isOptionalAndValidatedLikeARequestCategory() {
    String yaml = """
        deployments:
          - {name: a, provider: openai, base_url: "http://127.0.0.1:1/v1"}
        routes:
          - {alias: plain, deployments: [a]}
          - {alias: labelled, deployments: [a], category: %s}
        """;
    GatewayConfig c = ConfigParser.parse(yaml.formatted("support"), "c.yaml");
    assertEquals("support", c.routes().get("labelled").category());
    assertEquals(null, c.routes().get("plain").category());
    for (String bad : List.of("\"  \"", "x".repeat(201))) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(yaml.formatted(bad), "c.yaml"));
      assertEquals(List.of("line 5: routes[1] (labelled).category: must be a non-empty string of at most 200 characters"), e.problems());
    }
  }

  @Test
  void errorsNameTheFieldAndTheLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("""
        server:
          port: "eighty"
        deployments:
          - name: a
            provider: openia
            base_url: api.openai.com
            timout_ms: 5
          - name: a
            provider: openai
            base_url: http://x
            max_retries: -1
        routes:
          - alias: r
            deployments: [a, nope]
        """, "bad.yaml"));
    List<String> p = e.problems();
    assertTrue(p.contains("line 2: server.port: must be an integer, got a string 'eighty'"), p.toString());
    assertTrue(p.contains("line 5: deployments[0] (a).provider: unknown provider 'openia' (expected one of openai, azure, anthropic, gemini, recorded)"), p.toString());
    assertTrue(p.contains("line 6: deployments[0] (a).base_url: must start with http:// or https://"), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("line 7: deployments[0].timout_ms: unknown field")), p.toString());
    assertTrue(p.contains("line 8: deployments[1] (a).name: duplicate deployment name 'a'"), p.toString());
    assertTrue(p.contains("line 11: deployments[1].max_retries: must be between 0 and 10, got -1"), p.toString());
    assertTrue(p.contains("line 14: routes[0] (r).deployments[1]: unknown deployment 'nope'"), p.toString());
    assertTrue(e.getMessage().contains("bad.yaml"));
  }

  @Test
  void theClassifierSectionTakesItsTuningKnobsWithinRange() {
    String base = """
        classifier:
          path: models/default
          workers: 1
          intra_op_threads: %s
        deployments:
          - { name: a, provider: openai, base_url: http://x }
        """;
    ClassifierConfig c = ConfigParser.parse(base.formatted("2"), "c.yaml").classifier();
    assertEquals(1, c.workers());
    assertEquals(2, c.intraOpThreads());
    assertEquals(50, c.scoringDeadlineMs(), "default deadline");
    assertEquals(1, ConfigParser.parse(base.replace("  intra_op_threads: %s\n", ""), "c.yaml").classifier().intraOpThreads(), "default");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(base.formatted("0"), "c.yaml"));
    assertTrue(e.problems().contains("line 4: classifier.intra_op_threads: must be between 1 and 256, got 0"), e.problems().toString());
  }

  @Test
  void yamlSyntaxErrorsHaveALine() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("deployments:\n  - name: [unclosed\n", "s.yaml"));
    assertTrue(e.problems().get(0).startsWith("line "), e.problems().toString());
    assertTrue(e.problems().get(0).contains("not valid YAML"));
  }

  @Test
  void deploymentsAreRequired() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("server: {port: 1}\n", "e.yaml"));
    assertTrue(e.problems().get(0).contains("deployments: required"), e.problems().toString());
  }
}
