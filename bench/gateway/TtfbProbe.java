import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * Time to the first body byte of a streaming chat request, one request at a time on a kept-alive
 * connection (so connection setup is not part of the number). Run as a single-file program:
 * {@code java bench/gateway/TtfbProbe.java URL BODY N WARMUP}. Prints "n p50 p99 mean" in ms.
 */
public final class TtfbProbe {
  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String body = args[1];
    int n = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    double[] ms = new double[n];
    long deadline = System.nanoTime() + 120_000_000_000L; // bounded: two minutes at most
    int done = 0;
    for (int i = 0; i < warmup + n && System.nanoTime() < deadline; i++) {
      long t0 = System.nanoTime();
      HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        int first = in.read();
        long t1 = System.nanoTime();
        if (resp.statusCode() != 200 || first < 0) throw new IllegalStateException("HTTP " + resp.statusCode() + " from " + url);
        in.readAllBytes();
        if (i >= warmup) ms[done++] = (t1 - t0) / 1e6;
      }
    }
    double[] v = Arrays.copyOf(ms, done);
    Arrays.sort(v);
    double mean = Arrays.stream(v).average().orElse(Double.NaN);
    System.out.printf(java.util.Locale.ROOT, "%d %.3f %.3f %.3f%n", done, v[(int) (done * 0.5)], v[Math.min(done - 1, (int) (done * 0.99))], mean);
  }
}
