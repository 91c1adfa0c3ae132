package dev.switchboard.cli.loop;

import dev.switchboard.cli.options.Exit;
import dev.switchboard.cli.tune.TuneCommand;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import dev.switchboard.eval.loop.PolicyPublisher;
import dev.switchboard.eval.loop.Retrain;
import dev.switchboard.eval.loop.Retune;
import dev.switchboard.eval.run.EvalException;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.routing.PolicyFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard retune}: new thresholds for the live policy from replayed outcomes, compared with the live one. */
@Command(name = "retune", mixinStandardHelpOptions = true,
    header = "Retune the live policy on replayed outcomes; write policy.yaml and a live-vs-new comparison.",
    description = {
        "Tunes against the live policy's classifier (same sha256) so the router accepts the result. --holdout of the",
        "prompts (stable hash of the prompt id) are kept out of tuning and reported separately.",
        "Writes DIR/policy.yaml, DIR/comparison.md and DIR/comparison.json; --publish URL then installs the policy",
        "(--publish FILE: writes it over the policy file a local router watches).",
        "--retrain first trains a new classifier on the tuning prompts (+ --train-with rows) into DIR/model/ and tunes",
        "for it; the new pair is kept (and published) only if it is not worse on both axes on the held-out prompts.",
        "Exit codes: 0 done, 1 failure, 2 bad input, 3 the router refused the policy or classifier."})
public final class RetuneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--outcomes", required = true, paramLabel = "FILE", description = "runs/ID/outcomes.parquet from replay.")
  Path outcomes;

  @Option(names = "--live-policy", required = true, paramLabel = "FILE", description = "The policy the router serves now.")
  Path livePolicy;

  @Option(names = "--classifier", paramLabel = "DIR", description = "Classifier directory (default: the live policy's classifier.path).")
  Path classifier;

  @Option(names = "--target", required = true, paramLabel = "quality=F|cost=USD", description = "Tuning target.")
  String target;

  @Mixin RetrainOptions retrainOptions = new RetrainOptions();

  @Mixin PublishOptions publishOptions = new PublishOptions();

  @Option(names = "--holdout", defaultValue = "0.3", description = "Fraction of prompts held out of tuning (default: ${DEFAULT-VALUE}).")
  double holdout;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: the outcomes file's directory).")
  Path out;

  @Option(names = "--cache-dir", defaultValue = ".cache/switchboard", paramLabel = "DIR", description = "Classifier score cache (default: ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(names = "--seed", defaultValue = "42", description = "With --retrain: training seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!retrainOptions.retrain && (retrainOptions.trainWith != null || spec.commandLine().getParseResult().hasMatchedOption("--seed"))) {
      return Exit.error(err, Exit.BAD_INPUT, "--train-with and --seed go with --retrain");
    }
    return retuneAndPublish(outcomes, livePolicy, classifier, target, holdout, out, cacheDir, publishOptions,
        retrainOptions.toOptions(seed), o, err);
  }

  static boolean isUrl(String s) {
    return s.startsWith("http://") || s.startsWith("https://");
  }

  /**
   * Replaces the policy file a router watches (atomic rename in its folder). The router validates it
   * within a second and swaps it in, loading a new classifier from the policy's {@code classifier.path}
   * (an absolute path to {@code RUN/model} after {@code --retrain}); a rejection is in its log and
   * {@code GET /admin/policies}, not visible here.
   */
  static int publishToFile(Retune.Result r, Path target, PrintWriter o, PrintWriter err) {
    try {
      Path dir = target.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        return Exit.error(err, Exit.BAD_INPUT, "--publish " + target + ": no such directory " + dir);
      }
      Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
      Files.copy(r.policyFile(), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      o.println("wrote policy " + r.tuned().version() + " to " + target + "; a router watching it swaps it in within a second"
          + " (a rejection shows in its log and in GET /admin/policies as last_rejection)");
      o.flush();
      return 0;
    } catch (IOException e) {
      return Exit.error(err, Exit.FAILED, "cannot write " + target + ": " + e.getMessage());
    }
  }

  /**
   * Shared with {@code replay --retune}: retune (after retraining when {@code retrain} is not null), print the
   * comparison, optionally publish (a retrained classifier is uploaded first). Returns an exit code.
   */
  public static int retuneAndPublish(Path outcomes, Path livePolicy, Path classifier, String target, double holdout, Path out,
      Path cacheDir, PublishOptions publish, Retrain.Options retrain, PrintWriter o, PrintWriter err) {
    String publishUrl = publish.target;
    String route = publish.route;
    String adminKeyEnv = publish.adminKeyEnv;
    String key = null;
    boolean toFile = publishUrl != null && !isUrl(publishUrl);
    if (publishUrl != null && !toFile) {
      key = System.getenv(adminKeyEnv);
      if (key == null || key.isBlank()) {
        return Exit.error(err, Exit.BAD_INPUT, "--publish needs the router's admin key in environment variable " + adminKeyEnv + " (not set)");
      }
    }
    Retune.Result r;
    try {
      Path dir = out != null ? out : outcomes.toAbsolutePath().getParent();
      Path home = null;
      try {
        home = SwitchboardHome.find();
      } catch (IllegalStateException e) {
        // no home: the classifier path is taken as written
      }
      r = Retune.run(new Retune.Options(outcomes, livePolicy, classifier, TuneCommand.parseTarget(target), holdout, dir, cacheDir, home,
          retrain), err);
      o.print(Files.readString(r.comparisonMd(), StandardCharsets.UTF_8));
      o.println("wrote " + r.policyFile() + " (version " + r.tuned().version() + "), " + r.comparisonMd() + ", " + r.comparisonJson()
          + (r.retrained() != null ? ", " + r.retrained().modelDir() + "/" : ""));
      if (!r.reached()) {
        err.println("warning: target " + target + " is not reachable on the tuning prompts; wrote the closest policy");
      }
      o.flush();
    } catch (EvalException | PolicyFileException | ParquetFileException e) {
      return Exit.error(err, Exit.BAD_INPUT, e.getMessage());
    } catch (IOException e) {
      return Exit.error(err, Exit.FAILED, e.getMessage());
    }
    if (!r.kept()) {
      o.println("kept the live pair: the retrained classifier and its policy were not kept (" + r.rejection() + ")"
          + (publishUrl != null ? "; nothing published" : ""));
      o.flush();
      return 0;
    }
    if (publishUrl == null) {
      return 0;
    }
    if (toFile) {
      return publishToFile(r, Path.of(publishUrl), o, err);
    }
    try {
      PolicyPublisher publisher = new PolicyPublisher(publishUrl, key);
      if (r.retrained() != null) {
        int rc = PublishCommand.upload(publisher, r.retrained().modelDir(), o, err);
        if (rc != 0) {
          return rc;
        }
      }
      return PublishCommand.publish(publisher, route, Files.readString(r.policyFile()), o, err);
    } catch (IOException e) {
      return Exit.error(err, Exit.FAILED, "cannot read " + r.policyFile() + ": " + e.getMessage());
    }
  }
}
