package dev.switchboard.cli.loop;

import dev.switchboard.classifier.ModelDirectory;
import dev.switchboard.cli.options.Exit;
import dev.switchboard.eval.loop.PolicyPublisher;
import dev.switchboard.routing.PolicyFileException;
import dev.switchboard.routing.PolicyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard publish}: install a policy file on a running router through its admin API. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    header = "Send a policy file (and with --classifier its model) to a running router (PUT /admin/policies/{route}).",
    description = {"The router validates it (route candidates, classifier sha256) and swaps it in atomically, or",
        "answers 422 with the reason while the previous policy keeps serving.",
        "Exit codes: 0 live, 1 router unreachable or other failure, 2 bad input, 3 refused by the router (401/403/404/422)."})
public final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--router", required = true, paramLabel = "URL", description = "Router base URL, e.g. http://127.0.0.1:8080.")
  String router;

  @Option(names = "--route", defaultValue = "auto", description = "Eval-driven route (default: ${DEFAULT-VALUE}).")
  String route;

  @Option(names = "--policy", required = true, paramLabel = "FILE", description = "Policy file, e.g. runs/ID/policy.yaml.")
  Path policy;

  @Option(names = "--classifier", paramLabel = "DIR",
      description = "Upload this model directory (card.json + classifier.onnx) first, for a policy that names a new classifier.")
  Path classifier;

  @Option(names = "--admin-key-env", defaultValue = PolicyPublisher.DEFAULT_KEY_ENV,
      description = "Environment variable holding the router's admin key (default: ${DEFAULT-VALUE}).")
  String adminKeyEnv;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String yaml;
    try {
      if (!Files.exists(policy)) {
        return Exit.error(err, Exit.BAD_INPUT, "--policy: " + PolicyFiles.doesNotExist(policy));
      }
      if (classifier != null && ModelDirectory.problem(classifier) != null) {
        return Exit.error(err, Exit.BAD_INPUT, "--classifier: " + ModelDirectory.problem(classifier));
      }
      yaml = Files.readString(policy, StandardCharsets.UTF_8);
      PolicyFiles.parse(yaml, policy.toString()); // fail here, not at the router, on a malformed file
    } catch (IOException e) {
      return Exit.error(err, Exit.BAD_INPUT, "cannot read " + policy + ": " + e.getMessage());
    } catch (PolicyFileException e) {
      return Exit.error(err, Exit.BAD_INPUT, e.getMessage());
    }
    String key = System.getenv(adminKeyEnv);
    if (key == null || key.isBlank()) {
      return Exit.error(err, Exit.BAD_INPUT, "environment variable " + adminKeyEnv + " is not set; it must hold the router's admin key");
    }
    PolicyPublisher p = new PolicyPublisher(router, key);
    if (classifier != null) {
      int rc = upload(p, classifier, out, err);
      if (rc != 0) {
        return rc;
      }
    }
    return publish(p, route, yaml, out, err);
  }

  /** Uploads a model directory and prints the router's answer; 0, or the exit code of the failure. */
  static int upload(PolicyPublisher p, Path modelDir, PrintWriter out, PrintWriter err) {
    try {
      PolicyPublisher.Uploaded u = p.uploadClassifier(modelDir);
      out.println("router: classifier " + u.sha256() + " " + u.status().replace('_', ' ') + " (from " + modelDir + ")");
      out.flush();
      return 0;
    } catch (IOException e) {
      return Exit.error(err, Exit.BAD_INPUT, "cannot read the classifier in " + modelDir + ": " + e.getMessage());
    } catch (PolicyPublisher.PublishException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return e.status() == 0 || e.status() >= 500 ? Exit.FAILED : Exit.REFUSED;
    }
  }

  /** Publishes and prints the router's answer; the exit code of {@code publish}. */
  static int publish(PolicyPublisher p, String route, String yaml, PrintWriter out, PrintWriter err) {
    try {
      PolicyPublisher.Published r = p.publish(route, yaml);
      out.println("router: route " + r.route() + " now serves policy " + r.version() + " (" + r.status() + ")");
      out.flush();
      return 0;
    } catch (PolicyPublisher.PublishException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return e.status() == 0 || e.status() >= 500 ? Exit.FAILED : Exit.REFUSED;
    }
  }
}
