package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoadShapeTest {
  @ParameterizedTest
  @ValueSource(strings = {"constant", "stepped:4/30s", "ramp:1m", "bursts:10s/1m", "diurnal:10m"})
  void offeredIsTheIntegralOfTheShareAndSecondsForItsInverse(String spec) {
    LoadShape shape = LoadShape.parse(spec);
    assertThat(LoadShape.parse(shape.spec())).isEqualTo(shape);
    double integral = 0;
    double dt = 0.001;
    for (double t = 0; t < 300; t += dt) {
      integral += shape.share(t + dt / 2) * dt;
    }
    assertThat(shape.offered(300)).isCloseTo(integral, within(0.05));
    // 1,000 records/s at the top: the n-th record may go once the shape has offered n.
    double at = shape.secondsFor(50_000, 1000);
    assertThat(shape.offered(at) * 1000).isCloseTo(50_000, within(1.0));
  }

  @Test
  void eachShapeHasItsCurve() {
    assertThat(LoadShape.parse("stepped:4/30s").share(0)).isEqualTo(0.25);
    assertThat(LoadShape.parse("stepped:4/30s").share(95)).isEqualTo(1.0);
    assertThat(LoadShape.parse("ramp:100s").share(25)).isEqualTo(0.25);
    assertThat(LoadShape.parse("bursts:10s/1m").share(5)).isEqualTo(1.0);
    assertThat(LoadShape.parse("bursts:10s/1m").share(30)).isEqualTo(0.1);
    assertThat(LoadShape.parse("diurnal:24m").share(0)).isCloseTo(0.2, within(1e-9));
    assertThat(LoadShape.parse("diurnal:24m").share(12 * 60)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void aBadShapeSaysWhatIsAccepted() {
    assertThatThrownBy(() -> LoadShape.parse("sawtooth:5s"))
        .hasMessageContaining("'sawtooth' is not a shape; expected constant, stepped:N/D");
    assertThatThrownBy(() -> LoadShape.parse("stepped:4"))
        .hasMessageContaining("expected stepped:N/D");
    assertThatThrownBy(() -> LoadShape.parse("bursts:2m/1m"))
        .hasMessageContaining("must be shorter than its period");
  }
}
