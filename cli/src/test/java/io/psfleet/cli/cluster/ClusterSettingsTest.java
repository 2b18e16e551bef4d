package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.commandline.UsageException;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  /** The settings a cluster command line describes, checked as the command checks them. */
  static ClusterSettings parse(String... args) {
    ClusterCommand command = new ClusterCommand(System.out);
    new picocli.CommandLine(command).parseArgs(args);
    return command.settings();
  }

  @Test
  void everyShardGetsTheSameFleetOptions() {
    ClusterSettings settings = parse("--hosts", "100", "--seed", "7", "--scenarios", "attacks:2");

    assertThat(settings.fleetArgs())
        .containsSequence("--hosts", "100")
        .containsSequence("--seed", "7")
        .containsSequence("--scenarios", "attacks:2")
        .doesNotContain("--shard", "--bootstrap");
  }

  @Test
  void parallelismAboveTheSlotsIsRefusedWithTheLimit() {
    assertThatThrownBy(() -> parse("--task-managers", "1", "--slots", "2", "--parallelism", "3"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--parallelism must be 1..2");
  }

  @Test
  void aBadFleetOptionIsRefusedBeforeAnyProcessStarts() {
    assertThatThrownBy(() -> parse("--scenarios", "no-such-scenario:1"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("no-such-scenario");
  }

  @Test
  void sigmaRulesGoToTheJobAsAbsolutePathsAndAMissingOneIsRefused(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path rule = java.nio.file.Files.writeString(dir.resolve("r.yml"), "title: r");

    ClusterSettings settings = parse("--rules", rule.toString());

    assertThat(settings.jobExtraArgs())
        .startsWith("--rules", rule.toAbsolutePath().toString())
        .doesNotContain("--no-default-rules");
    assertThat(parse().jobExtraArgs()).doesNotContain("--rules");
    assertThatThrownBy(() -> parse("--rules", dir.resolve("missing").toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(dir.resolve("missing").toString());
  }

  @Test
  void theJobJudgesEventsAsLateAsAFaultsStallMakesThemInTheSpedUpFleetsTime() {
    assertThat(parse("--speedup", "40", "--duration", "8h").jobExtraArgs())
        .containsSequence("--allowed-lateness", "80m");
    // A shard cut off for a minute forwards a minute more of spooled events.
    assertThat(
            parse("--speedup", "40", "--duration", "8h", "--cut-shard", "1", "--cut-for", "60s")
                .jobExtraArgs())
        .containsSequence("--allowed-lateness", "2h");
  }

  @Test
  void killingABrokerNeedsThreeOfThem() {
    assertThatThrownBy(() -> parse("--brokers", "1", "--kill-broker", "1"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("at least 3 brokers");
  }

  @Test
  void aCheckoutThatIsNotBuiltSaysWhatToRun() {
    assertThatThrownBy(() -> ClusterHome.locate(java.nio.file.Path.of("/nonexistent-checkout")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("./mvnw -B -DskipTests install");
  }

  @Test
  void killingATaskManagerThatIsNotThereIsRefusedWithTheRange() {
    assertThatThrownBy(() -> parse("--task-managers", "1", "--kill-task-manager", "2"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--kill-task-manager must be 0 (none) or 1..1");
  }

  @Test
  void anUpgradeByDefaultRunsOneSubtaskFewerAtTwiceTheCheckpointInterval() {
    ClusterSettings settings =
        parse("--parallelism", "2", "--checkpoint-interval", "3s", "--upgrade-after", "20s");

    assertThat(settings.fault(Fault.UpgradeJob.class))
        .contains(
            new Fault.UpgradeJob(
                java.time.Duration.ofSeconds(20), 1, java.time.Duration.ofSeconds(6)));
    assertThat(parse().faults()).isEmpty();
  }

  @Test
  void anUpgradeBeyondTheSlotsIsRefusedBeforeAnyProcessStarts() {
    assertThatThrownBy(
            () -> parse("--slots", "2", "--upgrade-after", "20s", "--upgrade-parallelism", "3"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--upgrade-parallelism must be 1..2");
  }

  @Test
  void cuttingAShardThatIsNotThereIsRefusedWithTheRange() {
    assertThatThrownBy(() -> parse("--shards", "2", "--cut-shard", "3"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--cut-shard must be 0 (none) or 1..2");
  }
}
