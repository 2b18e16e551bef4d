package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLedgerTest {
  @Test
  void stopAllEndsTheProcessesItRecordedAndDeletesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pids");
    ProcessLedger ledger = new ProcessLedger(file);
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    ledger.add("sleeper", sleeper.toHandle());

    assertThat(ProcessLedger.live(file))
        .extracting(ProcessLedger.Entry::name)
        .containsExactly("sleeper");
    List<ProcessLedger.Entry> stopped = ProcessLedger.stopAll(file, Duration.ofSeconds(5));

    assertThat(stopped).extracting(ProcessLedger.Entry::pid).containsExactly(sleeper.pid());
    // stopAll saw it exit; the Process object learns of it from the JVM's reaper thread a moment
    // later, so ask it to wait rather than read its state at once.
    assertThat(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(file).doesNotExist();
  }

  @Test
  void aPidWhoseStartTimeDiffersBelongsToAnotherProgramAndIsLeftAlone(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("pids");
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      long realStart = other.toHandle().info().startInstant().orElseThrow().toEpochMilli();
      Files.writeString(file, other.pid() + " " + (realStart - 60_000) + " kafka-1\n");

      assertThat(ProcessLedger.live(file)).isEmpty();
      assertThat(ProcessLedger.stopAll(file, Duration.ofSeconds(1))).isEmpty();
      assertThat(other.isAlive()).isTrue();
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void removedEntriesAreNoLongerListed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pids");
    ProcessLedger ledger = new ProcessLedger(file);
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      ledger.add("simulator-1", sleeper.toHandle());
      ledger.remove(sleeper.pid());

      assertThat(ProcessLedger.live(file)).isEmpty();
    } finally {
      sleeper.destroyForcibly();
    }
  }
}
