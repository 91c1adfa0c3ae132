package dev.switchboard.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Loading and scoring needs no network: a fresh JVM with an empty DJL cache and HOME, offline
 * mode on, makes zero connection attempts (recorded by {@link OfflineProbe}). The shipped default
 * uses the static encoder, so this covers the encoder store, the Java tokenizer and both ONNX graphs.
 */
class OfflineLoadTest {

  @Test
  void loadsAndScoresWithEmptyDjlCacheAndNoNetwork() throws Exception {
    Path tmp = Files.createTempDirectory("sb-offline");
    Path model = DefaultModelTest.repo().resolve("models/default");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Dai.djl.offline=true", "-Duser.home=" + tmp,
        "-Dswitchboard.encoders=" + dev.switchboard.classifier.encoder.EncoderStore.defaults().dir().toAbsolutePath(),
        "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), OfflineProbe.class.getName(), model.toString());
    pb.environment().put("DJL_CACHE_DIR", tmp.resolve("djl-cache").toString());
    pb.environment().put("ENGINE_CACHE_DIR", tmp.resolve("engine-cache").toString());
    pb.environment().put("HOME", tmp.toString());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "probe finished");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("difficulty="), text);
    List<String> lines = text.lines().filter(l -> l.startsWith("network-attempts=")).toList();
    assertEquals(List.of("network-attempts=0 []"), lines, text);
  }
}
