package io.psfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmedRatiosTest {
  @Test
  void theFirstRoundIsLeftOutAndEachRatioGetsItsMedianAndRange() {
    WarmedRatios warmed = new WarmedRatios();
    warmed.add(1, "full / floor", 0.10, 0.10); // warm-up: out
    warmed.add(2, "full / floor", 0.70, 0.80);
    warmed.add(2, "full + Sigma / floor", 0.50, 0.60);
    warmed.add(3, "full / floor", 0.50, 0.75);
    warmed.add(3, "full + Sigma / floor", 0.40, 0.50);
    warmed.add(4, "full / floor", 0.60, 0.70);

    assertThat(warmed.rounds()).isEqualTo(3);
    assertThat(warmed.lines())
        .containsExactly(
            "full / floor median 0.60 (0.50-0.70), CPU per event median 0.75 (0.70-0.80)",
            "full + Sigma / floor median 0.45 (0.40-0.50), CPU per event median 0.55 (0.50-0.60)");
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(WarmedRatios.median(new double[] {0.2, 0.4, 0.6, 0.9})).isEqualTo(0.5);
    assertThat(WarmedRatios.median(new double[] {0.3})).isEqualTo(0.3);
  }
}
