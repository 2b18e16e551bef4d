package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A part that does not come up in time fails with a message that says so, and leaves nothing. */
class ClusterStartFailureIT {
  private static final ClusterHome HOME =
      ClusterHome.locate(Path.of("..").toAbsolutePath().normalize());

  @Test
  void aFlinkClusterThatIsNotUpInTimeNamesWhatWasMissingAndLeavesNoProcess(@TempDir Path tmp)
      throws Exception {
    Path log4j = Files.writeString(tmp.resolve("log4j2.properties"), "rootLogger.level = WARN\n");
    ProcessLedger ledger = new ProcessLedger(tmp.resolve("pids"));

    assertThatThrownBy(
            () ->
                FlinkCluster.start(
                    HOME, ledger, tmp.resolve("flink"), 1, 1, log4j, Duration.ofMillis(200)))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("the Flink cluster did not come up within PT0.2S")
        .hasMessageContaining(tmp.resolve("flink/logs").toString());

    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(ProcessLedger.live(ledger.file())).isEmpty();
  }

  @Test
  void aKafkaClusterThatIsNotUpInTimeSaysSoAndLeavesNoProcess(@TempDir Path tmp) throws Exception {
    Path log4j = Files.writeString(tmp.resolve("log4j2.properties"), "rootLogger.level = WARN\n");
    ProcessLedger ledger = new ProcessLedger(tmp.resolve("pids"));

    assertThatThrownBy(
            () ->
                KafkaCluster.start(
                    HOME, ledger, tmp, 3, false, false, log4j, Duration.ofMillis(200)))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("did not come up within PT0.2S");

    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(ProcessLedger.live(ledger.file())).isEmpty();
  }
}
