package dev.switchboard.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cli.options.Exit;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard teams}: teams (shared budgets and limits) on a running gateway, through its admin API. */
@Command(name = "teams", mixinStandardHelpOptions = true,
    header = "Create, list and change teams on a running gateway (its /admin/teams API); a request must pass its key's and its team's limits.",
    subcommands = {TeamsCommand.Create.class, TeamsCommand.ListTeams.class, TeamsCommand.Update.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:gateway unreachable or failed", "2:bad usage or no credential",
        "3:refused by the gateway (credential, role, unknown id, invalid field)"})
public final class TeamsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A team's settings as options; only those given are sent. */
  static final class TeamOptions {
    @Option(names = "--name", description = "A label for the team.")
    String name;

    @Option(names = "--budget", paramLabel = "USD[/day|month|total]|none", description = "Spending limit per period (default period: month).")
    String budget;

    @Option(names = "--downgrade-at", paramLabel = "SHARE",
        description = "With --budget: past this share of it (e.g. 0.8) eval-driven routes lower the quality target for the team's keys.")
    String downgradeAt;

    @Option(names = "--rpm", paramLabel = "N|none", description = "Requests per minute, all the team's keys together.")
    String rpm;

    @Option(names = "--tpm", paramLabel = "N|none", description = "Tokens per minute, all the team's keys together.")
    String tpm;

    ObjectNode body() {
      ObjectNode o = AdminHttp.JSON.createObjectNode();
      if (name != null) o.put("name", name);
      Fields.putBudget(o, budget, downgradeAt);
      Fields.put(o, "rpm", rpm);
      Fields.put(o, "tpm", tpm);
      return o;
    }
  }

  static void printTeams(Iterable<JsonNode> teams, PrintWriter out) {
    TextTable t = new TextTable("ID", "NAME", "RPM", "TPM", "BUDGET", "CREATED");
    for (JsonNode x : teams) {
      t.row(Fields.text(x, "id"), Fields.text(x, "name"), Fields.text(x, "rpm"), Fields.text(x, "tpm"), Fields.budget(x),
          Fields.text(x, "created_at"));
    }
    t.print(out);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, header = "Create a team (the admin role only).")
  static final class Create extends AdminCommand {
    @Mixin TeamOptions settings;

    @Override
    JsonNode call(AdminHttp admin) throws AdminHttp.Failure {
      if (settings.name == null) throw new AdminHttp.Failure("--name is required: a label for the team", Exit.BAD_INPUT);
      return admin.send("POST", "/admin/teams", settings.body());
    }

    @Override
    void printTable(JsonNode team, PrintWriter out) {
      printTeams(List.of(team), out);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, header = "List teams (a team-admin sees its own).")
  static final class ListTeams extends AdminCommand {
    @Override
    JsonNode call(AdminHttp admin) throws AdminHttp.Failure {
      return admin.send("GET", "/admin/teams", null);
    }

    @Override
    void printTable(JsonNode answer, PrintWriter out) {
      printTeams(answer.path("data"), out);
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      header = "Change a team's settings; options not given stay as they are ('none' clears a limit).")
  static final class Update extends AdminCommand {
    @Parameters(index = "0", paramLabel = "TEAM_ID", description = "The team's id (team_...).")
    String id;

    @Mixin TeamOptions settings;

    @Override
    JsonNode call(AdminHttp admin) throws AdminHttp.Failure {
      return admin.send("PATCH", "/admin/teams/" + URLEncoder.encode(id, StandardCharsets.UTF_8), settings.body());
    }

    @Override
    void printTable(JsonNode team, PrintWriter out) {
      printTeams(List.of(team), out);
    }
  }
}
