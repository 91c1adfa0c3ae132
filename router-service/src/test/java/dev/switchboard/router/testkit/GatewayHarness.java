package dev.switchboard.router.testkit;

import dev.switchboard.router.Gateway;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.ServerConfig;
import dev.switchboard.router.metrics.GatewayMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Starts a real gateway (Vert.x, HTTP on a free loopback port) from YAML text, and talks to it
 * with the JDK HTTP client, as an outside client would.
 */
public final class GatewayHarness implements AutoCloseable {
  public final Gateway gateway;
  public final GatewayMetrics metrics;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GatewayHarness(Gateway gateway, GatewayMetrics metrics) {
    this.gateway = gateway;
    this.metrics = metrics;
  }

  public static GatewayHarness start(String yaml) throws Exception {
    return start(yaml, null, o -> o);
  }

  public static GatewayHarness start(String yaml, Path file, UnaryOperator<Gateway.Options> customize) throws Exception {
    GatewayConfig parsed = ConfigParser.parse(yaml, file == null ? "test.yaml" : file.toString());
    ServerConfig s = parsed.server();
    // Tests always take a free port, whatever the YAML says.
    GatewayConfig config = new GatewayConfig(s.withHostPort("127.0.0.1", 0),
        parsed.resilience(), parsed.deployments(), parsed.routes(), parsed.classifier(), parsed.storage(), parsed.limits(), parsed.source(), parsed.cache());
    GatewayMetrics metrics = new GatewayMetrics();
    Gateway.Options o = Gateway.Options.of(config).withInstances(1).withReloadPeriodMs(100);
    if (file != null) o = o.withConfigFile(file);
    o = customize.apply(o);
    Gateway g = Gateway.start(Gateway.newVertx(metrics), metrics, o).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return new GatewayHarness(g, metrics);
  }

  public dev.switchboard.router.http.ConnectionGuard connectionGuard() {
    return gateway.connectionGuard();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public HttpResponse<String> post(String path, String body) throws Exception {
    return post(path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
  }

  public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A minimal valid chat request for {@code model}. */
  public static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    gateway.vertx().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
