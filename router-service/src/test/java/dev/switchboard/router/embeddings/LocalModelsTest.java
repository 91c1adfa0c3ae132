package dev.switchboard.router.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.classifier.encoder.Encoded;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Closing the local models while a batch runs. */
class LocalModelsTest {

  /**
   * A gateway stopped while MiniLM embedded a batch (whose client had already gone) freed the ONNX Runtime session
   * under the running call: the JVM died with SIGSEGV in libonnxruntime (found by bench/embeddings.sh). Close now
   * waits for the call, and refuses new ones.
   */
  @Test
  void close_duringABatch_waitsForItThenRefusesNewCalls() throws Exception {
    LocalModels models = new LocalModels();
    models.embed(LocalModels.MINILM, List.of("load the model first"));
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < 64; i++) batch.add(("A longer text to keep the model busy for a while, number " + i + ". ").repeat(8));
    CompletableFuture<List<Encoded>> running = CompletableFuture.supplyAsync(() -> models.embed(LocalModels.MINILM, batch));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> models.busy() > 0);
    models.close();
    assertEquals(0, models.busy(), "close returned only after the running batch");
    // closed under it, the batch would fail ("encoder is closed") or take the JVM down
    assertEquals(64, running.get(30, TimeUnit.SECONDS).size());
    assertThrows(IllegalStateException.class, () -> models.embed(LocalModels.MINILM, List.of("after close")));
  }
}
