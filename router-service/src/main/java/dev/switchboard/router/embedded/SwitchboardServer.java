package dev.switchboard.router.embedded;

import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.dataset.recorded.ParquetRecordedAnswers;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import dev.switchboard.router.Gateway;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.config.GatewayConfig;
import dev.switchboard.router.config.ServerConfig;
import dev.switchboard.router.metrics.GatewayMetrics;
import dev.switchboard.router.upstream.LatencyProfile;
import dev.switchboard.router.upstream.RecordedUpstream;
import dev.switchboard.router.upstream.RecordedUpstreamOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole gateway process as {@code switchboard serve} runs it: the in-process recorded
 * upstream when the config needs it, and the gateway. Blocking start and close, for the CLI's
 * main thread and for tests (never call from an event loop).
 */
public final class SwitchboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);

  private final Vertx vertx;
  private final Gateway gateway;
  private final RecordedUpstream recorded;

  private SwitchboardServer(Vertx vertx, Gateway gateway, RecordedUpstream recorded) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.recorded = recorded;
  }

  public static SwitchboardServer start(ServerOptions o) throws Exception {
    GatewayConfig config;
    RecordedAnswers answers = null;
    if (o.configFile() == null) {
      answers = loadAnswers(o.home());
      ModelPrices prices = ModelPrices.load(o.home().resolve("datasets").resolve("models.json"));
      config = EmbeddedDefaults.config(ServerConfig.DEFAULTS, prices, answers.models(), List.of());
    } else {
      config = ConfigParser.parseFile(o.configFile());
    }
    ServerConfig s = config.server();
    config = config.withServer(new ServerConfig(o.host() != null ? o.host() : s.host(), o.port() != null ? o.port() : s.port(),
        s.maxBodyBytes(), s.requestDeadlineMs(), s.adminKeyEnv()));

    GatewayMetrics metrics = new GatewayMetrics();
    Vertx vertx = Gateway.newVertx(metrics);
    try {
      RecordedUpstream recorded = null;
      if (config.usesInProcessRecorded()) {
        if (answers == null) answers = loadAnswers(o.home());
        RecordedUpstreamOptions ro = new RecordedUpstreamOptions("127.0.0.1", 0,
            o.realisticLatency() ? new LatencyProfile(250, 60) : LatencyProfile.NONE, Map.of());
        recorded = new RecordedUpstream(answers, ro);
        await(vertx.deployVerticle(recorded));
        config = config.withRecordedBaseUrl(recorded.baseUrl());
      }
      Gateway.Options go = Gateway.Options.of(config);
      if (o.configFile() != null) go = go.withConfigFile(o.configFile());
      Gateway gateway = await(Gateway.start(vertx, metrics, go));
      return new SwitchboardServer(vertx, gateway, recorded);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  private static RecordedAnswers loadAnswers(Path home) {
    long t0 = System.nanoTime();
    RecordedAnswers a = ParquetRecordedAnswers.load(home.resolve("datasets").resolve("recorded").resolve("answers.parquet"));
    LOG.info("recorded answers of {} models loaded in {} ms", a.models().size(), (System.nanoTime() - t0) / 1_000_000);
    return a;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public int port() {
    return gateway.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public Gateway gateway() {
    return gateway;
  }

  /** The in-process recorded upstream's base URL (…/v1), or null when the config does not use it. */
  public String recordedBaseUrl() {
    return recorded == null ? null : recorded.baseUrl();
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    await(vertx.close());
  }
}
