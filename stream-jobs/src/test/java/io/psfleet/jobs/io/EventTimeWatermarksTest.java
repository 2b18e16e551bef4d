package io.psfleet.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class EventTimeWatermarksTest {
  private final List<Long> emitted = new ArrayList<>();
  private final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
      };

  private static Envelope deadLetter() {
    return Envelope.of(
        DeadLetter.of(
            "CORRUPT", "bad bytes", "psfleet.telemetry", 0, 1L, 0L, null, new byte[0], 1024));
  }

  private static Envelope recordAt(long millis) {
    return Envelope.of(
        new RawTelemetry("host-000001", "psfleet.telemetry", 0, 1L, millis, null, new byte[0]),
        millis);
  }

  @Test
  void aDeadLetterStampedInTheFutureDoesNotMoveTheWatermark() {
    EventTimeWatermarks watermarks = new EventTimeWatermarks(Duration.ofSeconds(5));
    Envelope event = recordAt(1_000_000L);

    watermarks.onEvent(event, 1_000_000L, output);
    watermarks.onEvent(deadLetter(), 1_000_000L + Duration.ofDays(7).toMillis(), output);
    watermarks.onPeriodicEmit(output);

    assertThat(emitted).containsExactly(1_000_000L - 5_000 - 1);
  }

  @Test
  void recordsMoveItAsBoundedOutOfOrderness() {
    EventTimeWatermarks watermarks = new EventTimeWatermarks(Duration.ofSeconds(5));

    watermarks.onEvent(recordAt(20_000L), 20_000L, output);
    watermarks.onEvent(recordAt(12_000L), 12_000L, output);
    watermarks.onPeriodicEmit(output);

    assertThat(emitted).containsExactly(20_000L - 5_000 - 1);
  }
}
