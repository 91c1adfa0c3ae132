package dev.switchboard.eval.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.router.config.ConfigParser;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.routing.Policy;
import dev.switchboard.routing.PolicyFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue "A router that earns its keep", the demo loop's side: its router runs with the deadline it is
 * given, and its traffic is the test split only, each prompt once. The demo command's side (the
 * deadline option is serve's): switchboard-cli, {@code DemoOptionsTest}.
 */
class DemoLoopOptionsTest {

  @Test
  void theRoutersConfig_carriesTheDeadline() {
    Path home = SwitchboardHome.find();
    Policy live = PolicyFiles.read(home.resolve("policies/default.yaml"));
    String yaml = DemoLoop.config(live, home.resolve("models/default"), home.resolve("policies/default.yaml"), 73);
    assertEquals(73, ConfigParser.parse(yaml, "demo.yaml").classifier().scoringDeadlineMs());
  }

  @Test
  void pickPrompts_moreThanTheTestSplitHolds_sendsEachTestPromptOnceAndSaysSo() {
    Path home = SwitchboardHome.find();
    Path dataset = home.resolve("datasets/alpacaeval2.parquet");
    RoutingDataset ds = RoutingDatasets.load(dataset);
    List<String> candidates = PolicyFiles.read(home.resolve("policies/default.yaml")).candidates().stream().map(Policy.Candidate::model).toList();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<RoutingDataset.Prompt> all = DemoLoop.pickPrompts(ds, candidates, 100_000, 1, dataset, new PrintStream(buf, true, StandardCharsets.UTF_8));

    Set<String> ids = new HashSet<>();
    all.forEach(p -> ids.add(p.promptId()));
    assertEquals(all.size(), ids.size(), "no prompt twice");
    assertTrue(all.stream().allMatch(p -> p.split().equals("test")), "test split only");
    assertEquals(ds.prompts("test").stream().filter(p -> candidates.stream().allMatch(c -> p.quality(c).isPresent())).count(), all.size());
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("note: the test split of " + dataset + " has " + all.size()
        + " prompts answered by every candidate; sending each once (" + all.size() + " requests per pass, not 100000"), buf.toString());

    List<RoutingDataset.Prompt> some = DemoLoop.pickPrompts(ds, candidates, 10, 1, dataset, new PrintStream(new ByteArrayOutputStream()));
    assertEquals(10, some.size());
    assertEquals(some, DemoLoop.pickPrompts(ds, candidates, null, 1, dataset, new PrintStream(new ByteArrayOutputStream())).subList(0, 10),
        "the default (all) is the same seeded order");
  }
}
