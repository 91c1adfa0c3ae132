package dev.switchboard.cli.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard spend}: what was spent, grouped, from a running gateway's spend ledger ({@code GET /admin/spend}). */
@Command(name = "spend", mixinStandardHelpOptions = true,
    header = "Show spend by key, team, model or day from a running gateway's ledger (GET /admin/spend).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:gateway unreachable or failed", "2:bad usage or no credential",
        "3:refused by the gateway (credential, role, invalid date)"})
public final class SpendCommand extends AdminCommand {
  /** The groupings the ledger offers. */
  enum GroupBy { key, team, model, day }

  @Option(names = "--group-by", defaultValue = "key", description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  GroupBy groupBy;

  @Option(names = "--from", paramLabel = "DAY|INSTANT", description = "Start, e.g. 2026-12-01 (UTC) or an ISO instant (default: 30 days before --to).")
  String from;

  @Option(names = "--to", paramLabel = "DAY|INSTANT", description = "End, exclusive (default: now).")
  String to;

  @Override
  JsonNode call(AdminHttp admin) throws AdminHttp.Failure {
    StringBuilder q = new StringBuilder("/admin/spend?group_by=").append(groupBy.name());
    if (from != null) q.append("&from=").append(URLEncoder.encode(from, StandardCharsets.UTF_8));
    if (to != null) q.append("&to=").append(URLEncoder.encode(to, StandardCharsets.UTF_8));
    return admin.send("GET", q.toString(), null);
  }

  @Override
  void printTable(JsonNode answer, PrintWriter out) {
    out.println("spend by " + answer.path("group_by").asText() + ", " + answer.path("from").asText() + " to " + answer.path("to").asText());
    TextTable t = new TextTable(groupBy.name().toUpperCase(Locale.ROOT), "COST_USD", "REQUESTS", "PROMPT_TOKENS", "COMPLETION_TOKENS");
    BigDecimal cost = BigDecimal.ZERO;
    long requests = 0;
    long prompt = 0;
    long completion = 0;
    for (JsonNode r : answer.path("data")) {
      BigDecimal c = r.path("cost_usd").decimalValue();
      t.row(Fields.text(r, "group"), c.toPlainString(), r.path("requests").asLong(), r.path("prompt_tokens").asLong(),
          r.path("completion_tokens").asLong());
      cost = cost.add(c);
      requests += r.path("requests").asLong();
      prompt += r.path("prompt_tokens").asLong();
      completion += r.path("completion_tokens").asLong();
    }
    t.row("TOTAL", cost.toPlainString(), requests, prompt, completion);
    t.print(out);
  }
}
