package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.embedded.SwitchboardHome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "A router that earns its keep", errors that say what is wrong: a missing policy file was
 * reported as its bare path and a wrong model directory as "has no card.json", whether it was a
 * typo or a folder that is not a model. Each now says what is wrong, under which config key or
 * option, and what to do; all are bad input (exit 2).
 */
class MissingInputFilesTest {
  private static final String EXPECTED_MODEL = "expected card.json + classifier.onnx written by `./switchboard train --out DIR`";
  @TempDir Path dir;

  @Test
  void serve_configNamingAMissingPolicyAndANonModelFolder_exits2NamingBothKeys() throws Exception {
    Files.createDirectories(dir.resolve("models")); // a folder, but not a model directory
    Path config = Files.writeString(dir.resolve("switchboard.yaml"), """
        classifier: { path: models }
        deployments:
          - { name: cheap, provider: recorded }
          - { name: strong, provider: recorded }
        routes:
          - { alias: smart, deployments: [cheap, strong] }
          - { alias: auto, type: eval-driven, policy: policies/x.yaml, default: strong, deployments: [cheap, strong] }
        """);
    CliRun r = CliRun.switchboard("serve", "--config", config.toString(), "--port", "0", "--no-request-log",
        "--data-dir", dir.resolve("data").toString());
    assertEquals(2, r.code(), r.err());
    Path policy = dir.resolve("policies/x.yaml");
    assertTrue(r.err().contains("invalid configuration " + config + ":"), r.err());
    assertTrue(r.err().contains("- routes[1] (auto).policy: policy file " + policy + " does not exist; write one with "
        + "`./switchboard tune --dataset FILE --classifier DIR --target quality=F --out " + policy + "` or fix the path"
        + " (relative paths are relative to the config file's folder)"), r.err());
    assertTrue(r.err().contains("- classifier.path: model directory " + dir.resolve("models") + " exists but has no card.json"
        + " (is this a model directory? " + EXPECTED_MODEL + ")"), r.err());
    assertFalse(r.out().contains("listening"), "nothing started: " + r.out());
  }

  @Test
  void serve_missingConfigFile_exits2() {
    CliRun r = CliRun.switchboard("serve", "--config", dir.resolve("nope.yaml").toString(), "--port", "0", "--no-request-log");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(dir.resolve("nope.yaml") + ":\n  - the file does not exist; write one"), r.err());
  }

  @Test
  void tune_classifierThatIsNotThereOrNotAModel_exits2SayingWhich() throws Exception {
    Path home = SwitchboardHome.find();
    String dataset = home.resolve("datasets/alpacaeval2.parquet").toString();
    Path typo = dir.resolve("models/defualt");
    CliRun missing = CliRun.switchboard("tune", "--dataset", dataset, "--classifier", typo.toString(), "--target", "quality=0.9",
        "--out", dir.resolve("p.yaml").toString());
    assertEquals(2, missing.code(), missing.err());
    assertEquals("error: --classifier: model directory " + typo + " does not exist; fix the path (" + EXPECTED_MODEL + ")",
        missing.err().strip());

    Path parent = Files.createDirectories(dir.resolve("models"));
    CliRun notAModel = CliRun.switchboard("tune", "--dataset", dataset, "--classifier", parent.toString(), "--target", "quality=0.9",
        "--out", dir.resolve("p.yaml").toString());
    assertEquals(2, notAModel.code(), notAModel.err());
    assertEquals("error: --classifier: model directory " + parent + " exists but has no card.json (is this a model directory? "
        + EXPECTED_MODEL + ")", notAModel.err().strip());
    assertFalse(Files.exists(dir.resolve("p.yaml")));
  }

  @Test
  void eval_missingPolicy_exits2WithHowToWriteOne() {
    Path home = SwitchboardHome.find();
    Path policy = dir.resolve("policies/mine.yaml");
    CliRun r = CliRun.switchboard("eval", "--dataset", home.resolve("datasets/alpacaeval2.parquet").toString(),
        "--classifier", home.resolve("models/default").toString(), "--policy", policy.toString(), "--out", dir.resolve("report").toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("error: --policy: policy file " + policy + " does not exist; write one with `./switchboard tune --dataset FILE"
        + " --classifier DIR --target quality=F --out " + policy + "` or fix the path", r.err().strip());
  }
}
