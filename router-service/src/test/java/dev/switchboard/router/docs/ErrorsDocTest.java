package dev.switchboard.router.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.router.providers.contract.ErrorKind;
import dev.switchboard.router.providers.contract.UpstreamError;
import dev.switchboard.router.testkit.GatewayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/errors.md true to the gateway: every error code, type and status the main sources
 * can emit is in the codes table (and the table lists nothing else), every response header is
 * documented, the retry table matches {@link ErrorKind} and the executor's rules, the examples
 * are well-formed, and a real gateway answers as the table says.
 */
class ErrorsDocTest {
  private static final String DOC = "docs/errors.md";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One {@code ApiError} construction found in the main sources. */
  record Emitted(String file, String code, String type, Integer status) {}

  /** A row of the codes table. */
  record Row(String status, String type, String code) {}

  @Test
  void everyEmittedErrorCodeIsDocumentedAndNothingElse() {
    List<Emitted> emitted = scanSources();
    Map<String, List<Row>> documented = documentedRows();
    Set<String> emittedCodes = new TreeSet<>();
    for (Emitted e : emitted) {
      emittedCodes.add(e.code());
      List<Row> rows = documented.get(e.code());
      assertNotNull(rows, DOC + " does not document the error code '" + e.code() + "' emitted in " + e.file());
      if (e.type() != null) {
        assertTrue(rows.stream().anyMatch(r -> r.type().equals(e.type())),
            DOC + ": code '" + e.code() + "' is emitted with type '" + e.type() + "' (" + e.file() + ") but documented as " + rows);
      }
      if (e.status() != null) {
        assertTrue(rows.stream().anyMatch(r -> r.status().contains(Integer.toString(e.status()))),
            DOC + ": code '" + e.code() + "' is emitted with HTTP " + e.status() + " (" + e.file() + ") but documented as " + rows);
      }
    }
    for (String code : documented.keySet()) {
      assertTrue(emittedCodes.contains(code), DOC + " documents the code '" + code + "', which no main source emits any more");
    }
    assertTrue(emittedCodes.size() >= 18, "scanner found too few codes: " + emittedCodes);
  }

  @Test
  void everyGatewayHeaderIsDocumented() {
    String doc = DocFiles.read(DOC);
    Set<String> headers = new TreeSet<>();
    Pattern p = Pattern.compile("\"(x-switchboard-[a-z-]+|x-request-id)\"");
    for (Path f : mainSources()) {
      Matcher m = p.matcher(readFile(f));
      while (m.find()) headers.add(m.group(1));
    }
    assertTrue(headers.size() >= 12, "headers found: " + headers);
    for (String h : headers) assertTrue(doc.contains("`" + h + "`"), DOC + " does not document the header " + h);
  }

  @Test
  void theRetryTableMatchesErrorKindsAndTheExecutorsRules() throws Exception {
    Class<?> failure = Class.forName("dev.switchboard.router.chat.AttemptFailure");
    Constructor<?> ctor = failure.getDeclaredConstructor(UpstreamError.class);
    ctor.setAccessible(true);
    Method retrySame = method(failure, "retrySame");
    Method tryNext = method(failure, "tryNext");
    Method counts = method(failure, "countsForBreaker");
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (List<String> row : DocFiles.tableRows(DocFiles.section(DocFiles.read(DOC), "Retries, fallbacks and the circuit breaker"))) {
      rows.put(DocFiles.firstCode(row.get(0)), row);
    }
    for (ErrorKind k : ErrorKind.values()) {
      String outcome = k.name().toLowerCase(Locale.ROOT);
      List<String> row = rows.remove(outcome);
      assertNotNull(row, DOC + ": the retry table has no row for error kind '" + outcome + "'");
      Object f = ctor.newInstance(new UpstreamError(k, 0, "x"));
      assertEquals(retrySame.invoke(f), row.get(2).startsWith("yes"), outcome + ": 'retried' column is wrong: " + row);
      assertEquals(tryNext.invoke(f), row.get(3).startsWith("yes"), outcome + ": 'next deployment' column is wrong: " + row);
      assertEquals(counts.invoke(f), row.get(4).startsWith("yes"), outcome + ": 'counts for the breaker' column is wrong: " + row);
    }
    assertTrue(rows.isEmpty(), DOC + ": the retry table documents kinds that do not exist: " + rows.keySet());
  }

  @Test
  void everyJsonExampleIsAnErrorOfTheCodesTable() throws Exception {
    String doc = DocFiles.read(DOC);
    Map<String, List<Row>> documented = documentedRows();
    List<String> blocks = DocFiles.fencedBlocks(doc, "json");
    assertTrue(blocks.size() >= 10, "json examples: " + blocks.size());
    for (String block : blocks) checkExample(block, documented);
    // The mid-stream SSE event too.
    Matcher sse = Pattern.compile("(?m)^data: (\\{\"error\".*)$").matcher(DocFiles.section(doc, "Streams"));
    assertTrue(sse.find(), "the Streams section shows the SSE error event");
    assertEquals("stream_interrupted", checkExample(sse.group(1), documented));
  }

  /** A real gateway answers bad input and dead upstreams with the status, type and code of the table. */
  @Test
  void aRealGatewayAnswersAsTheTableSays() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: connections are refused
    }
    Map<String, List<Row>> documented = documentedRows();
    try (GatewayHarness gw = GatewayHarness.start("""
        server: { max_body_bytes: 2048 }
        resilience: { backoff_base_ms: 1, backoff_max_ms: 2 }
        deployments:
          - { name: a, provider: openai, base_url: "http://127.0.0.1:%d/v1", api_key_env: SWITCHBOARD_DOC_TEST_UNSET_KEY }
          - { name: b, provider: openai, base_url: "http://127.0.0.1:%d/v1", max_retries: 1 }
        routes:
          - { alias: smart, deployments: [a, b] }
        """.formatted(deadPort, deadPort), null, o -> o.withEnv(name -> null))) {
      String ok = "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
      expect(documented, gw.post("/v1/chat/completions", "{\"model\": \"smart\", \"messages\": ["), "invalid_json");
      expect(documented, gw.post("/v1/chat/completions", "{\"model\":\"smart\"}"), "missing_required_parameter");
      expect(documented, gw.post("/v1/chat/completions", ok.replace("\"x\"}]", "\"x\"}],\"temperature\":9")), "invalid_value");
      expect(documented, gw.post("/v1/chat/completions", ok.replace("\"smart\"", "\"gpt-9\"")), "model_not_found");
      expect(documented, gw.post("/v1/chat/completions", "x".repeat(4096)), "request_too_large");
      expect(documented, gw.get("/v1/nothing"), "unknown_url");
      expect(documented, gw.get("/v1/chat/completions"), "unknown_url");
      HttpResponse<String> r = gw.post("/v1/chat/completions", ok);
      JsonNode e = expect(documented, r, "all_upstreams_failed");
      assertEquals(List.of("auth", "connect", "connect"), e.path("attempts").findValuesAsText("outcome"), r.body());
      assertEquals("3", r.headers().firstValue("x-switchboard-attempts").orElse(null));
      assertTrue(r.headers().firstValue("x-request-id").isPresent());
      assertTrue(r.headers().firstValue("x-switchboard-overhead-ms").isPresent());
      HttpResponse<String> unknown = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/models"))
          .DELETE().build(), HttpResponse.BodyHandlers.ofString());
      expect(documented, unknown, "unknown_url");
    }
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode expect(Map<String, List<Row>> documented, HttpResponse<String> r, String code) throws Exception {
    JsonNode e = JSON.readTree(r.body()).path("error");
    assertEquals(code, e.path("code").asText(), r.body());
    List<Row> rows = documented.get(code);
    assertNotNull(rows, code);
    String status = Integer.toString(r.statusCode());
    assertTrue(rows.stream().anyMatch(row -> row.status().contains(status) && row.type().equals(e.path("type").asText())),
        "real answer HTTP " + status + " " + r.body() + " is not documented: " + rows);
    return e;
  }

  private static String checkExample(String json, Map<String, List<Row>> documented) throws IOException {
    JsonNode e = JSON.readTree(json).path("error");
    for (String f : List.of("message", "type", "param", "code")) assertTrue(e.has(f), "example lacks error." + f + ": " + json);
    String code = e.path("code").asText();
    List<Row> rows = documented.get(code);
    assertNotNull(rows, "example with undocumented code " + code + ": " + json);
    assertTrue(rows.stream().anyMatch(r -> r.type().equals(e.path("type").asText())), "example type disagrees with the table: " + json);
    return code;
  }

  private static Method method(Class<?> c, String name) throws NoSuchMethodException {
    Method m = c.getDeclaredMethod(name);
    m.setAccessible(true);
    return m;
  }

  /** The codes table of the doc, by code. */
  static Map<String, List<Row>> documentedRows() {
    Map<String, List<Row>> out = new TreeMap<>();
    for (List<String> row : DocFiles.tableRows(DocFiles.section(DocFiles.read(DOC), "Error codes"))) {
      String code = DocFiles.firstCode(row.get(2));
      assertNotNull(code, "codes table row without a code: " + row);
      out.computeIfAbsent(code, k -> new ArrayList<>()).add(new Row(row.get(0), DocFiles.firstCode(row.get(1)), code));
    }
    return out;
  }

  static List<Path> mainSources() {
    Path main = DocFiles.repoRoot().resolve("router-service/src/main/java");
    try (Stream<Path> s = Files.walk(main)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readFile(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every {@code new ApiError(status, type, message, param, code, attempts)} and
   * {@code ApiError.invalidRequest(message, param, code)} in the main sources, with the string
   * literals of its code argument (both branches of a conditional). A code that is neither a
   * literal nor null fails the scan, so a new way of building codes cannot slip past the docs.
   */
  static List<Emitted> scanSources() {
    List<Emitted> out = new ArrayList<>();
    Pattern call = Pattern.compile("new ApiError\\(|ApiError\\.invalidRequest\\(");
    for (Path f : mainSources()) {
      String src = readFile(f);
      String name = f.getFileName().toString();
      Matcher m = call.matcher(src);
      while (m.find()) {
        boolean full = m.group().startsWith("new");
        List<String> args = arguments(src, m.end());
        String codeArg = args.get(full ? 4 : 2).trim();
        List<String> codes = literals(codeArg);
        if (codes.isEmpty()) {
          // The factory ApiError.invalidRequest passes its own parameter through; its callers are scanned.
          boolean passThrough = name.equals("ApiError.java") && codeArg.equals("code");
          assertTrue(codeArg.equals("null") || passThrough, name + ": an ApiError whose code is not a string literal: " + codeArg);
          continue;
        }
        String type = full ? single(literals(args.get(1))) : "invalid_request_error";
        Integer status = full ? (args.get(0).trim().matches("\\d{3}") ? Integer.valueOf(args.get(0).trim()) : null) : Integer.valueOf(400);
        for (String c : codes) out.add(new Emitted(name, c, type, codes.size() == 1 ? status : null));
      }
    }
    return out;
  }

  private static String single(List<String> l) {
    return l.size() == 1 ? l.get(0) : null;
  }

  /** String literals in a Java expression. */
  private static List<String> literals(String expr) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(expr);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** The top-level arguments of a call whose opening parenthesis ends just before {@code from}. */
  private static List<String> arguments(String src, int from) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (int i = from; i < src.length(); i++) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') { // copy a literal whole: commas and parentheses inside do not count
        int j = i + 1;
        while (src.charAt(j) != c) j += src.charAt(j) == '\\' ? 2 : 1;
        cur.append(src, i, j + 1);
        i = j;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') depth++;
      if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          args.add(cur.toString());
          return args;
        }
        depth--;
      }
      if (c == ',' && depth == 0) {
        args.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    throw new IllegalStateException("unbalanced call");
  }
}
