package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault but the broker kill (which {@link ClusterIT} runs) in one secure cluster run: a shard
 * cut off Kafka for 15 s, a TaskManager killed, the job upgraded through a savepoint to another
 * parallelism and checkpoint interval. Opt-in, since it takes about three minutes on a quiet 2-core
 * machine (more on a busy one: seven and a half minutes with four other builds on the two cores):
 * {@code ./mvnw -o -pl cli -am verify -Dit.test=ClusterFaultsIT -Dpsfleet.cluster.faults=true
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}
 * (without the last, failsafe fails the build in the first module of {@code -am}, where no test
 * matches).
 */
@EnabledIfSystemProperty(named = "psfleet.cluster.faults", matches = "true")
class ClusterFaultsIT {
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // the run bounds itself; this guards a hang
  void aShardCutOffALostTaskManagerAndAnUpgradeLoseNothingAndAlertEverythingOnce(@TempDir Path tmp)
      throws Exception {
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
          "40m",
          "--speedup",
          "40",
          "--scenarios",
          "attacks:2",
          "--campaign-hosts",
          "5",
          "--checkpoint-interval",
          "2s",
          "--settle",
          "90s",
          "--cut-shard",
          "1",
          "--cut-after",
          "12s",
          "--cut-for",
          "15s",
          "--kill-task-manager",
          "1",
          "--kill-task-manager-after",
          "30s",
          "--upgrade-after",
          "40s"
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
    assertThat(outcome.faults())
        .hasSize(3)
        .allSatisfy(
            f -> {
              assertThat(f.done()).as(f.fault().describe()).isTrue();
              assertThat(f.recovered()).as(f.recovery()).isTrue();
              assertThat(f.attacksAfter()).isPositive();
              assertThat(f.detectedAfter()).isEqualTo(f.attacksAfter());
            });
    var telemetry = outcome.report().telemetry();
    long generated = outcome.shards().stream().mapToLong(ShardSummary::events).sum();
    assertThat(telemetry.seen()).isEqualTo(generated).isPositive();
    assertThat(telemetry.missing()).isZero();
    assertThat(telemetry.duplicates()).isZero();
    assertThat(outcome.duplicateAlerts()).isZero();
    assertThat(outcome.restarts()).isPositive(); // the lost TaskManager's
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
        .as("processes the cluster started")
        .isEmpty();
  }
}
