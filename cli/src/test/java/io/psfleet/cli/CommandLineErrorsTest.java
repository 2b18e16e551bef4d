package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of every {@code ./psfleet} command, given a value it cannot take, ends in one line
 * on standard error that names the option and the value, and exit code 2 - before anything starts.
 */
class CommandLineErrorsTest {
  /**
   * Options that take any text: a topic, a group, a folder to create, an address whose only test is
   * reaching it (an unreachable endpoint is exit 1, tested on its own).
   */
  private static final Set<String> FREE_TEXT =
      Set.of(
          "--bootstrap",
          "--group-id",
          "--observe-group",
          "--observe-topic",
          "--telemetry-topic",
          "--alerts-topic",
          "--dead-letter-topic",
          "--rules-topic",
          "--rule-acks-topic",
          "--checkpoint-dir",
          "--dir",
          "--job-jar",
          "--seed-file",
          "--host");

  /** Free-text options whose content is checked before anything starts, with a bad value. */
  private static final Map<String, String> BAD_TEXT =
      Map.ofEntries(
          Map.entry("--profiles", "workstation=abc"),
          Map.entry("--scenario-hosts", "ten-to-twenty"),
          Map.entry("--scenarios", "no-such-scenario"),
          Map.entry("--process-rate", "fast"),
          Map.entry("--shard", "3/2"),
          Map.entry("--match", "process.entity_id"),
          Map.entry("--shape", "sawtooth:5s"),
          Map.entry("--drivers", "sensor,rootkit"),
          Map.entry("--flink", "not a url"),
          Map.entry("--out", "/dev/null/psfleet/out.jsonl"),
          Map.entry("--ground-truth", "/dev/null/psfleet/truth.jsonl"),
          Map.entry("--summary", "/dev/null/psfleet/summary.json"),
          Map.entry("--rules", "/dev/null/psfleet/rules"),
          Map.entry("--spool-dir", "/dev/null/psfleet/spool"),
          Map.entry("--hash-algorithms", "sha3"),
          Map.entry("--events", "/dev/null/psfleet/events.jsonl"),
          Map.entry("--replay", "/dev/null/psfleet/recording.evtx:hosts=2"),
          Map.entry("--host-id", "no/such host"));

  static Stream<Arguments> everyOptionOfEveryCommand() {
    List<Arguments> cases = new ArrayList<>();
    CommandLine root = Psfleet.commandLine(System.out, System.err);
    collect(root, cases);
    return cases.stream();
  }

  private static void collect(CommandLine command, List<Arguments> cases) {
    List<String> path = new ArrayList<>();
    for (CommandLine c = command; c.getParent() != null; c = c.getParent()) {
      path.add(0, c.getCommandName());
    }
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (option.usageHelp() || option.versionHelp() || option.arity().max() == 0) {
        continue;
      }
      String name = option.longestName();
      String bad = badValue(option);
      if (bad == null) {
        assertThat(FREE_TEXT)
            .as("%s %s takes text: give it a bad value here or list it as free text", path, name)
            .contains(name);
        continue;
      }
      List<String> args = new ArrayList<>(path);
      if (path.equals(List.of("job"))) {
        args.addAll(List.of("--bootstrap", "127.0.0.1:9"));
      }
      if (path.equals(List.of("rules", "test"))) {
        // The other required option, with a value that exists.
        args.addAll(List.of(name.equals("--rules") ? "--events" : "--rules", "/dev/null"));
      }
      if (path.equals(List.of("rules", "push"))) {
        args.add("/dev/null"); // the PATH it requires; options are checked before it is read
      }
      if (path.equals(List.of("replay"))) {
        args.add("/dev/null"); // the FILE it requires; options are checked before files are read
      }
      if (name.equals("--out") && !path.equals(List.of("simulate"))) {
        continue; // a report folder, created where it is missing: any path is valid
      }
      args.add(name);
      args.add(bad);
      cases.add(Arguments.of(String.join(" ", path), name, bad, args));
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      if (sub.getParent() == command && !sub.getCommandSpec().usageMessage().hidden()) {
        collect(sub, cases);
      }
    }
  }

  private static String badValue(OptionSpec option) {
    Class<?> type = option.type();
    if (List.class.isAssignableFrom(type)) {
      type = option.auxiliaryTypes()[0];
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "not-a-number";
    }
    if (type == double.class || type == Double.class) {
      return "-1.5e";
    }
    if (type == boolean.class) {
      return "maybe";
    }
    if (type == Duration.class) {
      return "soon";
    }
    if (type == Instant.class) {
      return "yesterday";
    }
    if (type == String.class || type == java.nio.file.Path.class) {
      return BAD_TEXT.get(option.longestName());
    }
    return "not-a-" + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("everyOptionOfEveryCommand")
  void aBadValueIsOneLineNamingTheOptionAndTheValueAndExitCodeTwo(
      String command, String option, String value, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit =
        Psfleet.commandLine(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args.toArray(String[]::new));

    String message = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("exit code of %s; stderr: %s", args, message).isEqualTo(2);
    assertThat(message.lines().toList()).as("stderr of %s", args).hasSize(1);
    assertThat(message).contains(option).contains(value);
  }
}
