package io.psfleet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.agent.replay.SysmonJsonFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir Path dir;

  private int run(String... args) {
    return PsfleetApp.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<JsonNode> replay(String... options) throws IOException {
    Path recording = SysmonJsonFixture.attack(dir.resolve("attack.json"));
    Path events = dir.resolve("events.jsonl");
    List<String> args = new ArrayList<>(List.of("replay", recording.toString(), "--out"));
    args.add(events.toString());
    args.addAll(List.of(options));
    assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(events)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private static JsonNode create(List<JsonNode> events, String commandLine) {
    return events.stream()
        .filter(e -> e.path("type").asText().equals("ProcessCreate"))
        .filter(e -> e.path("body").path("CommandLine").asText().equals(commandLine))
        .findFirst()
        .orElseThrow()
        .path("body");
  }

  @Test
  void theRecordingIsItsOwnHostWithItsRecordedUsersAndParents() throws IOException {
    List<JsonNode> events = replay("--keep-times");

    assertThat(events)
        .allSatisfy(e -> assertThat(e.at("/header/hostId").asText()).isEqualTo("victim-pc"));
    JsonNode cmd = create(events, "cmd.exe /c whoami /priv");
    assertThat(cmd.path("User").asText()).isEqualTo("LAB\\eve");
    assertThat(cmd.path("LogonId").asLong()).isEqualTo(0x3b5cb2);
    // the recorded parent ran before the sensor: never seen, but the kernel hands it to the sensor
    assertThat(cmd.path("ParentImage").asText()).endsWith("\\powershell.exe");
    assertThat(cmd.path("ParentCommandLine").asText()).isEqualTo("powershell.exe -nop -w hidden");
    assertThat(events)
        .noneSatisfy(
            e ->
                assertThat(e.at("/body/CommandLine").asText())
                    .isEqualTo("powershell.exe -nop -w hidden"));
    JsonNode whoami = create(events, "whoami /priv");
    assertThat(whoami.path("ParentProcessGuid").asLong())
        .isEqualTo(cmd.path("ProcessGuid").asLong());
  }

  @Test
  void keptTimesAreTheRecordedOnesAndTheDefaultStartsNow() throws IOException {
    long recorded =
        java.time.Instant.parse("2025-01-01T10:00:00Z").getEpochSecond() * 1_000_000_000L;

    List<JsonNode> kept = replay("--keep-times");
    assertThat(kept.get(0).at("/header/eventTimeNanos").asLong()).isEqualTo(recorded);
    assertThat(kept.get(kept.size() - 1).at("/header/eventTimeNanos").asLong())
        .isEqualTo(recorded + 4_000_000_000L);

    out.reset();
    List<JsonNode> shifted = replay();
    assertThat(shifted.get(0).at("/header/eventTimeNanos").asLong())
        .isGreaterThan(
            java.time.Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
  }

  @Test
  void sequencesAreContiguousFromOne() throws IOException {
    List<JsonNode> events = replay();

    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).at("/header/sequence").asLong()).isEqualTo(i + 1);
    }
  }

  @Test
  void whatIsNotReplayedIsSaidBeforeAnythingIsPublished() throws IOException {
    replay();

    String said = out.toString(StandardCharsets.UTF_8);
    assertThat(said).contains("not modelled (counted, not replayed): {Sysmon 3=1}");
    assertThat(said.indexOf("not modelled")).isLessThan(said.indexOf("psfleet replay: 1 host"));
  }

  @Test
  void aFileWithNothingToReplayIsAUsageError() throws IOException {
    Path empty = Files.writeString(dir.resolve("nothing.json"), "{\"hello\": \"world\"}\n");

    int code = run("replay", empty.toString(), "--out", dir.resolve("e.jsonl").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("none of the files");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("nothing.json", "line 1");
  }
}
