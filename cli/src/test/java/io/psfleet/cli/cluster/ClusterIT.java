package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-machine cluster end to end, secured: three broker JVMs with SASL/SCRAM over TLS and ACLs
 * (no plaintext listener), a JobManager and a TaskManager JVM, the job jar submitted over REST, two
 * simulator shard JVMs, each part authenticated as its own principal, and one broker killed with
 * SIGKILL while the shards publish. Nothing may be lost: sequence numbers prove the telemetry,
 * ground truth the alerts; attacks injected after the kill must still be alerted; every process
 * must be gone after. Security costs no separate run: the same run would fail if any part lacked a
 * grant it needs.
 */
class ClusterIT {
  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // the run bounds itself; this guards a hang
  void aSecureClusterLosesNoTelemetryAndNoAlertWhenABrokerIsKilledAndLeavesNoProcessBehind(
      @TempDir Path tmp) throws Exception {
    String[] args =
        new String[] {
          "--secure",
          "--dir",
          tmp.resolve("cluster").toString(),
          "--out",
          tmp.resolve("report").toString(),
          "--hosts",
          "24",
          "--duration",
          "20m",
          "--speedup",
          "40",
          "--scenarios",
          "attacks:1,lookalikes:1",
          "--campaign-hosts",
          "5",
          "--kill-broker",
          "2",
          "--kill-after",
          "8s",
          "--checkpoint-interval",
          "2s",
          "--settle",
          "60s"
        };
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    Path checkout = Path.of("..").toAbsolutePath().normalize();

    ClusterRun.Outcome outcome;
    try {
      outcome = new ClusterRun(checkout, ClusterSettingsTest.parse(args), out).run();
    } finally {
      System.out.print(console.toString(StandardCharsets.UTF_8));
    }

    assertThat(outcome.problems()).isEmpty();
    assertThat(outcome.faults()).singleElement().satisfies(f -> assertThat(f.done()).isTrue());
    var telemetry = outcome.report().telemetry();
    long generated = outcome.shards().stream().mapToLong(ShardSummary::events).sum();
    assertThat(outcome.shards()).hasSize(2).allSatisfy(s -> assertThat(s.failed()).isZero());
    assertThat(telemetry.seen()).isEqualTo(generated).isPositive();
    assertThat(telemetry.missing()).isZero();
    assertThat(telemetry.duplicates()).isZero();
    assertThat(telemetry.hosts()).isEqualTo(24);
    var totals = outcome.report().totals();
    assertThat(totals.injected()).isEqualTo(6);
    assertThat(totals.detected()).isEqualTo(6);
    assertThat(totals.falsePositives()).isZero();
    assertThat(outcome.duplicateAlerts()).isZero();
    ClusterRun.FaultOutcome kill = outcome.faults().get(0);
    assertThat(kill.attacksAfter()).isPositive();
    assertThat(kill.detectedAfter()).isEqualTo(kill.attacksAfter());
    assertThat(outcome.timeline()).singleElement().asString().contains("KILLED broker kafka-2");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
        .as("processes the cluster started")
        .isEmpty();
    assertThat(tmp.resolve("cluster")).doesNotExist();
    assertThat(Files.readString(tmp.resolve("report/report.json")))
        .contains("\"T1055.001\"")
        .contains("SASL/SCRAM-SHA-512 over TLS, ACLs");
  }
}
