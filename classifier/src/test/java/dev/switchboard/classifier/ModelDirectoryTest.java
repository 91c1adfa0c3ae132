package dev.switchboard.classifier;

import dev.switchboard.classifier.base.ClassifierException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong model directory used to say only "has no card.json", whether it was a typo or the wrong folder. */
class ModelDirectoryTest {
  @TempDir Path dir;

  @Test
  void problem_saysWhichOfMissingFileOrNotAModelItIs() throws Exception {
    String expected = "expected card.json + classifier.onnx written by `./switchboard train --out DIR`";
    Path missing = dir.resolve("nope");
    assertEquals("model directory " + missing + " does not exist; fix the path (" + expected + ")", ModelDirectory.problem(missing));
    Path file = Files.writeString(dir.resolve("card.json"), "{}");
    assertEquals(file + " is a file, not a model directory (" + expected + ")", ModelDirectory.problem(file));
    Path empty = Files.createDirectories(dir.resolve("models"));
    assertEquals("model directory " + empty + " exists but has no card.json (is this a model directory? " + expected + ")",
        ModelDirectory.problem(empty));
    assertEquals(ModelDirectory.problem(empty), assertThrows(ClassifierException.class, () -> ClassifierCard.read(empty)).getMessage());
    Files.writeString(empty.resolve("card.json"), "{}");
    assertNull(ModelDirectory.problem(empty));
  }
}
