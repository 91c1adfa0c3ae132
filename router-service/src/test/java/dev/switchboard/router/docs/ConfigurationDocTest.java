package dev.switchboard.router.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.config.ConfigKeys;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.RouteType;
import dev.switchboard.router.config.ProviderKind;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md and docs/examples/switchboard.yaml true to {@link ConfigParser}:
 * every allowed key documented in its section (and nothing else), documented defaults and ranges
 * equal to what the parser does, the validation example equal to the parser's real output, and
 * the example config parsing and runnable.
 */
class ConfigurationDocTest {
  private static final String DOC = "docs/configuration.md";
  private static final String EXAMPLE = "docs/examples/switchboard.yaml";
  /** ConfigParser's allowed-key sets and the doc section that documents each. */
  private static final Map<String, String> SECTIONS = Map.of(
      "SERVER", "`server`", "RESILIENCE", "`resilience`", "DEPLOYMENT", "`deployments[]`",
      "ROUTE", "`routes[]`", "CLASSIFIER", "`classifier`", "STORAGE", "`storage`", "LIMITS", "`limits`",
      "CACHE", "`cache`");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final String BASE_DEPLOYMENT = "{name: d, provider: openai, base_url: \"http://127.0.0.1:1/v1\"";

  /** The allowed keys of each section, from the one key table the parser reads them from. */
  static Map<String, Set<String>> allowedKeySets() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (ConfigKeys.Section sec : ConfigKeys.Section.values()) {
      out.put(sec.name(), ConfigKeys.names(sec));
    }
    return out;
  }

  @Test
  void everyAllowedKeyIsDocumentedInItsSectionAndNothingElse() {
    String doc = DocFiles.read(DOC);
    Map<String, Set<String>> sets = allowedKeySets();
    Set<String> expectedSets = new TreeSet<>(SECTIONS.keySet());
    expectedSets.add("TOP");
    assertEquals(expectedSets, new TreeSet<>(sets.keySet()),
        "ConfigParser's key sets changed: map the new set to its section of " + DOC + " in SECTIONS");
    for (String top : sets.get("TOP")) {
      assertTrue(doc.contains("\n## `" + top + "`\n") || doc.contains("\n## `" + top + "[]`\n"),
          DOC + " has no section '## `" + top + "`' for the top-level key " + top);
    }
    for (Map.Entry<String, String> e : SECTIONS.entrySet()) {
      Set<String> allowed = sets.get(e.getKey());
      Set<String> documented = new TreeSet<>();
      for (List<String> row : DocFiles.tableRows(DocFiles.section(doc, e.getValue()))) documented.add(DocFiles.firstCode(row.get(0)));
      for (String k : allowed) {
        assertTrue(documented.contains(k), DOC + ", section " + e.getValue() + ": key '" + k + "' is accepted by ConfigParser but not documented");
      }
      for (String k : documented) {
        assertTrue(allowed.contains(k), DOC + ", section " + e.getValue() + ": documents '" + k + "', which ConfigParser rejects");
      }
    }
  }

  @Test
  void documentedDefaultsAreTheParsersDefaults() {
    GatewayConfig c = ConfigParser.parse("deployments:\n  - " + BASE_DEPLOYMENT + "}\nclassifier: {path: m}\n", "defaults.yaml");
    String doc = DocFiles.read(DOC);
    Map<String, Record> bySection = Map.of("`server`", c.server(), "`resilience`", c.resilience(),
        "`classifier`", c.classifier(), "`deployments[]`", c.deployments().get("d"));
    Set<String> notDefaults = Set.of("name", "provider", "base_url", "model", "path"); // set by the template or derived
    int checked = 0;
    for (Map.Entry<String, Record> e : bySection.entrySet()) {
      for (List<String> row : DocFiles.tableRows(DocFiles.section(doc, e.getKey()))) {
        String key = DocFiles.firstCode(row.get(0));
        if (notDefaults.contains(key)) continue;
        Object value = component(e.getValue(), key);
        String expected = value instanceof Number n ? number(n.doubleValue()) : value instanceof String s ? s : null;
        if (expected == null) continue; // null (no default) or a mapping
        assertTrue(row.get(2).contains("`" + expected + "`"),
            DOC + ", section " + e.getKey() + ", key " + key + ": default column '" + row.get(2) + "' does not show the parser's default `" + expected + "`");
        checked++;
      }
    }
    assertTrue(checked >= 17, "too few defaults checked: " + checked);
  }

  @Test
  void documentedRangesAreThoseTheParserEnforces() {
    String doc = DocFiles.read(DOC);
    Pattern range = Pattern.compile("^`(-?\\d+(?:\\.\\d+)?)` to `(-?\\d+(?:\\.\\d+)?)`");
    int checked = 0;
    for (String section : List.of("`server`", "`resilience`", "`classifier`", "`deployments[]`")) {
      for (List<String> row : DocFiles.tableRows(DocFiles.section(doc, section))) {
        Matcher m = range.matcher(row.get(3));
        if (!m.find()) continue;
        String key = DocFiles.firstCode(row.get(0));
        double min = Double.parseDouble(m.group(1));
        double max = Double.parseDouble(m.group(2));
        for (double ok : new double[] {min, max}) {
          List<String> problems = problems(section, key, number(ok));
          assertFalse(problems.stream().anyMatch(p -> p.contains(key + ": must be between")),
              key + " = " + number(ok) + " is documented as allowed but rejected: " + problems);
        }
        for (double bad : new double[] {min - 1, max + 1}) {
          List<String> problems = problems(section, key, number(bad));
          assertTrue(problems.stream().anyMatch(p -> p.contains(key + ": must be between " + number(min)) && p.contains(" and " + number(max))),
              key + " = " + number(bad) + " is outside the documented range " + row.get(3) + " but the parser says: " + problems);
        }
        checked++;
      }
    }
    assertTrue(checked >= 17, "too few ranges checked: " + checked);
  }

  @Test
  void theValidationExampleIsTheParsersRealOutput() {
    String doc = DocFiles.read(DOC);
    String yaml = DocFiles.markedBlock(doc, "invalid-example:yaml");
    String expected = DocFiles.markedBlock(doc, "invalid-example:output");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(yaml + "\n", "switchboard.yaml"));
    assertEquals(expected, e.getMessage());
    assertTrue(e.problems().stream().allMatch(p -> p.startsWith("line ")), "every problem names its line: " + e.problems());
  }

  @Test
  void theExampleConfigParsesAndIsRunnable() {
    Path file = DocFiles.repoRoot().resolve(EXAMPLE);
    GatewayConfig c = ConfigParser.parseFile(file);
    EnumSet<ProviderKind> providers = EnumSet.noneOf(ProviderKind.class);
    c.deployments().values().forEach(d -> providers.add(d.provider()));
    assertEquals(EnumSet.allOf(ProviderKind.class), providers, "the example shows every provider");
    EnumSet<RouteType> types = EnumSet.noneOf(RouteType.class);
    c.routes().values().forEach(r -> types.add(r.type()));
    assertEquals(EnumSet.allOf(RouteType.class), types, "the example shows every route type");
    assertNotNull(c.classifier());
    assertTrue(Files.isRegularFile(Path.of(c.classifier().path(), "classifier.onnx")), "classifier.path resolves to a model: " + c.classifier().path());
    for (RouteConfig r : c.routes().values()) {
      if (r.type() != RouteType.EVAL_DRIVEN) continue;
      Policy p = PolicyFiles.read(Path.of(r.policy()));
      for (Policy.Candidate cand : p.candidates()) {
        assertTrue(r.deployments().contains(cand.model()), "route " + r.alias() + " lacks policy candidate " + cand.model());
        assertEquals(ProviderKind.RECORDED, c.deployments().get(cand.model()).provider(), "eval-driven candidates run without keys");
      }
    }
    String text = DocFiles.read(EXAMPLE);
    for (Set<String> keys : allowedKeySets().values()) {
      for (String k : keys) assertTrue(text.contains(k + ":"), EXAMPLE + " does not use the key " + k);
    }
  }

  @Test
  void everyYamlSnippetInTheReferenceParses() {
    String doc = DocFiles.read(DOC);
    String invalid = DocFiles.markedBlock(doc, "invalid-example:yaml");
    int parsed = 0;
    for (String block : DocFiles.fencedBlocks(doc, "yaml")) {
      if (block.strip().equals(invalid.strip())) continue;
      String yaml = block.startsWith("deployments:") ? block : "deployments:\n" + block;
      ConfigParser.parse(yaml, "snippet in " + DOC);
      parsed++;
    }
    assertTrue(parsed >= 5, "provider snippets parsed: " + parsed);
  }

  @Test
  void everyServeOptionIsDocumented() {
    // ServeCommand's own options and those of its mixins
    String serve = DocFiles.read("switchboard-cli/src/main/java/dev/switchboard/cli/serve/ServeCommand.java")
        + DocFiles.read("switchboard-cli/src/main/java/dev/switchboard/cli/options/ScoringDeadlineOption.java");
    String section = DocFiles.section(DocFiles.read(DOC), "`switchboard serve` options");
    Matcher m = Pattern.compile("names = \"(--[a-z-]+)\"").matcher(serve);
    int n = 0;
    while (m.find()) {
      assertTrue(section.contains("`" + m.group(1)), DOC + " does not document serve option " + m.group(1));
      n++;
    }
    assertTrue(n >= 9, "serve options found: " + n);
  }

  /** Each section's table lists the key table's keys in its order, with its type word, default and range. */
  @Test
  void theDocTablesAreTheKeyTable() {
    String doc = DocFiles.read(DOC);
    int checked = 0;
    for (ConfigKeys.Section sec : ConfigKeys.Section.values()) {
      if (sec == ConfigKeys.Section.TOP) continue;
      List<List<String>> rows = DocFiles.tableRows(DocFiles.section(doc, "`" + sec.title() + "`"));
      List<String> documented = rows.stream().map(r -> DocFiles.firstCode(r.get(0))).toList();
      assertEquals(ConfigKeys.of(sec).stream().map(ConfigKeys.Key::name).toList(), documented,
          DOC + ", section `" + sec.title() + "`: the rows are not ConfigKeys' keys in their order");
      for (int i = 0; i < rows.size(); i++) {
        ConfigKeys.Key k = ConfigKeys.of(sec).get(i);
        List<String> row = rows.get(i);
        assertTrue(row.get(1).startsWith(k.type().word()), k.path() + ": type column '" + row.get(1) + "', ConfigKeys says " + k.type());
        if (k.defaultValue() != null) {
          String def = k.defaultValue() instanceof Number n ? number(n.doubleValue()) : k.defaultValue().toString();
          assertTrue(row.get(2).contains("`" + def + "`"), k.path() + ": default column '" + row.get(2) + "', ConfigKeys says " + def);
        }
        if (k.min() != null && k.type() != ConfigKeys.Type.STRING) {
          assertTrue(row.get(3).startsWith("`" + number(k.min().doubleValue()) + "` to `" + number(k.max().doubleValue()) + "`"),
              k.path() + ": range column '" + row.get(3) + "', ConfigKeys says " + k.min() + " to " + k.max());
        }
        checked++;
      }
    }
    assertEquals(ConfigKeys.all().size() - ConfigKeys.of(ConfigKeys.Section.TOP).size(), checked);
  }

  /** The "Hot reload" table says for every key what ConfigKeys says (a row names it, its section, or a `prefix_*`). */
  @Test
  void theHotReloadTableIsTheKeyTable() {
    List<List<String>> rows = DocFiles.tableRows(DocFiles.section(DocFiles.read(DOC), "Hot reload"));
    for (ConfigKeys.Key k : ConfigKeys.all()) {
      if (k.section() == ConfigKeys.Section.TOP) continue;
      String top = k.section().title().replace("[]", "");
      List<String> row = null;
      for (List<String> r : rows) {
        Matcher m = CODE.matcher(r.get(0));
        while (m.find() && row == null) {
          String named = m.group(1);
          boolean wildcard = named.endsWith("*") && (k.path()).startsWith(named.substring(0, named.length() - 1));
          if (named.equals(k.path()) || wildcard) row = r;
        }
      }
      if (row == null) {
        for (List<String> r : rows) if (r.get(0).startsWith("`" + top + "`")) row = r;
      }
      assertNotNull(row, DOC + ", Hot reload: no row names " + k.path() + " (or `" + top + "`)");
      String expected = switch (k.reload()) {
        case LIVE -> "live";
        case RESTART -> "restart";
        case NEW_BREAKERS -> "for breakers created after the reload";
      };
      assertTrue(row.get(1).startsWith(expected), DOC + ", Hot reload: " + k.path() + " says '" + row.get(1) + "', ConfigKeys says " + k.reload());
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The parser's problems for a config that sets {@code key: value} in {@code section} and is otherwise valid. */
  private static List<String> problems(String section, String key, String value) {
    String yaml = switch (section) {
      case "`deployments[]`" -> "deployments:\n  - " + BASE_DEPLOYMENT + ", " + key + ": " + value + "}\n";
      case "`classifier`" -> "deployments:\n  - " + BASE_DEPLOYMENT + "}\nclassifier: {path: m, " + key + ": " + value + "}\n";
      default -> "deployments:\n  - " + BASE_DEPLOYMENT + "}\n" + section.replace("`", "") + ": {" + key + ": " + value + "}\n";
    };
    try {
      ConfigParser.parse(yaml, "range.yaml");
      return List.of();
    } catch (ConfigException e) {
      return new ArrayList<>(e.problems());
    }
  }

  /** A record component by YAML key: {@code input_price_per_mtok} matches {@code inputPricePerMTok}. */
  private static Object component(Record r, String key) {
    String wanted = key.replace("_", "");
    for (RecordComponent rc : r.getClass().getRecordComponents()) {
      if (rc.getName().equalsIgnoreCase(wanted)) {
        try {
          return rc.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError(r.getClass().getSimpleName() + " has no component for key " + key);
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
