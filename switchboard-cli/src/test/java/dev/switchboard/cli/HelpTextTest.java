package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue #17: no help text breaks its line mid-sentence; picocli wraps each paragraph to the terminal. */
class HelpTextTest {

  @Test
  void everyCommandsDescription_breaksOnlyBetweenSentences() {
    List<String> bad = new ArrayList<>();
    List<CommandLine> all = new ArrayList<>();
    collect(SwitchboardCli.commandLine(), all);
    assertTrue(all.size() > 20, "every command and subcommand: " + all.size());
    for (CommandLine c : all) {
      String[] d = c.getCommandSpec().usageMessage().description();
      for (int i = 0; i < d.length - 1; i++) {
        if (!d[i].isBlank() && !d[i].strip().matches(".*[.:!?)]$")) bad.add(c.getCommandSpec().qualifiedName() + ": " + d[i]);
      }
    }
    assertEquals(List.of(), bad);
  }

  @Test
  void serveHelp_printsItsDescriptionAsOneWrappedParagraphPerSentenceGroup() {
    CliRun r = CliRun.switchboard("serve", "--help");
    assertEquals(0, r.code());
    String flat = r.out().replaceAll("\\s+", " ");
    assertTrue(flat.contains("is a deployment of the in-process recorded upstream, which answers"), r.out());
    for (String line : r.out().lines().toList()) assertTrue(line.length() <= 80, "wrapped to 80 columns: " + line);
  }

  @Test
  void paragraphs_joinLinesUntilASentenceEnds() {
    assertArrayEquals(new String[] {"One sentence across two lines.", "Another:", "with a list.", "Tail without end"},
        SwitchboardCli.paragraphs(new String[] {"One sentence across", "two lines.", "Another:", "with a list.", "Tail without end"}));
  }

  private static void collect(CommandLine c, List<CommandLine> out) {
    out.add(c);
    c.getSubcommands().values().forEach(s -> collect(s, out));
  }
}
