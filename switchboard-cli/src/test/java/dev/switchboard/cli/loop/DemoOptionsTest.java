package dev.switchboard.cli.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.cli.CliRun;
import dev.switchboard.cli.SwitchboardCli;
import dev.switchboard.router.config.ClassifierConfig;
import dev.switchboard.router.config.ConfigParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue "A router that earns its keep", the demo: its traffic included prompts the classifier was
 * trained on (so pass 1 was partly in-sample), and its router ran with a 5-second scoring deadline
 * where {@code serve} runs with 50 ms (so it never showed the fallbacks a real deployment has).
 */
class DemoOptionsTest {

  @Test
  void scoringDeadline_isServesOption_withServesDefaultAndRange() {
    CommandLine cli = SwitchboardCli.commandLine();
    OptionSpec demo = cli.getSubcommands().get("demo").getCommandSpec().findOption("--scoring-deadline-ms");
    OptionSpec serve = cli.getSubcommands().get("serve").getCommandSpec().findOption("--scoring-deadline-ms");
    assertEquals(List.of(serve.description()), List.of(demo.description()), "one declaration, one help text");

    CommandLine parsed = new CommandLine(new DemoCommand());
    parsed.parseArgs();
    long demoDefault = ((DemoCommand) parsed.getCommand()).scoringDeadline.orDefault();
    // serve's default: the config parser's for a classifier section without the key (and the embedded defaults')
    long serveDefault = ConfigParser.parse("deployments:\n  - {name: d, provider: recorded}\nclassifier: {path: m}\n", "d.yaml")
        .classifier().scoringDeadlineMs();
    assertEquals(serveDefault, demoDefault);
    assertEquals(ClassifierConfig.defaults("m").scoringDeadlineMs(), demoDefault);

    for (String bad : List.of("0", "60001")) {
      CliRun d = CliRun.switchboard("demo", "--scoring-deadline-ms", bad);
      CliRun s = CliRun.switchboard("serve", "--scoring-deadline-ms", bad, "--port", "0", "--no-request-log");
      assertEquals(2, d.code(), d.err());
      assertEquals(s.err(), d.err());
      assertTrue(d.err().contains("--scoring-deadline-ms must be 1 to 60000, got " + bad), d.err());
    }
  }

}
