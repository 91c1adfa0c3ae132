package dev.switchboard.router.tracing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * An OTLP/HTTP trace receiver on loopback: {@code POST /v1/traces} with an {@code ExportTraceServiceRequest} in
 * protobuf, answered as the spec says (200, an empty {@code ExportTraceServiceResponse}). Keeps what it decoded. Also
 * runnable on its own ({@link #main}) as the sink of the tracing benchmark.
 */
public final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<Span> spans = new ArrayList<>();
  private final List<String> contentTypes = new ArrayList<>();
  private final boolean keep;
  private String serviceName;
  private long received;

  private OtlpReceiver(HttpServer server, boolean keep) {
    this.server = server;
    this.keep = keep;
  }

  public static OtlpReceiver start() throws IOException {
    return start(0, true);
  }

  /** @param keep whether decoded spans are kept (a benchmark sink only counts them) */
  public static OtlpReceiver start(int port, boolean keep) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    OtlpReceiver r = new OtlpReceiver(http, keep);
    http.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(in);
        r.accept(req, exchange.getRequestHeaders().getFirst("content-type"));
        byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("content-type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
        if (ok.length > 0) exchange.getResponseBody().write(ok);
      } catch (IOException | RuntimeException e) {
        exchange.sendResponseHeaders(400, -1);
      } finally {
        exchange.close();
      }
    });
    http.start();
    return r;
  }

  private synchronized void accept(ExportTraceServiceRequest req, String contentType) {
    contentTypes.add(contentType);
    for (ResourceSpans rs : req.getResourceSpansList()) {
      rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
          .forEach(a -> serviceName = a.getValue().getStringValue());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        received += ss.getSpansCount();
        if (keep) spans.addAll(ss.getSpansList());
      }
    }
  }

  /** The base URL for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the exporter appends /v1/traces). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public synchronized List<Span> spans() {
    return List.copyOf(spans);
  }

  public synchronized long received() {
    return received;
  }

  public synchronized List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  public synchronized String serviceName() {
    return serviceName;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** {@code OtlpReceiver PORT}: a sink for benchmarks; prints the span count each 5 s until killed. */
  public static void main(String[] args) throws Exception {
    OtlpReceiver r = start(Integer.parseInt(args[0]), false);
    System.out.println("OTLP receiver on " + r.endpoint() + "/v1/traces");
    for (int i = 0; i < 720; i++) { // an hour at most
      Thread.sleep(5_000);
      System.out.println("spans received: " + r.received());
    }
    r.close();
  }
}
