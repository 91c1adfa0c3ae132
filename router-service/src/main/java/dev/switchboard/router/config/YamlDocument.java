package dev.switchboard.router.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML file that remembers the line of every value, so validation errors can say
 * "line 12: deployments[0].timeout_ms: ...". Jackson's streaming parser knows each token's JSON
 * pointer and location; we record them in one pass, then build the tree in a second.
 */
final class YamlDocument {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final JsonNode root;
  private final Map<String, Integer> lines;

  private YamlDocument(JsonNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  static YamlDocument parse(String text, String source) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = YAML.getFactory().createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        String pointer = p.getParsingContext().pathAsPointer().toString();
        if (t == JsonToken.FIELD_NAME || !lines.containsKey(pointer)) {
          lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        }
      }
      JsonNode root = YAML.readTree(text);
      return new YamlDocument(root == null ? YAML.createObjectNode() : root, lines);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new ConfigException(source, List.of((line > 0 ? "line " + line + ": " : "") + "not valid YAML: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(source, List.of("cannot read: " + e.getMessage()));
    }
  }

  /**
   * "line N: " for a JSON pointer, or "" when unknown (e.g. defaults, embedded config). A missing
   * key has no line of its own, so it gets the line of its nearest enclosing entry (not the root).
   */
  String at(String pointer) {
    for (String p = pointer; !p.isEmpty(); p = p.substring(0, p.lastIndexOf('/'))) {
      Integer line = lines.get(p);
      if (line != null) return "line " + line + ": ";
    }
    return "";
  }
}
