package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.cli.AlertsCommand.Feed;
import io.psfleet.cli.AlertsCommand.Filter;
import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.ocsf.OcsfValidator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./psfleet alerts} without a broker: what it prints per record, and its usage errors. */
class AlertsCommandTest {
  private static final OcsfValidator VALIDATOR = OcsfValidator.bundled();

  private final StringWriter lines = new StringWriter();
  private final StringWriter notes = new StringWriter();

  private Feed feed(Filter filter, boolean validate, boolean json) {
    return new Feed(
        filter,
        validate ? VALIDATOR : null,
        json,
        new PrintWriter(lines, true),
        json ? new PrintWriter(notes, true) : new PrintWriter(lines, true));
  }

  @Test
  void anAlertIsOneLineOfTimeRuleTechniqueHostUidAndMessage() {
    Alert alert = AlertFindings.alert(Rule.DLL_INJECTION, "host-000001", 50);
    Feed feed = feed(Filter.ALL, false, false);

    assertThat(feed.accept("psfleet.alerts-0@0", AlertFindings.json(alert)))
        .isEqualTo(Feed.Shown.ALERT);

    assertThat(lines.toString().lines().toList())
        .containsExactly(
            "2026-11-24T08:00:50.004Z  psfleet-001  T1055.001  host-000001  "
                + alert.uid()
                + "  invoice_2026-11.exe (pid 5100) did psfleet-001 to notepad.exe on host-000001");
    assertThat(feed.summary()).isEqualTo("1 alert, 0 unreadable records");
  }

  @Test
  void aRecordThatIsNotAJsonObjectIsReportedAndSkipped() {
    Feed feed = feed(Filter.ALL, true, false);

    assertThat(feed.accept("psfleet.alerts-1@7", AlertFindings.broken()))
        .isEqualTo(Feed.Shown.UNREADABLE);
    assertThat(feed.accept("psfleet.alerts-1@8", "[1, 2]".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Feed.Shown.UNREADABLE);
    assertThat(feed.accept("psfleet.alerts-1@9", new byte[0])).isEqualTo(Feed.Shown.UNREADABLE);
    assertThat(feed.accept("psfleet.alerts-1@10", null)).isEqualTo(Feed.Shown.UNREADABLE);

    List<String> out = lines.toString().lines().toList();
    assertThat(out).hasSize(4);
    assertThat(out.get(0)).startsWith("unreadable record psfleet.alerts-1@7 skipped: not JSON: ");
    assertThat(out.get(1))
        .isEqualTo("unreadable record psfleet.alerts-1@8 skipped: not a JSON object but array");
    assertThat(out.get(2)).isEqualTo("unreadable record psfleet.alerts-1@9 skipped: empty record");
    assertThat(feed.counts()).isEqualTo(new Feed.Counts(0, 0, 4, 0, 0));
    assertThat(feed.clean()).isFalse();
    assertThat(feed.summary())
        .isEqualTo("0 alerts (0 valid, 0 invalid OCSF 1.3.0), 4 unreadable records");
  }

  @Test
  void validateListsTheErrorsOfAnInvalidFindingUnderItsLineAndCountsBoth() {
    Alert good = AlertFindings.alert(Rule.PPID_SPOOFING, "host-000002", 60);
    Alert bad = AlertFindings.alert(Rule.SENSITIVE_PROCESS_MODULE, "host-000001", 70);
    Feed feed = feed(Filter.ALL, true, false);

    feed.accept("psfleet.alerts-0@0", AlertFindings.json(good));
    feed.accept("psfleet.alerts-0@1", AlertFindings.invalid(bad));

    List<String> out = lines.toString().lines().toList();
    assertThat(out.get(0)).contains(good.uid()).doesNotStartWith(" ");
    assertThat(out.get(1)).contains("psfleet-002", "T1547.005", "host-000001", bad.uid());
    assertThat(out.subList(2, out.size()))
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).startsWith("  invalid OCSF: "))
        .anySatisfy(l -> assertThat(l).contains("device.os"))
        .anySatisfy(l -> assertThat(l).contains("severity_id"));
    assertThat(feed.counts()).isEqualTo(new Feed.Counts(2, 0, 0, 1, 1));
    assertThat(feed.summary())
        .isEqualTo("2 alerts (1 valid, 1 invalid OCSF 1.3.0), 0 unreadable records");
  }

  @Test
  void everyRuleOfTheWriterValidates() {
    Feed feed = feed(Filter.ALL, true, false);
    int second = 0;
    for (Rule rule : Rule.values()) {
      feed.accept(
          "t-0@" + second, AlertFindings.json(AlertFindings.alert(rule, "host-000001", ++second)));
    }
    assertThat(lines.toString()).doesNotContain("invalid OCSF");
    assertThat(feed.counts().valid()).isEqualTo(Rule.values().length);
  }

  @Test
  void rulesAndHostsFilterAndAFleetFindingMatchesEveryHostOfItsCampaign() {
    Alert injection = AlertFindings.alert(Rule.DLL_INJECTION, "host-000001", 1);
    Alert spoofing = AlertFindings.alert(Rule.PPID_SPOOFING, "host-000002", 2);
    Alert fleet =
        AlertFindings.alert(Rule.FLEET_RARE_MODULE, "host-000003", 3, "host-000004", "host-000005");
    Feed feed =
        feed(new Filter(Set.of("psfleet-001", "psfleet-006"), Set.of("host-000004")), false, false);

    for (Alert a : List.of(injection, spoofing, fleet)) {
      feed.accept("t-0@0", AlertFindings.json(a));
    }

    assertThat(lines.toString().lines().toList())
        .singleElement()
        .satisfies(l -> assertThat(l).contains(fleet.uid(), "T1570", "host-000003"));
    assertThat(feed.summary())
        .isEqualTo("1 alert, 0 unreadable records, 2 not matching --rule/--host");
  }

  @Test
  void jsonPrintsEachFindingOnOneLineAndTheErrorsAsNotes() {
    Alert bad = AlertFindings.alert(Rule.SENSITIVE_PROCESS_MODULE, "host-000001", 70);
    Feed feed = feed(Filter.ALL, true, true);
    byte[] pretty =
        ("{\n  \"class_uid\": 2004,\n  \"message\": \"two\\nlines\"\n}")
            .getBytes(StandardCharsets.UTF_8);

    feed.accept("t-0@0", AlertFindings.json(bad));
    feed.accept("t-0@1", AlertFindings.invalid(bad));
    feed.accept("t-0@2", pretty);
    feed.accept("t-0@3", AlertFindings.broken());

    assertThat(lines.toString().lines().toList())
        .containsExactly(
            new String(AlertFindings.json(bad), StandardCharsets.UTF_8),
            new String(AlertFindings.invalid(bad), StandardCharsets.UTF_8),
            "{\"class_uid\":2004,\"message\":\"two\\nlines\"}");
    List<String> n = notes.toString().lines().toList();
    assertThat(n.get(0))
        .isEqualTo("invalid OCSF 1.3.0: finding " + bad.uid() + " at t-0@1, 2 errors:");
    assertThat(n).anySatisfy(l -> assertThat(l).startsWith("unreadable record t-0@3 skipped"));
  }

  @Test
  void aMissingKafkaConfigFileIsAUsageError() {
    Run run = run("--bootstrap", "127.0.0.1:9", "--kafka-config", "/no/such/client.properties");

    assertThat(run.exit).isEqualTo(2);
    assertThat(run.err.lines().toList())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("--kafka-config", "/no/such/client.properties"));
  }

  @Test
  void aKafkaConfigMayNotChangeWhatTheCommandSetsItself(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file, "# SOC consumer\nsecurity.protocol=PLAINTEXT\nisolation.level=read_uncommitted\n");

    Run run = run("--bootstrap", "127.0.0.1:9", "--kafka-config", file.toString());

    assertThat(run.exit).isEqualTo(2);
    assertThat(run.err.strip())
        .isEqualTo(
            "psfleet alerts: --kafka-config "
                + file
                + " sets isolation.level=read_uncommitted, which psfleet alerts sets itself"
                + " (read_committed)");
  }

  @Test
  void aKafkaConfigIsMergedIntoTheConsumerSettings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol = SASL_SSL\nsasl.mechanism=PLAIN\nisolation.level=read_committed\n");
    AlertsCommand command = new AlertsCommand(System.out);
    picocli.CommandLine cl = new picocli.CommandLine(command);
    cl.parseArgs("--bootstrap", "kafka-1:9093,kafka-2:9093", "--kafka-config", file.toString());

    AlertsCommand.Settings s = command.settings();

    assertThat(s.consumerProperties())
        .containsEntry("bootstrap.servers", "kafka-1:9093,kafka-2:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", "false")
        .doesNotContainKey("group.id");
    assertThat(s.max()).isEqualTo(Long.MAX_VALUE);
    assertThat(s.timeout()).isNull();
  }

  @Test
  void aRuleIsNamedByIdOrNameAndAnUnknownOneIsAUsageError() {
    assertThat(new AlertsCommand.RuleConverter().convert("psfleet-004"))
        .isEqualTo(Rule.SUSPICIOUS_LINEAGE);
    assertThat(new AlertsCommand.RuleConverter().convert("dll-injection"))
        .isEqualTo(Rule.DLL_INJECTION);

    Run run = run("--bootstrap", "127.0.0.1:9", "--rule", "psfleet-01");

    assertThat(run.exit).isEqualTo(2);
    assertThat(run.err.lines().toList())
        .singleElement()
        .satisfies(l -> assertThat(l).contains("--rule", "psfleet-01'", "psfleet-006"));
  }

  @Test
  void maxMustBePositive() {
    Run run = run("--bootstrap", "127.0.0.1:9", "--max", "0");

    assertThat(run.exit).isEqualTo(2);
    assertThat(run.err.strip()).isEqualTo("psfleet alerts: --max must be 1 or more, got 0");
  }

  @Test
  void theCommandIsRegistered() {
    assertThat(Psfleet.commandLine(System.out, System.err).getSubcommands()).containsKey("alerts");
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Psfleet.run(
            prepend("alerts", args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
