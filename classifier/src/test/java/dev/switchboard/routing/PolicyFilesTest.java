package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFilesTest {

  @TempDir Path dir;

  static Policy full() {
    return new Policy(
        "20261125T123800Z-3f2a9c1b",
        Policy.Kind.QUALITY_THRESHOLD,
        new Policy.ClassifierRef("models/default", "9f00"),
        List.of(new Policy.Candidate("small", 0.15, 0.6, 0.62), new Policy.Candidate("large", 5, 15, 0)),
        List.of(),
        Policy.Target.quality(0.95),
        new Policy.TunedOn("datasets/x.parquet", "ab12", "validation", 1234),
        new Policy.AchievedPoint("validation", 100, 0.71, 0.951, 0.0021, Map.of("small", 0.7, "large", 0.3)),
        new Policy.AchievedPoint("test", 90, 0.70, 0.948, 0.0020, Map.of("small", 0.72, "large", 0.28)),
        "2026-11-25T12:38:00Z");
  }

  @Test
  void writeThenReadIsIdentity() throws Exception {
    Path f = dir.resolve("sub/p.yaml");
    PolicyFiles.write(f, full());
    Policy back = PolicyFiles.read(f);
    assertEquals(full(), back);
    String text = Files.readString(f);
    assertEquals(true, text.contains("kind: quality-threshold"));
    assertEquals(true, text.contains("input_price_per_mtok: 0.15"));
  }

  @Test
  void difficultyPolicyRoundTrips() throws Exception {
    Policy p = new Policy("v", Policy.Kind.DIFFICULTY_THRESHOLD, new Policy.ClassifierRef("m", "s"),
        List.of(new Policy.Candidate("a", 1, 1, 0), new Policy.Candidate("b", 2, 2, 0)), List.of(0.4),
        Policy.Target.cost(0.002), null, null, null, "t");
    Path f = dir.resolve("d.yaml");
    PolicyFiles.write(f, p);
    assertEquals(p, PolicyFiles.read(f));
  }

  private String error(String yaml) {
    return assertThrows(PolicyFileException.class, () -> PolicyFiles.parse(yaml, "p.yaml")).getMessage();
  }

  static final String OK_HEAD = "version: v1\nkind: quality-threshold\nclassifier: {path: m, sha256: abc}\n";

  @Test
  void errorsNameTheField() {
    assertEquals("p.yaml: field 'candidates[1].threshold' must be a number, was 'high'",
        error(OK_HEAD + "candidates:\n - {model: a, input_price_per_mtok: 1, output_price_per_mtok: 1, threshold: 0.5}\n"
            + " - {model: b, input_price_per_mtok: 1, output_price_per_mtok: 1, threshold: high}\n"));
    assertEquals("p.yaml: field 'candidates[0].input_price_per_mtok' is required",
        error(OK_HEAD + "candidates:\n - {model: a, output_price_per_mtok: 1, threshold: 0.5}\n"));
    assertEquals("p.yaml: field 'kind' must be quality-threshold or difficulty-threshold, was 'magic'",
        error("version: v1\nkind: magic\n"));
    assertEquals("p.yaml: field 'classifier.sha256' is required",
        error("version: v1\nkind: quality-threshold\nclassifier: {path: m}\n"));
    assertEquals("p.yaml: field 'candidates[0].threshold' must be in [0, 1], was 1.5",
        error(OK_HEAD + "candidates:\n - {model: a, input_price_per_mtok: 1, output_price_per_mtok: 1, threshold: 1.5}\n"));
    assertEquals("p.yaml: field 'candidates[1].model' 'a' is already candidates[0]",
        error(OK_HEAD + "candidates:\n - {model: a, input_price_per_mtok: 1, output_price_per_mtok: 1, threshold: 1}\n"
            + " - {model: a, input_price_per_mtok: 1, output_price_per_mtok: 1, threshold: 1}\n"));
    assertEquals("p.yaml: field 'target' must set exactly one of quality or cost_usd",
        error(OK_HEAD + "candidates:\n - {model: a, input_price_per_mtok: 1, output_price_per_mtok: 1, threshold: 1}\n"
            + "target: {quality: 0.9, cost_usd: 1}\n"));
  }

  @Test
  void difficultyKindNeedsOneCutFewerThanCandidates() {
    assertEquals("p.yaml: field 'difficulty_thresholds' must have 1 values (one fewer than candidates), has 0",
        error("version: v1\nkind: difficulty-threshold\nclassifier: {path: m, sha256: abc}\ncandidates:\n"
            + " - {model: a, input_price_per_mtok: 1, output_price_per_mtok: 1}\n"
            + " - {model: b, input_price_per_mtok: 2, output_price_per_mtok: 2}\n"));
  }

  @Test
  void missingFileAndBadYamlAreClear() throws Exception {
    PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFiles.read(dir.resolve("none.yaml")));
    assertEquals("policy file " + dir.resolve("none.yaml") + " does not exist; write one with `./switchboard tune --dataset FILE"
        + " --classifier DIR --target quality=F --out " + dir.resolve("none.yaml") + "` or fix the path", e.getMessage());
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "version: [unclosed\n");
    String msg = assertThrows(PolicyFileException.class, () -> PolicyFiles.read(bad)).getMessage();
    assertEquals(true, msg.startsWith(bad + ": not valid YAML (line"), msg);
  }
}
