package dev.switchboard.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.options.Exit;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard keys}: API keys on a running gateway, through its admin API. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    header = "Create, list, change and revoke API keys on a running gateway (its /admin/keys API).",
    description = {"A thin client of the gateway's admin API: the gateway checks every field and the caller's role.",
        "The admin credential is read from an environment variable (--admin-key-env), never from an option."},
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Update.class, KeysCommand.Revoke.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:gateway unreachable or failed", "2:bad usage or no credential",
        "3:refused by the gateway (credential, role, unknown id, invalid field)"})
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints the one-line table of keys. */
  static void printKeys(Iterable<JsonNode> keys, PrintWriter out) {
    TextTable t = new TextTable("ID", "NAME", "TEAM", "STATUS", "ROLE", "MODELS", "RPM", "TPM", "BUDGET", "EXPIRES");
    for (JsonNode k : keys) {
      t.row(Fields.text(k, "id"), Fields.text(k, "name"), Fields.text(k, "team_id"), Fields.text(k, "status"), Fields.text(k, "role"),
          Fields.list(k, "models"), Fields.text(k, "rpm"), Fields.text(k, "tpm"), Fields.budget(k),
          Fields.text(k, "expires_at"));
    }
    t.print(out);
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      header = "Create a key; its secret is printed once and never again.")
  static final class Create extends AdminCommand {
    @Mixin KeyOptions settings;

    @Override
    JsonNode call(AdminHttp admin) throws AdminHttp.Failure {
      if (settings.name == null) throw new AdminHttp.Failure("--name is required: a label for the key", Exit.BAD_INPUT);
      return admin.send("POST", "/admin/keys", settings.body());
    }

    @Override
    void printTable(JsonNode key, PrintWriter out) {
      printKeys(java.util.List.of(key), out);
      out.println();
      out.println("secret: " + key.path("secret").asText());
    }

    @Override
    void afterPrint(JsonNode answer, PrintWriter err) {
      err.println("warning: this is the only time the secret is shown; the gateway keeps only its hash. Store it now.");
      err.flush();
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, header = "List keys (a team-admin sees its own team's).")
  static final class ListKeys extends AdminCommand {
    @Option(names = "--team", paramLabel = "TEAM_ID", description = "Only this team's keys.")
    String team;

    @Override
    JsonNode call(AdminHttp admin) throws AdminHttp.Failure {
      return admin.send("GET", "/admin/keys" + (team == null ? "" : "?team_id=" + URLEncoder.encode(team, StandardCharsets.UTF_8)), null);
    }

    @Override
    void printTable(JsonNode answer, PrintWriter out) {
      printKeys(answer.path("data"), out);
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      header = "Change a key's settings; options not given stay as they are ('none' clears a limit).")
  static final class Update extends AdminCommand {
    @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key's id (key_...), as keys list shows it.")
    String id;

    @Mixin KeyOptions settings;

    @Override
    JsonNode call(AdminHttp admin) throws AdminHttp.Failure {
      return admin.send("PATCH", "/admin/keys/" + URLEncoder.encode(id, StandardCharsets.UTF_8), settings.body());
    }

    @Override
    void printTable(JsonNode key, PrintWriter out) {
      printKeys(java.util.List.of(key), out);
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      header = "Revoke a key: it stops working at once (401 invalid_api_key) and cannot be re-enabled.")
  static final class Revoke extends AdminCommand {
    @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key's id (key_...).")
    String id;

    @Override
    JsonNode call(AdminHttp admin) throws AdminHttp.Failure {
      return admin.send("DELETE", "/admin/keys/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
    }

    @Override
    void printTable(JsonNode key, PrintWriter out) {
      out.println("revoked " + key.path("id").asText() + " (" + key.path("name").asText() + ")");
    }
  }
}
