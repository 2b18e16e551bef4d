package io.psfleet.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.harness.report.GroundTruthJoin.Instance;
import io.psfleet.harness.report.GroundTruthJoin.Result;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettlingTest {
  @Test
  void anInterruptedRunWaitsAtMostFifteenSeconds() {
    assertThat(Settling.waitFor(Duration.ofSeconds(40), true)).isEqualTo(Duration.ofSeconds(15));
    assertThat(Settling.waitFor(Duration.ofSeconds(5), true)).isEqualTo(Duration.ofSeconds(5));
    assertThat(Settling.waitFor(Duration.ofSeconds(40), false)).isEqualTo(Duration.ofSeconds(40));
  }

  private static Instance attack(String id, boolean alerted) {
    return new Instance(
        id,
        "dll-injection",
        "T1055.001",
        true,
        List.of("h1"),
        alerted ? List.of("alert-" + id) : List.of(),
        alerted ? 100L : null);
  }

  private static final Instance QUIET_LOOKALIKE =
      new Instance("uac-1", "uac-elevation", "T1134.004", false, List.of("h2"), List.of(), null);

  @Test
  void aRunKeepsWaitingWhileAnInjectedAttackIsUnalerted() {
    Result partial =
        new Result(List.of(attack("a1", true), attack("a2", false), QUIET_LOOKALIKE), List.of());

    assertThat(Settling.attacksDetected(partial)).isEqualTo(1);
    assertThat(Settling.settled(partial, 2, false)).isFalse();
  }

  @Test
  void aRunWaitsForPlannedAttacksWhoseGroundTruthHasNotArrivedYet() {
    Result partial = new Result(List.of(attack("a1", true), QUIET_LOOKALIKE), List.of());

    assertThat(Settling.settled(partial, 1, false)).isTrue();
    assertThat(Settling.settled(partial, 3, false)).isFalse();
  }

  @Test
  void afterCtrlCOnlyTheAttacksInjectedSoFarAreAwaited() {
    Result partial = new Result(List.of(attack("a1", true), QUIET_LOOKALIKE), List.of());

    assertThat(Settling.attacksExpected(partial, 3, true)).isEqualTo(1);
    assertThat(Settling.settled(partial, 3, true)).isTrue();
  }

  static final long S = 1_000_000_000L;

  @Test
  void aJobThatCaughtUpAtOnceIsWaitedForTheSettleTime() {
    Settling.Deadline d = new Settling.Deadline(Duration.ofSeconds(40), 0);
    assertThat(d.waiting(0, 0)).isTrue();
    assertThat(d.waiting(0, 39 * S)).isTrue();
    assertThat(d.waiting(0, 40 * S)).isFalse();
  }

  @Test
  void theSettleTimeCountsFromWhenABusyJobCaughtUp() {
    Settling.Deadline d = new Settling.Deadline(Duration.ofSeconds(40), 0);
    assertThat(d.waiting(900_000, 0)).isTrue();
    assertThat(d.waiting(500_000, 30 * S)).isTrue();
    assertThat(d.waiting(100_000, 60 * S)).isTrue();
    assertThat(d.waiting(0, 90 * S)).isTrue();
    assertThat(d.waiting(0, 129 * S)).isTrue();
    assertThat(d.waiting(0, 130 * S)).isFalse();
  }

  @Test
  void aJobWhoseLagStopsShrinkingIsWaitedForNoLonger() {
    Settling.Deadline d = new Settling.Deadline(Duration.ofSeconds(40), 0);
    assertThat(d.waiting(1_000, 10 * S)).isTrue();
    assertThat(d.waiting(1_000, 30 * S)).isTrue();
    assertThat(d.waiting(1_200, 49 * S)).isTrue();
    assertThat(d.waiting(1_000, 50 * S)).isFalse();
  }

  @Test
  void anUnknownLagExtendsNothing() {
    Settling.Deadline d = new Settling.Deadline(Duration.ofSeconds(40), 0);
    assertThat(d.waiting(-1, 39 * S)).isTrue();
    assertThat(d.waiting(-1, 40 * S)).isFalse();
  }
}
