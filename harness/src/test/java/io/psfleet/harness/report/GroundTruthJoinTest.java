package io.psfleet.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.event.Telemetry;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroundTruthJoinTest {
  private static GroundTruthJoin.Truth truth(
      String id, String technique, boolean attack, String host, long key, long at) {
    return new GroundTruthJoin.Truth(
        new GroundTruth(
            id,
            id.replaceAll("-\\d+$", ""),
            technique,
            attack ? GroundTruthLabel.ATTACK : GroundTruthLabel.BENIGN_LOOKALIKE,
            host,
            1L,
            List.of(key),
            List.of(5L),
            0L,
            null),
        at);
  }

  private static AlertRecord alert(String uid, String technique, String host, long key, long at) {
    return new AlertRecord(
        uid,
        "psfleet-00x",
        technique,
        host,
        Set.of(String.format("%016x", key)),
        Set.of(host),
        at,
        List.of());
  }

  @Test
  void alertOnTheSameHostTechniqueAndProcessDetectsTheAttack() {
    var result =
        GroundTruthJoin.join(
            List.of(truth("dll-injection-0001", "T1055.001", true, "h1", 42, 1_000)),
            List.of(alert("a1", "T1055.001", "h1", 42, 1_250)));

    assertThat(result.instances().get(0).alerted()).isTrue();
    assertThat(result.instances().get(0).timeToAlertMillis()).isEqualTo(250);
    assertThat(result.unexplainedAlerts()).isEmpty();
  }

  @Test
  void alertNamingAnAttacksEventIsNotAlsoALookalikeThatSharesItsTargetProcess() {
    long lsass = 9;
    GroundTruthJoin.Truth dump =
        new GroundTruthJoin.Truth(
            new GroundTruth(
                "lsass-mimikatz-0001",
                "lsass-mimikatz",
                "T1003.001",
                GroundTruthLabel.ATTACK,
                "h1",
                1L,
                List.of(lsass, 10L),
                List.of(20L),
                0L,
                null),
            1_000);
    GroundTruthJoin.Truth scan =
        new GroundTruthJoin.Truth(
            new GroundTruth(
                "av-scans-lsass-0001",
                "av-scans-lsass",
                "T1003.001",
                GroundTruthLabel.BENIGN_LOOKALIKE,
                "h1",
                1L,
                List.of(lsass, 11L),
                List.of(30L),
                0L,
                null),
            1_000);
    AlertRecord onTheDump =
        new AlertRecord(
            "a1",
            "9b37db8f-ab71-4c91-9060-10506b2daffd",
            "T1003.001",
            "h1",
            Set.of(String.format("%016x", lsass), String.format("%016x", 10L)),
            Set.of("h1"),
            1_200,
            List.of(Telemetry.eventId("h1", 1L, 20)));

    var result = GroundTruthJoin.join(List.of(dump, scan), List.of(onTheDump));

    assertThat(result.instances())
        .extracting(i -> i.scenarioId() + "=" + i.alerted())
        .containsExactlyInAnyOrder("lsass-mimikatz-0001=true", "av-scans-lsass-0001=false");
    assertThat(result.unexplainedAlerts()).isEmpty();
  }

  @Test
  void attackWithoutMatchingAlertIsMissed() {
    var result =
        GroundTruthJoin.join(
            List.of(truth("dll-injection-0001", "T1055.001", true, "h1", 42, 1_000)),
            List.of(
                alert("other-host", "T1055.001", "h2", 42, 1_100),
                alert("other-process", "T1055.001", "h1", 43, 1_100),
                alert("other-technique", "T1134.004", "h1", 42, 1_100)));

    assertThat(result.instances().get(0).alerted()).isFalse();
    assertThat(result.instances().get(0).timeToAlertMillis()).isNull();
    assertThat(result.unexplainedAlerts()).hasSize(3);
  }

  @Test
  void duplicateAlertsCountOnceAndTheEarliestGivesTheTime() {
    var result =
        GroundTruthJoin.join(
            List.of(truth("ppid-spoofing-0001", "T1134.004", true, "h1", 7, 1_000)),
            List.of(
                alert("a2", "T1134.004", "h1", 7, 1_900),
                alert("a1", "T1134.004", "h1", 7, 1_300)));

    assertThat(result.instances()).hasSize(1);
    assertThat(result.instances().get(0).alertUids()).containsExactlyInAnyOrder("a1", "a2");
    assertThat(result.instances().get(0).timeToAlertMillis()).isEqualTo(300);
  }

  @Test
  void alertThatArrivesBeforeItsGroundTruthStillMatchesWithZeroDelay() {
    var result =
        GroundTruthJoin.join(
            List.of(truth("dll-sideloading-0001", "T1574.002", true, "h1", 9, 5_000)),
            List.of(alert("a", "T1574.002", "h1", 9, 4_800)));

    assertThat(result.instances().get(0).alerted()).isTrue();
    assertThat(result.instances().get(0).timeToAlertMillis()).isZero();
  }

  @Test
  void alertOnALookalikeIsAFalsePositive() {
    var result =
        GroundTruthJoin.join(
            List.of(truth("uac-elevation-0001", "T1134.004", false, "h1", 11, 1_000)),
            List.of(alert("fp", "T1134.004", "h1", 11, 1_100)));

    assertThat(result.instances().get(0).attack()).isFalse();
    assertThat(result.instances().get(0).alertUids()).containsExactly("fp");
    assertThat(result.unexplainedAlerts()).extracting(AlertRecord::uid).containsExactly("fp");
  }

  @Test
  void fleetAlertMatchesACampaignByHostAlone() {
    var result =
        GroundTruthJoin.join(
            List.of(
                truth("fleet-campaign-0001", "T1570", true, "h1", 1, 1_000),
                truth("fleet-campaign-0001", "T1570", true, "h2", 2, 2_000)),
            List.of(
                new AlertRecord(
                    "f",
                    "psfleet-006",
                    "T1570",
                    "h2",
                    Set.of("0000000000000099"),
                    Set.of("h1", "h2"),
                    2_400,
                    List.of())));

    assertThat(result.instances()).hasSize(1);
    assertThat(result.instances().get(0).hosts()).containsExactly("h1", "h2");
    assertThat(result.instances().get(0).timeToAlertMillis()).isEqualTo(400);
  }

  @Test
  void eachCampaignIsCreditedWithTheAlertNamingItsHostsNotOneSharingAHostWithIt() {
    var result =
        GroundTruthJoin.join(
            List.of(
                truth("fleet-campaign-0001", "T1570", true, "h1", 1, 1_000),
                truth("fleet-campaign-0001", "T1570", true, "h2", 2, 1_000),
                truth("fleet-campaign-0002", "T1570", true, "h2", 3, 5_000),
                truth("fleet-campaign-0002", "T1570", true, "h3", 4, 5_000)),
            List.of(
                new AlertRecord(
                    "first",
                    "psfleet-006",
                    "T1570",
                    "h2",
                    Set.of(),
                    Set.of("h1", "h2"),
                    1_500,
                    List.of()),
                new AlertRecord(
                    "second",
                    "psfleet-006",
                    "T1570",
                    "h3",
                    Set.of(),
                    Set.of("h2", "h3"),
                    5_500,
                    List.of())));

    assertThat(result.instances())
        .extracting(GroundTruthJoin.Instance::alertUids)
        .containsExactly(List.of("first"), List.of("second"));
    assertThat(result.unexplainedAlerts()).isEmpty();
  }
}
