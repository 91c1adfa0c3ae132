package dev.switchboard.cli.loop;

import dev.switchboard.cli.options.Exit;
import dev.switchboard.cli.options.ScoringDeadlineOption;
import dev.switchboard.cli.tune.TuneCommand;
import dev.switchboard.eval.loop.DemoLoop;
import dev.switchboard.eval.loop.PolicyPublisher;
import dev.switchboard.eval.loop.Retune;
import dev.switchboard.eval.run.EvalException;
import dev.switchboard.eval.run.InputPaths;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.routing.Policy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard demo}: the whole eval-driven loop in one command, on embedded defaults. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "Run the whole loop once: traffic -> request log -> replay -> retune -> publish -> traffic again.",
    description = {
        "Starts a router (embedded Kafka, the recorded provider, route auto on a copy of policies/default.yaml, serve's",
        "scoring deadline), sends the test split of the dataset the policy's classifier was trained on (its card's",
        "dataset.path: prompts it has not seen; each once) through it, replays the logged requests against the route's",
        "candidates with the recorded grader, retunes the thresholds for --target against the live classifier,",
        "publishes the new policy to the running router, sends the same prompts again and reports before/after.",
        "--retrain trains a new classifier on the replayed outcomes first and tunes for it (as 'retune --retrain'); if the",
        "new pair is kept it is uploaded and published and pass 2 runs on it, otherwise the reason is printed, nothing is",
        "published and pass 2 runs on the live pair."})
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--prompts", paramLabel = "N", description = "Prompts per pass, drawn without repeats from the classifier's test"
      + " split (default: all of them; more than the split holds sends all of them and says so).")
  Integer prompts;

  @Option(names = "--target", defaultValue = "quality=0.9", paramLabel = "quality=F|cost=USD",
      description = "Retuning target (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--seed", defaultValue = "1", description = "Which prompts are drawn, and in which order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/demo-<UTC time>).")
  Path out;

  @Option(names = "--policy", paramLabel = "FILE", description = "Starting policy, copied (default: policies/default.yaml).")
  Path policy;

  @Mixin ScoringDeadlineOption scoringDeadline;

  @Option(names = "--concurrency", defaultValue = "8", description = "Client requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Mixin RetrainOptions retrainOptions = new RetrainOptions();

  @Option(names = "--holdout", defaultValue = "0.3", description = "Fraction of prompts held out of tuning (default: ${DEFAULT-VALUE}).")
  double holdout;

  /** The training seed of {@code retune --retrain}'s default; {@code --seed} here picks the prompts. */
  public static final long TRAIN_SEED = 42;

  @Override
  public Integer call() throws Exception {
    PrintStream o = System.out;
    Policy.Target t;
    try {
      t = TuneCommand.parseTarget(target);
    } catch (EvalException e) {
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, e.getMessage());
    }
    if ((prompts != null && prompts < 1) || concurrency < 1) {
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, "--prompts and --concurrency must be >= 1");
    }
    if (scoringDeadline.problem() != null) {
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, scoringDeadline.problem());
    }
    if (retrainOptions.problem() != null) {
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, retrainOptions.problem());
    }
    Path home = SwitchboardHome.find();
    Path livePolicy = policy != null ? policy : home.resolve("policies/default.yaml");
    try { // bad input is exit 2, before anything starts
      Retune.classifierOf(InputPaths.policy("--policy", livePolicy), livePolicy, home);
    } catch (EvalException e) {
      return Exit.error(spec.commandLine().getErr(), Exit.BAD_INPUT, e.getMessage());
    }
    Path dir = out != null ? out
        : home.resolve("runs").resolve("demo-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)));
    DemoLoop.Options opts = new DemoLoop.Options(home, livePolicy, prompts, t, seed, dir, concurrency, holdout, scoringDeadline.orDefault(),
        retrainOptions.toOptions(TRAIN_SEED));
    try {
      new DemoLoop(opts, o).run();
      return 0;
    } catch (EvalException | PolicyPublisher.PublishException e) {
      return Exit.error(spec.commandLine().getErr(), Exit.FAILED, e.getMessage());
    }
  }
}
