package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.publish.TelemetryPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fleet's publisher holds a shaped cap: no record goes before the shape has offered it (the cap
 * is checked every 256 records), and the run takes as long as the shape needs for them.
 */
class ShapedRateTest {
  @Test
  void aRampHoldsEachRecordUntilTheRampHasOfferedIt() {
    LoadShape ramp = LoadShape.parse("ramp:3s");
    long cap = 4000;
    FleetConfig config =
        FleetConfig.builder()
            .hosts(40)
            .seed(3)
            .duration(Duration.ofMinutes(8))
            .bootWindow(Duration.ofSeconds(10))
            .eventsPerSecond(cap)
            .shape(ramp)
            .threads(1)
            .build();
    List<Long> sentAt = new ArrayList<>();
    long[] start = new long[1];
    TelemetryPublisher timing =
        new TelemetryPublisher() {
          @Override
          public void send(String hostId, byte[] telemetryEvent) {
            sentAt.add(System.nanoTime() - start[0]);
          }

          @Override
          public void sendGroundTruth(String hostId, byte[] groundTruth) {}

          @Override
          public void flush() {}

          @Override
          public PublisherStats stats() {
            return new PublisherStats(sentAt.size(), sentAt.size(), 0, 0, 0, null);
          }

          @Override
          public void close() {}
        };
    Fleet fleet = new Fleet(config, FleetAssets.create(), timing, null, RecordFormat.AVRO, p -> {});
    start[0] = System.nanoTime();
    fleet.run();

    assertThat(sentAt.size()).isGreaterThan(4 * 256);
    for (int n = 0; n < sentAt.size(); n++) {
      // The publisher's clock starts a little after ours: its bound is at least as late.
      double earliest = ramp.secondsFor(n - n % 256, cap);
      assertThat(sentAt.get(n) / 1e9).as("record %d", n).isGreaterThanOrEqualTo(earliest);
    }
    double last = ramp.secondsFor(sentAt.size() - 1 - (sentAt.size() - 1) % 256, cap);
    assertThat(last).isGreaterThan(1.0);
  }
}
