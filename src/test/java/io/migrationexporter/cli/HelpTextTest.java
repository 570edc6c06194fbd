package io.migrationexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --help} of every command, the demo included, prints whole sentences: each description
 * paragraph, and each entry of a command list, which shows only a command's first paragraph.
 */
class HelpTextTest {
  /** A sentence starts with a capital, a digit or a quote and ends with its full stop. */
  private static final Pattern SENTENCES = Pattern.compile("[A-Z0-9\"'(].*[.!?]", Pattern.DOTALL);

  @Test
  void everyDescriptionIsMadeOfWholeSentences() {
    List<String> fragments = new ArrayList<>();
    for (CommandLine command : everyCommand(Main.commandLine())) {
      CommandSpec spec = command.getCommandSpec();
      check(spec.qualifiedName(), spec.usageMessage().description(), fragments);
      for (ArgSpec arg : spec.args()) {
        String name = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName()
            : arg.paramLabel();
        check(spec.qualifiedName() + " " + name, arg.description(), fragments);
      }
    }
    assertThat(fragments).as("descriptions cut mid-sentence").isEmpty();
  }

  @Test
  void everyCommandListShowsWholeSentences() {
    List<String> cut = new ArrayList<>();
    assertThat(Main.commandLine().getSubcommands()).containsKeys("check-config", "phase", "demo");
    for (CommandLine command : everyCommand(Main.commandLine())) {
      if (command.getSubcommands().isEmpty()) {
        continue;
      }
      StringWriter help = new StringWriter();
      command.usage(new PrintWriter(help));
      String list = help.toString().substring(help.toString().indexOf("Commands:"));
      // entries start two spaces in; their continuation lines further in
      for (String entry : list.substring(list.indexOf('\n') + 1).split("\n(?=  \\S)")) {
        String words = entry.strip().replaceAll("\\s+", " ");
        if (!words.matches(".*[.!?]")) {
          cut.add(command.getCommandName() + ": " + words);
        }
      }
    }
    assertThat(cut).as("command list entries cut mid-sentence").isEmpty();
  }

  private static void check(String where, String[] paragraphs, List<String> fragments) {
    for (String paragraph : paragraphs) {
      // %n is picocli's line break, used by its own help command
      String text = paragraph.replace("%n", "").strip();
      if (!text.isEmpty() && !SENTENCES.matcher(text).matches()) {
        fragments.add(where + ": \"" + paragraph + "\"");
      }
    }
  }

  private static List<CommandLine> everyCommand(CommandLine root) {
    List<CommandLine> all = new ArrayList<>(List.of(root));
    for (int i = 0; i < all.size(); i++) {
      all.get(i).getSubcommands().values().stream().distinct().forEach(all::add);
    }
    return all.stream().distinct().toList();
  }
}
