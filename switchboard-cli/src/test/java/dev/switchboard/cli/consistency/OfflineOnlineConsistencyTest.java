package dev.switchboard.cli.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cli.SwitchboardCli;
import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.RoutingDataset.Prompt;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.router.embedded.ServerOptions;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.requestlog.CaptureMode;
import dev.switchboard.router.testkit.ShippedAutoRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that the harness's numbers mean something in production: every test-split prompt of
 * AlpacaEval 2.0 goes through the live {@code auto} route (recorded provider), and the decisions,
 * quality and cost must equal what {@code switchboard eval --policy} predicted for the same policy.
 */
class OfflineOnlineConsistencyTest {
  @TempDir Path dir;

  @Test
  void theLiveRouterDeliversWhatTheHarnessPredicted() throws Exception {
    Path home = SwitchboardHome.find();
    Path dataset = home.resolve("datasets/alpacaeval2.parquet");
    Path policy = home.resolve("policies/default.yaml");
    Path out = dir.resolve("report");
    int rc = SwitchboardCli.commandLine().execute("eval", "--dataset", dataset.toString(), "--classifier", home.resolve("models/default").toString(),
        "--policy", policy.toString(), "--split", "test", "--bootstrap", "50", "--cache-dir", dir.resolve("cache").toString(), "--out", out.toString());
    assertEquals(0, rc);

    Map<String, String> predictedModel = new HashMap<>();
    double predictedQuality = 0, predictedCost = 0;
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT prompt_id, policy_model, policy_quality, policy_cost_usd FROM '" + out.resolve("decisions.parquet") + "'")) {
      while (rs.next()) {
        predictedModel.put(rs.getString(1), rs.getString(2));
        predictedQuality += rs.getDouble(3);
        predictedCost += rs.getDouble(4);
      }
    }

    RoutingDataset ds = RoutingDatasets.load(dataset);
    List<Prompt> test = ds.prompts("test");
    assertEquals(test.size(), predictedModel.size(), "one offline decision per test prompt");

    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, ShippedAutoRoute.yaml(home, policy, 30_000, ""));
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    double liveQuality = 0, liveCost = 0;
    int disagreements = 0;
    StringBuilder diffs = new StringBuilder();
    try (SwitchboardServer server = SwitchboardServer.start(new ServerOptions(config, "127.0.0.1", 0, false, home, dir.resolve("data"),
        false, null, 0, "t", CaptureMode.NONE))) {
      for (Prompt p : test) {
        ObjectNode body = json.createObjectNode().put("model", "auto");
        body.putArray("messages").addObject().put("role", "user").put("content", p.prompt());
        if (p.category() != null) body.putObject("switchboard").put("category", p.category());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String model = r.headers().firstValue("x-switchboard-model").orElseThrow();
        assertEquals(model, r.headers().firstValue("x-switchboard-deployment").orElseThrow(), "no fallback happened");
        if (!model.equals(predictedModel.get(p.promptId()))) {
          disagreements++;
          diffs.append(p.promptId()).append(": live ").append(model).append(" vs offline ").append(predictedModel.get(p.promptId())).append('\n');
        }
        liveQuality += p.quality(model).orElseThrow();
        liveCost += Double.parseDouble(r.headers().firstValue("x-switchboard-cost-usd").orElseThrow());
      }
    }
    assertEquals(0, disagreements, "same decision for every prompt:\n" + diffs);
    assertEquals(predictedQuality, liveQuality, 1e-9, "total quality");
    assertEquals(predictedCost, liveCost, Math.max(1e-6, predictedCost * 1e-4), "total cost within rounding");
    assertTrue(predictedCost > 0);
  }
}
