package dev.switchboard.cli.encoders;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.encoder.EncoderStore;
import dev.switchboard.classifier.encoder.MiniLmEncoder;
import dev.switchboard.classifier.encoder.StaticManifest;
import dev.switchboard.cli.options.Exit;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard distill}: the static encoder, distilled once from MiniLM into the encoder store. */
@Command(
    name = "distill",
    header = "Distil the static encoder from MiniLM (once; models that use it load it from the store).",
    description = {
        "Passes every vocabulary token through the fp32 MiniLM encoder as [CLS] t [SEP], reduces the vectors by PCA and",
        "weights them by token rank (the Model2Vec recipe; no training data), and writes encoder.onnx + encoder.json to",
        "STORE/minilm-static-<dims>-<sha>/. Takes ~30 s on one core. Nothing to do when it is there already.",
        "The store is -Dswitchboard.encoders, else $SWITCHBOARD_ENCODERS, else .switchboard/encoders in the checkout."},
    mixinStandardHelpOptions = true)
public final class DistillCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dims", defaultValue = "256", description = "Embedding width, 8-384 (default ${DEFAULT-VALUE}).")
  int dims;

  @Option(names = "--store", paramLabel = "DIR", description = "Encoder store (default: see above).")
  Path store;

  @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (dims < 8 || dims > MiniLmEncoder.DIM) {
      return Exit.error(err, Exit.BAD_INPUT, "--dims must be in [8, " + MiniLmEncoder.DIM + "], got " + dims);
    }
    if (threads < 1) {
      return Exit.error(err, Exit.BAD_INPUT, "--threads must be >= 1, got " + threads);
    }
    EncoderStore s = store == null ? EncoderStore.defaults() : new EncoderStore(store);
    try {
      StaticManifest m = s.distill(dims, threads, line -> {
        o.println(line);
        o.flush();
      });
      o.printf("%s sha256 %s in %s (PCA keeps %.1f %% of the variance; distilled on %s in %s s)%n", m.id(), m.sha256(),
          s.dir(), m.json().path("pca_variance_kept").asDouble() * 100, m.json().path("cpu").asText(),
          m.json().path("distill_seconds").asText());
      o.flush();
      return 0;
    } catch (ClassifierException e) {
      return Exit.error(err, Exit.BAD_INPUT, e.getMessage());
    } catch (UncheckedIOException e) {
      return Exit.error(err, Exit.FAILED, e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
    }
  }
}
