package io.psfleet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PsfleetApp.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesJsonLinesAndGroundTruthFilesWithASummary(@TempDir Path dir) throws IOException {
    Path events = dir.resolve("events.jsonl");
    Path truth = dir.resolve("truth.jsonl");

    int code =
        run(
            "simulate",
            "--hosts",
            "5",
            "--duration",
            "15m",
            "--scenarios",
            "attacks:1",
            "--out",
            events.toString(),
            "--ground-truth",
            truth.toString(),
            "--summary",
            dir.resolve("summary.json").toString(),
            "--quiet");

    assertThat(code).isZero();
    List<String> lines = Files.readAllLines(events);
    assertThat(lines)
        .hasSizeGreaterThan(1_000)
        .allMatch(l -> l.startsWith("{\"header\":{\"hostId\":\"host-00000"));
    List<String> truths = Files.readAllLines(truth);
    assertThat(truths)
        .anyMatch(
            l -> l.contains("\"technique\":\"T1055.001\"") && l.contains("\"label\":\"ATTACK\""));
    assertThat(stdout()).contains("Summary:", "events", "heap per host", "0 failed");
    String summary = Files.readString(dir.resolve("summary.json"));
    assertThat(summary)
        .startsWith("{\"stoppedEarly\":false,")
        .contains("\"events\":" + lines.size() + ",", "\"hosts\":5,", "\"failed\":0,")
        .contains("\"groundTruths\":" + truths.size() + ",");
  }

  @Test
  void stdoutCarriesOnlyEventsWhileProgressGoesToStderr() {
    int code =
        run("simulate", "--hosts", "2", "--duration", "2m", "--scenarios", "none", "--out", "-");

    assertThat(code).isZero();
    assertThat(stdout().lines()).allMatch(l -> l.startsWith("{\"header\""));
    assertThat(stderr()).contains("Summary:");
  }

  @Test
  void unreachableBootstrapEndsWithinSecondsNamingIt() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    long start = System.nanoTime();

    int code =
        run("simulate", "--hosts", "2", "--duration", "1m", "--bootstrap", "127.0.0.1:" + port);

    assertThat(code).as("an endpoint that does not answer is exit code 1").isEqualTo(1);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
    assertThat(stderr()).contains("127.0.0.1:" + port);
  }

  @Test
  void badOptionsAreNamedWithWhatIsAccepted() {
    assertThat(run("simulate", "--duration", "ten")).isEqualTo(2);
    assertThat(stderr())
        .contains("'--duration'", "'ten'", "a duration such as 500ms, 90s, 15m, 2h, 1d");
    assertThat(run("simulate", "--shard", "3/2")).isEqualTo(2);
    assertThat(stderr()).contains("shard must be i/n with 1 <= i <= n, got 3/2");
    assertThat(run("simulate", "--scenarios", "dll-injektion")).isEqualTo(2);
    assertThat(stderr()).contains("unknown scenario 'dll-injektion'", "--list-scenarios");
    assertThat(run("simulate", "--profiles", "workstation=90")).isEqualTo(2);
    assertThat(stderr()).contains("add up to 100");
    assertThat(run("simulate", "--out", "-", "--bootstrap", "localhost:9092")).isEqualTo(2);
    assertThat(stderr()).contains("--out and --bootstrap exclude each other");
  }

  @Test
  void listsScenariosWithTheirTechniques() {
    assertThat(run("simulate", "--list-scenarios")).isZero();
    assertThat(stdout())
        .contains(
            "dll-injection", "T1055.001", "fleet-campaign", "uac-elevation", "must not alert");
  }

  @Test
  void helpExplainsEveryOption() {
    assertThat(run("simulate", "--help")).isZero();
    assertThat(stdout())
        .contains(
            "--hosts",
            "--duration",
            "--seed",
            "--rate",
            "--speedup",
            "--shard",
            "--scenarios",
            "--ground-truth",
            "--bootstrap",
            "--out",
            "--no-boot-telemetry",
            "--drivers",
            "irql-fault",
            "--lsass-ppl");
  }

  @Test
  void driversNamesAnUnknownOneWithTheKnownOnes() {
    assertThat(run("simulate", "--drivers", "sensor,antivrus")).isEqualTo(2);
    assertThat(stderr())
        .contains(
            "--drivers 'sensor,antivrus'",
            "unknown driver 'antivrus'",
            "known: sensor, antivirus, failing-entry, irql-fault");
    assertThat(run("simulate", "--drivers", "antivirus")).isEqualTo(2);
    assertThat(stderr()).contains("the sensor must be loaded");
    assertThat(run("simulate", "--drivers", "sensor,sensor")).isEqualTo(2);
    assertThat(stderr()).contains("driver 'sensor' named twice");
  }

  @Test
  void hashAlgorithmsChooseTheHashesTheSensorComputes(@TempDir Path dir) throws Exception {
    Path events = dir.resolve("events.jsonl");

    int code =
        run(
            "simulate",
            "--hosts",
            "1",
            "--duration",
            "2m",
            "--scenarios",
            "none",
            "--hash-algorithms",
            "sha256",
            "--out",
            events.toString(),
            "--quiet");

    assertThat(code).isZero();
    List<String> creates =
        Files.readAllLines(events).stream().filter(l -> l.contains("\"ProcessCreate\"")).toList();
    assertThat(creates)
        .isNotEmpty()
        .allMatch(l -> l.contains("\"MD5\":null") && l.contains("\"SHA1\":null"))
        .allMatch(l -> !l.contains("\"Hashes\":null"));
  }
}
