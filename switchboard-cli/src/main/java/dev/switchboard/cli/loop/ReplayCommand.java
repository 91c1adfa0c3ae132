package dev.switchboard.cli.loop;

import dev.switchboard.cli.options.Exit;
import dev.switchboard.cli.options.KafkaClientOptions;
import dev.switchboard.dataset.ModelPrices;
import dev.switchboard.eval.replay.CandidateClient;
import dev.switchboard.eval.replay.Grader;
import dev.switchboard.eval.replay.InProcessCandidateClient;
import dev.switchboard.eval.replay.JudgeGrader;
import dev.switchboard.eval.replay.OpenAiHttpCandidateClient;
import dev.switchboard.eval.replay.PriceBook;
import dev.switchboard.eval.replay.RecordedGrader;
import dev.switchboard.eval.replay.ReferenceGrader;
import dev.switchboard.eval.replay.ReplayOptions;
import dev.switchboard.eval.replay.ReplayRun;
import dev.switchboard.eval.replay.ReplaySummary;
import dev.switchboard.router.config.ConfigException;
import dev.switchboard.router.embedded.InProcessGateway;
import dev.switchboard.router.embedded.SwitchboardHome;
import dev.switchboard.router.upstream.LatencyProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard replay}: re-ask logged traffic to candidate models, grade the answers and write
 * {@code runs/ID/outcomes.parquet} (canonical routing dataset schema) and {@code summary.json}.
 * Exit codes: 0 done, 1 error, 2 bad arguments, 3 stopped by the spend cap, 4 the router refused the published policy.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay logged requests from Kafka to candidate models, grade them, write runs/ID/outcomes.parquet.")
public final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Errors and warnings go to the command line's error writer (tests capture it). */
  private java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(names = "--topic", defaultValue = "switchboard.requests", description = "Request log topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--group", description = "Consumer group (default: switchboard-replay-<run id>); a rerun with the same group resumes.")
  String group;

  @Option(names = "--from", description = "Start at records from this ISO-8601 time (for partitions without a committed offset).")
  String from;

  @Option(names = "--from-beginning", description = "Start at the earliest record even if the group has committed offsets.")
  boolean fromBeginning;

  @Option(names = "--until", description = "Stop at records after this ISO-8601 time.")
  String until;

  @Option(names = "--max", defaultValue = "0", description = "Stop after N records (0: no limit).")
  long max;

  @Option(names = "--candidates", required = true, split = ",", description = "Candidate models, comma-separated; the last is the strongest.")
  List<String> candidates;

  @Option(names = "--grader", required = true, description = "recorded | judge:DEPLOYMENT | reference")
  String grader;

  @Option(names = "--concurrency", defaultValue = "8", description = "Candidate calls in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--max-spend-usd", description = "Hard cap on candidate + judge spend, USD.")
  Double maxSpendUsd;

  @Option(names = "--max-tokens", defaultValue = "1024", description = "max_tokens per call (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Gateway config: candidates and judge are its deployments or routes, called in this process through the"
          + " gateway's provider adapters, retries, breakers and timeouts. Default: the embedded defaults (recorded provider).")
  Path config;

  @Option(names = "--upstream", paramLabel = "URL",
      description = "Call candidates (and judge) through this running gateway or OpenAI-compatible base URL instead,"
          + " e.g. http://127.0.0.1:8080/v1. Not with --config.")
  String upstream;

  @Option(names = "--api-key-env", description = "With --upstream: environment variable holding its API key.")
  String apiKeyEnv;

  @Option(names = "--prices", defaultValue = "datasets/models.json",
      description = "With --upstream: model price file (default: ${DEFAULT-VALUE}). In-process, the deployments' prices apply.")
  Path pricesFile;

  @Option(names = "--datasets", paramLabel = "DIR",
      description = "Directory of *.parquet datasets for --grader recorded (default: datasets/ of the Switchboard home).")
  Path datasetsDir;

  @Option(names = "--out", required = true, description = "Run directory, e.g. runs/2026-11-25-a/.")
  Path out;

  @Option(names = "--retune", paramLabel = "quality=F|cost=USD",
      description = "After the replay, retune --live-policy on the outcomes for this target (see 'switchboard retune').")
  String retune;

  @Option(names = "--live-policy", paramLabel = "FILE", description = "The policy the router serves now (with --retune).")
  Path livePolicy;

  @Mixin RetrainOptions retrainOptions = new RetrainOptions();

  @Mixin PublishOptions publishOptions = new PublishOptions();

  @Option(names = "--holdout", defaultValue = "0.3", description = "With --retune: fraction of prompts held out of tuning (default: ${DEFAULT-VALUE}).")
  double holdout;

  @Override
  public Integer call() {
    if ((retune == null) != (livePolicy == null)
        || ((publishOptions.target != null || retrainOptions.retrain || retrainOptions.trainWith != null) && retune == null)
        || retrainOptions.problem() != null) {
      return Exit.error(err(), Exit.BAD_INPUT, "--retune and --live-policy go together; --publish and --retrain need both; --train-with needs --retrain");
    }
    if (config != null && upstream != null) {
      return Exit.error(err(), Exit.BAD_INPUT, "--config and --upstream are mutually exclusive: --config calls the candidates in this process"
          + " through the gateway's adapters, --upstream through a running gateway");
    }
    if (apiKeyEnv != null && upstream == null) {
      return Exit.error(err(), Exit.BAD_INPUT, "--api-key-env applies to --upstream only; in-process, each deployment's api_key_env names its key");
    }
    if (!grader.equals("recorded") && !grader.equals("reference") && judgeOf(grader) == null) {
      return Exit.error(err(), Exit.BAD_INPUT, BAD_GRADER + ", got '" + grader + "'");
    }
    ReplayOptions options;
    Grader g;
    PriceBook prices;
    CandidateClient client;
    AutoCloseable resources = () -> {};
    try {
      options = new ReplayOptions(kafka.resolve(), topic, group != null ? group : "switchboard-replay-" + out.toAbsolutePath().normalize().getFileName(),
          parseTime("--from", from), fromBeginning, parseTime("--until", until), max, candidates, concurrency,
          maxSpendUsd == null ? Double.POSITIVE_INFINITY : maxSpendUsd, maxTokens, out);
      if (upstream != null) {
        String key = apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
        if (apiKeyEnv != null && key == null) {
          return Exit.error(err(), Exit.BAD_INPUT, "environment variable " + apiKeyEnv + " is not set");
        }
        String replayKey = publishOptions.adminKeyEnv == null ? null : System.getenv(publishOptions.adminKeyEnv);
        if (replayKey == null || replayKey.isBlank()) {
          err().println("note: " + publishOptions.adminKeyEnv + " is not set, so a router at " + upstream + " logs these calls as client"
              + " traffic (a later replay would replay them); set it to the router's admin key");
        }
        client = new OpenAiHttpCandidateClient(upstream, key, replayKey, maxTokens, Duration.ofMinutes(2));
        prices = priceFile();
      } else {
        InProcessGateway gateway = config != null
            ? InProcessGateway.startConfigFile(config, System::getenv, SwitchboardHome.find(), LatencyProfile.NONE)
            : InProcessGateway.startEmbeddedDefaults(SwitchboardHome.find(), LatencyProfile.NONE);
        resources = gateway;
        InProcessCandidateClient ic = new InProcessCandidateClient(gateway, maxTokens);
        try {
          ic.checkCallable(candidates);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--candidates: " + e.getMessage());
        }
        String judge = judgeOf(grader);
        if (judge != null) {
          try {
            ic.checkCallable(List.of(judge));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--grader: " + e.getMessage());
          }
        }
        client = ic;
        prices = ic.prices();
        if (spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption("--prices")) {
          err().println("warning: --prices applies to --upstream only; in-process, each deployment's own prices apply");
        }
      }
      g = grader(grader, client, options, prices, datasetsDir);
      Files.createDirectories(out);
    } catch (IllegalArgumentException | ConfigException e) {
      close(resources);
      return Exit.error(err(), Exit.BAD_INPUT, e.getMessage());
    } catch (Exception e) {
      close(resources);
      return Exit.error(err(), Exit.FAILED, e.getMessage());
    }
    try {
      ReplaySummary s = new ReplayRun(options, client, g, prices, System.out).run();
      if (s.stoppedBySpendCap()) {
        return 3;
      }
      if (retune == null) {
        return 0;
      }
      java.io.PrintWriter o = new java.io.PrintWriter(System.out, true);
      java.io.PrintWriter e = err();
      int rc = dev.switchboard.cli.loop.RetuneCommand.retuneAndPublish(out.resolve("outcomes.parquet"), livePolicy, null, retune,
          holdout, out, Path.of(".cache/switchboard"), publishOptions, retrainOptions.toOptions(42), o, e);
      return rc == 3 ? 4 : rc; // 3 already means "stopped by the spend cap"
    } catch (RuntimeException e) {
      return Exit.error(err(), Exit.FAILED, e.getMessage());
    } finally {
      close(resources);
    }
  }

  private PriceBook priceFile() {
    if (!Files.exists(pricesFile)) {
      err().println("warning: price file " + pricesFile + " not found; all spend counts as $0");
      return PriceBook.free();
    }
    ModelPrices mp = ModelPrices.load(pricesFile);
    for (String c : candidates) {
      if (mp.find(c).isEmpty()) {
        err().println("warning: no price for " + c + " in " + pricesFile + "; its spend counts as $0");
      }
    }
    return PriceBook.of(mp);
  }

  private void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      err().println("warning: shutting down the in-process gateway: " + e.getMessage());
    }
  }

  /** The judge deployment of {@code judge:NAME}, else null. */
  static String judgeOf(String spec) {
    return spec.startsWith("judge:") && spec.length() > "judge:".length() ? spec.substring("judge:".length()) : null;
  }

  private static final String BAD_GRADER = "--grader must be recorded, reference or judge:DEPLOYMENT";

  /** {@code datasets}: for {@code recorded}, the datasets directory (null: the Switchboard home's). */
  static Grader grader(String spec, CandidateClient client, ReplayOptions o, PriceBook prices, Path datasets) {
    if (spec.equals("reference")) {
      return new ReferenceGrader();
    }
    if (spec.equals("recorded")) {
      return RecordedGrader.load(datasets != null ? datasets : SwitchboardHome.datasets());
    }
    if (spec.startsWith("judge:") && spec.length() > "judge:".length()) {
      String judge = spec.substring("judge:".length());
      return new JudgeGrader(client, judge, o.strongestCandidate(),
          a -> a.costUsd() != null ? a.costUsd() : prices.cost(judge, a.promptTokens(), a.completionTokens()));
    }
    throw new IllegalArgumentException(BAD_GRADER + ", got '" + spec + "'");
  }

  private static Instant parseTime(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + ": not an ISO-8601 time (e.g. 2026-11-25T12:00:00Z): " + value);
    }
  }
}
