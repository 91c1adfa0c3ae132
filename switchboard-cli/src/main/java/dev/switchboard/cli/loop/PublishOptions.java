package dev.switchboard.cli.loop;

import dev.switchboard.eval.loop.PolicyPublisher;
import picocli.CommandLine.Option;

/** {@code --publish}, {@code --route} and {@code --admin-key-env}, the same in {@code replay --retune} and {@code retune}. */
final class PublishOptions {

  @Option(names = "--publish", paramLabel = "URL|FILE",
      description = "Install the new policy on this running router (http[s]://...), or write it over the policy FILE a router on"
          + " this machine watches (routes[].policy); replay: with --retune.")
  String target;

  @Option(names = "--route", defaultValue = "auto", description = "Route to publish to (default: ${DEFAULT-VALUE}).")
  String route;

  @Option(names = "--admin-key-env", defaultValue = PolicyPublisher.DEFAULT_KEY_ENV,
      description = "Environment variable holding the router's admin key (default: ${DEFAULT-VALUE}): --publish needs it, and"
          + " replay --upstream marks its calls with it so the router logs them as replay traffic, not client traffic.")
  String adminKeyEnv;
}
