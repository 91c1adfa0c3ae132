package dev.switchboard.router.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.router.providers.chat.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * What makes two requests "the same"
 * ----------------------------------
 * Exact: the request body as a canonical JSON (object fields sorted, so key order does not matter) without the fields
 * that do not change the answer (stream, stream_options, user), under the tenant and the model or route the client
 * named. Everything else counts: every message, tools, tool_choice, response_format, temperature, top_p, seed, n,
 * max_tokens, stop.
 *
 * Semantic: the same, except the last user turn, which may be worded differently. So the bucket is the canonical
 * body with the messages before the last one (system prompt and earlier turns: identical), the tools and the
 * sampling parameters, plus the numbers of the last user turn in order ("2 + 3" and "2 + 4" never share a bucket).
 * Within a bucket the index compares embeddings of the last user turn; the named entities are compared pairwise
 * afterwards (Entities), since "France" and "france" are the same entity but only one looks like one.
 */
/**
 * A request's cache identity.
 *
 * @param tenant whose cache it is
 * @param exactKey hex SHA-256 of the tenant and the canonical request
 * @param bucketKey hex SHA-256 of the tenant and the request but for the last user turn's wording; null when the
 *     request cannot be matched semantically (the last message is not a user turn of plain text)
 * @param lastTurn the last user turn's text, or null
 */
public record Fingerprint(String tenant, String exactKey, String bucketKey, String lastTurn) {

  /** Body fields that do not change the answer. */
  private static final Set<String> IGNORED = Set.of("stream", "stream_options", "user");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");

  /**
   * The fingerprint of {@code body} (a validated chat request without its {@code switchboard} field).
   *
   * @param tenant whose cache
   * @param body the request body
   * @param semantic whether to compute the semantic bucket too
   * @return the fingerprint
   */
  public static Fingerprint of(String tenant, ObjectNode body, boolean semantic) {
    String exact = sha256(tenant, "exact", body, null, null);
    if (!semantic) return new Fingerprint(tenant, exact, null, null);
    JsonNode messages = body.get("messages");
    if (!(messages instanceof ArrayNode list) || list.isEmpty()) return new Fingerprint(tenant, exact, null, null);
    JsonNode last = list.get(list.size() - 1);
    String text = last.path("role").asText().equals("user") ? text(last.get("content")) : null;
    if (text == null) return new Fingerprint(tenant, exact, null, null);
    return new Fingerprint(tenant, exact, sha256(tenant, "semantic", body, list, numbers(text)), text);
  }

  /** The numbers of {@code text}, in order, thousands separators dropped ("1,000" = "1000"). */
  static List<String> numbers(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = NUMBER.matcher(text);
    while (m.find()) out.add(m.group().replace(",", ""));
    return out;
  }

  /** A message's text: a string, or text parts only (any other part: null, not matched semantically). */
  private static String text(JsonNode content) {
    if (content == null) return null;
    if (content.isTextual()) return content.asText();
    if (!content.isArray()) return null;
    StringBuilder b = new StringBuilder();
    for (JsonNode part : content) {
      if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) return null;
      if (b.length() > 0) b.append('\n');
      b.append(part.path("text").asText());
    }
    return b.toString();
  }

  private static String sha256(String tenant, String kind, ObjectNode body, ArrayNode messages, List<String> numbers) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
      g.writeStartArray();
      g.writeString(tenant);
      g.writeString(kind);
      g.writeStartObject();
      Iterator<String> names = new TreeSet<String>(iterable(body.fieldNames())).iterator();
      while (names.hasNext()) {
        String f = names.next();
        if (IGNORED.contains(f)) continue;
        g.writeFieldName(f);
        if (messages != null && f.equals("messages")) {
          g.writeStartArray();
          for (int i = 0; i < messages.size() - 1; i++) canonical(g, messages.get(i));
          g.writeEndArray();
        } else {
          canonical(g, body.get(f));
        }
      }
      g.writeEndObject();
      if (numbers != null) {
        g.writeStartArray();
        for (String n : numbers) g.writeString(n);
        g.writeEndArray();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code n} with every object's fields in name order. */
  private static void canonical(JsonGenerator g, JsonNode n) throws IOException {
    if (n.isObject()) {
      g.writeStartObject();
      for (String f : new TreeSet<String>(iterable(n.fieldNames()))) {
        g.writeFieldName(f);
        canonical(g, n.get(f));
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray();
      for (JsonNode e : n) canonical(g, e);
      g.writeEndArray();
    } else {
      g.writeTree(n);
    }
  }

  private static <T> List<T> iterable(Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
