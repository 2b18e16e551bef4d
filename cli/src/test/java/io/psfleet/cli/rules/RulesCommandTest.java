package io.psfleet.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.cli.Psfleet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {
  private static final String GOOD =
      """
      title: Whoami
      id: 11111111-1111-1111-1111-111111111111
      logsource:
        product: windows
        category: process_creation
      detection:
        selection:
          Image|endswith: '\\\\whoami.exe'
        condition: selection
      level: low
      """;

  private static final String BROKEN =
      """
      title: Broken
      id: 22222222-2222-2222-2222-222222222222
      logsource:
        product: windows
        category: process_creation
      detection:
        selection:
          CommandLine|frobnicate: 'x'
        condition: selection
      """;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Psfleet.commandLine(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  @Test
  void checkNamesTheRejectedRuleWithItsFileAndReasonAndExitsOne(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("good.yml"), GOOD);
    Path broken = Files.writeString(dir.resolve("broken.yml"), BROKEN);

    int exit = run("rules", "check", dir.toString());

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(1);
    assertThat(printed)
        .contains("1 rules loaded, 1 rejected")
        .contains(broken.toString())
        .contains("frobnicate");
  }

  @Test
  void pushOfASetWithARejectedRuleNamesItPushesNothingAndExitsOne(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("good.yml"), GOOD);
    Files.writeString(dir.resolve("broken.yml"), BROKEN);

    // Nothing listens on port 9: the set must be refused before any connection is tried.
    int exit = run("rules", "push", "--bootstrap", "127.0.0.1:9", dir.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("frobnicate");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("1 rule(s) rejected; nothing pushed");
  }

  @Test
  void checkReportsCorrelationRulesWithTheirMeaningAndTheRejectedOnesWithTheirReason(
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("good.yml"), GOOD);
    Path correlations =
        Files.writeString(
            dir.resolve("mr_whoami.yml"),
            """
            title: Whoami on many hosts
            id: 33333333-3333-3333-3333-333333333333
            correlation:
              type: value_count
              rules: [11111111-1111-1111-1111-111111111111]
              group-by: [User]
              timespan: 1h
              condition:
                field: Computer
                gte: 5
            ---
            title: Whoami burst
            id: 44444444-4444-4444-4444-444444444444
            correlation:
              type: event_count
              rules: [whoami_rule]
              group-by: [Computer]
              timespan: 10m
              condition:
                gte: 10
            """);

    int exit = run("rules", "check", dir.toString());

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(1);
    assertThat(printed)
        .contains("correlation                 1 (1 rejected)")
        .contains(
            "[33333333-3333-3333-3333-333333333333] Whoami on many hosts: value_count of 1 rule"
                + " in 1h by User (fleet-wide): distinct Computer gte 5")
        .contains(
            correlations
                + ":16: [44444444-4444-4444-4444-444444444444] Whoami burst: refers to unknown"
                + " rule 'whoami_rule'");
  }

  @Test
  void checkOfGoodRulesExitsZero(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("good.yml"), GOOD);

    assertThat(run("rules", "check", dir.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 rules loaded, 0 rejected");
  }

  @Test
  void testPrintsOneJsonLinePerEventWithTheRulesThatFire(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("good.yml"), GOOD);
    Path events =
        Files.writeString(
            dir.resolve("events.jsonl"),
            """
            {"EventID": 1, "Image": "C:\\\\Windows\\\\System32\\\\whoami.exe", "CommandLine": "whoami /all"}
            {"EventID": 1, "Image": "C:\\\\Windows\\\\System32\\\\notepad.exe", "CommandLine": "notepad"}
            """);

    int exit = run("rules", "test", "--rules", rules.toString(), "--events", events.toString());

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "{\"source\":\""
                + events
                + "\",\"index\":0,\"rules\":[\"11111111-1111-1111-1111-111111111111\"]}",
            "{\"source\":\"" + events + "\",\"index\":1,\"rules\":[]}");
  }

  @Test
  void testRunsCorrelationRulesOverTheEventsInEventTime(@TempDir Path dir) throws Exception {
    Path rules =
        Files.writeString(
            dir.resolve("rules.yml"),
            GOOD
                + """
                ---
                title: Whoami three times on a host
                id: 55555555-5555-5555-5555-555555555555
                correlation:
                  type: event_count
                  rules: [11111111-1111-1111-1111-111111111111]
                  group-by: [Computer]
                  timespan: 1m
                  condition:
                    gte: 3
                """);
    String whoami = "\"Image\": \"C:\\\\Windows\\\\System32\\\\whoami.exe\"";
    Path events =
        Files.writeString(
            dir.resolve("events.jsonl"),
            String.join(
                "\n",
                line("host-1", "10:00:00.000", whoami),
                line("host-2", "10:00:01.000", whoami),
                line("host-1", "10:00:30.000", whoami),
                // Out of order, within the minute the tester waits: in time for host-1's three.
                line("host-1", "10:00:20.000", whoami),
                line("host-2", "10:02:00.000", whoami),
                line("host-1", "10:05:00.000", whoami)));

    int exit = run("rules", "test", "--rules", rules.toString(), "--events", events.toString());

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .hasSize(7)
        .last()
        .isEqualTo(
            "{\"correlation\":\"55555555-5555-5555-5555-555555555555\",\"title\":\"Whoami"
                + " three times on a host\",\"events\":[{\"source\":\""
                + events
                + "\",\"index\":0},{\"source\":\""
                + events
                + "\",\"index\":3},{\"source\":\""
                + events
                + "\",\"index\":2}]}");
  }

  /** A flat Sysmon JSON line of a process creation on {@code host} at {@code time} (UTC). */
  private static String line(String host, String time, String fields) {
    return "{\"EventID\": 1, \"Computer\": \""
        + host
        + "\", \"UtcTime\": \"2026-12-01 "
        + time
        + "\", "
        + fields
        + "}";
  }

  @Test
  void testOnASigmaHqRegressionRecordingFiresItsRule() throws Exception {
    Path folder =
        Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."))
            .resolve(
                "../shared/sigma/regression_data/rules/windows/process_creation/"
                    + "proc_creation_win_wmic_recon_process");
    Assumptions.assumeTrue(
        Files.isDirectory(folder), "no SigmaHQ snapshot at " + folder + ": test not run");
    Path rules = folder.resolve("../../../../../rules/windows/process_creation").normalize();
    Path evtx;
    try (Stream<Path> files = Files.list(folder)) {
      evtx = files.filter(f -> f.toString().endsWith(".evtx")).findFirst().orElseThrow();
    }

    int exit = run("rules", "test", "--rules", rules.toString(), "--events", evtx.toString());

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("\"rules\":[\"221b251a-357a-49a9-920a-271802777cc0\"");
  }

  @Test
  void testReadsPsfleetsOwnJsonLinesAsSysmonWouldShowThem(@TempDir Path dir) throws Exception {
    Path rules =
        Files.writeString(
            dir.resolve("smss.yml"),
            GOOD.replace("\\\\whoami.exe", "\\\\smss.exe")
                .replace("level: low", "level: low\nfields: [OriginalFileName]"));
    Path recording = dir.resolve("fleet.jsonl");
    assertThat(
            run(
                "simulate",
                "--out",
                recording.toString(),
                "--hosts",
                "1",
                "--duration",
                "2m",
                "--scenarios",
                "none",
                "--quiet"))
        .isZero();
    out.reset();

    int exit = run("rules", "test", "--rules", rules.toString(), "--events", recording.toString());

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    java.util.List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize((int) Files.readAllLines(recording).size());
    assertThat(lines)
        .filteredOn(l -> l.contains("11111111-1111-1111-1111-111111111111"))
        .isNotEmpty();
  }
}
