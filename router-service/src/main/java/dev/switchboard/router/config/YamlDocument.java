package dev.switchboard.router.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
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
    List<String> duplicates = new ArrayList<>();
    java.util.Set<String> seenAsKey = new java.util.HashSet<>();
    try (JsonParser p = YAML.getFactory().createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        String pointer = p.getParsingContext().pathAsPointer().toString();
        int line = p.currentTokenLocation().getLineNr();
        if (t == JsonToken.FIELD_NAME) {
          // A key's pointer is unique within its mapping, so seeing one twice is a repeated key.
          // YAML says keys are unique; a parser that keeps the last one silently (Jackson's
          // default) would let "port: 1 ... port: 2" mean 2 without a word.
          Integer first = lines.get(pointer);
          if (first != null && seenAsKey.contains(pointer)) {
            duplicates.add("line " + line + ": " + dotted(pointer) + ": duplicate key (first set on line " + first + ")");
          }
          seenAsKey.add(pointer);
        }
        if (t == JsonToken.FIELD_NAME || !lines.containsKey(pointer)) {
          lines.putIfAbsent(pointer, line);
        }
      }
      if (!duplicates.isEmpty()) {
        throw new ConfigException(source, duplicates);
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

  /** {@code /deployments/0/name} as the config's problems name it: {@code deployments[0].name}. */
  static String dotted(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.substring(1).split("/")) {
      String key = part.replace("~1", "/").replace("~0", "~");
      if (!key.isEmpty() && key.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(key).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(key);
      }
    }
    return sb.toString();
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
