package io.psfleet.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunLatenessTest {
  static final Duration FLOOR = Duration.ofMinutes(10);

  @Test
  void aSpedUpFleetGetsTheEventTimeItsWallClockStallCovers() {
    assertThat(RunLateness.of(40, Duration.ofHours(8), Duration.ofMinutes(2), FLOOR))
        .isEqualTo(Duration.ofMinutes(80));
  }

  @Test
  void neverMoreThanTheFleetsSpanNorLessThanTheFloor() {
    assertThat(RunLateness.of(40, Duration.ofMinutes(20), Duration.ofMinutes(2), FLOOR))
        .isEqualTo(Duration.ofMinutes(20));
    assertThat(RunLateness.of(1, Duration.ofHours(8), Duration.ofMinutes(2), FLOOR))
        .isEqualTo(FLOOR);
  }

  @Test
  void aFleetFlatOutGetsItsWholeSpan() {
    assertThat(RunLateness.of(0, Duration.ofHours(8), Duration.ofMinutes(2), FLOOR))
        .isEqualTo(Duration.ofHours(8));
  }
}
