package dev.switchboard.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #17: {@code switchboard config validate FILE} through the command line. */
class ConfigValidateCommandTest {
  @TempDir Path dir;

  @Test
  void aValidFile_exitsZero_andSaysWhatItHolds() throws Exception {
    Path f = dir.resolve("ok.yaml");
    Files.writeString(f, """
        server: { port: 8080, access_log: false }
        deployments:
          - { name: a, provider: openai, base_url: "http://127.0.0.1:9/v1", model: m }
          - { name: b, provider: anthropic, base_url: "http://127.0.0.1:9", model: claude }
        routes:
          - { alias: both, deployments: [a, b] }
        """);
    CliRun r = CliRun.switchboard("config", "validate", f.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(f + ": valid (2 deployments, 1 routes)", r.out().trim());
    assertEquals("", r.err());
  }

  @Test
  void aFileWithProblems_exitsOne_listingEveryProblemWithItsLine() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, """
        server:
          port: 99999
          drain_timeout_ms: lots
        deployments:
          - { name: a, provider: openaii, model: m }
        routes:
          - { alias: r, deployments: [a, missing] }
        colour: blue
        """);
    CliRun r = CliRun.switchboard("config", "validate", f.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    String[] lines = r.err().strip().split("\n");
    assertTrue(lines[0].startsWith(f + ": ") && lines[0].endsWith(" problems"), r.err());
    assertEquals(lines.length - 1, Integer.parseInt(lines[0].replaceAll(".*: (\\d+) problems", "$1")), r.err());
    assertTrue(r.err().contains("line 2: ") && r.err().contains("port"), r.err());
    assertTrue(r.err().contains("line 3: ") && r.err().contains("drain_timeout_ms"), r.err());
    assertTrue(r.err().contains("line 5: ") && r.err().contains("openaii"), r.err());
    assertTrue(r.err().contains("line 7: ") && r.err().contains("missing"), r.err());
    assertTrue(r.err().contains("line 8: ") && r.err().contains("colour"), r.err());
    for (int i = 1; i < lines.length; i++) assertTrue(lines[i].startsWith("  - line "), "every problem has its line: " + lines[i]);
  }

  @Test
  void anEvalDrivenRouteWhosePolicyFileIsMissing_isAProblem() throws Exception {
    Path f = dir.resolve("eval.yaml");
    Files.writeString(f, """
        deployments:
          - { name: a, provider: openai, base_url: "http://127.0.0.1:9/v1", model: m }
        routes:
          - { alias: auto, type: eval-driven, deployments: [a], policy: no-such-policy.yaml, default: a }
        classifier: { path: no-such-model }
        """);
    CliRun r = CliRun.switchboard("config", "validate", f.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("no-such-policy.yaml") && r.err().contains("classifier.path"), r.err());
  }

  @Test
  void aMissingFile_exitsOne_sayingSo() {
    CliRun r = CliRun.switchboard("config", "validate", dir.resolve("absent.yaml").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("does not exist"), r.err());
  }
}
