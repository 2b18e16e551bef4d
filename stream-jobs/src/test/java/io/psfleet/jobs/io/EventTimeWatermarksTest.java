package io.psfleet.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.event.Telemetry;
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

  private static Envelope decodedAt(long millis) {
    return Envelope.of(
        Telemetry.processExit(
            "host-000001", 1L, 1L, millis * 1_000_000L, 4, 42L, "C:\\Windows\\notepad.exe", 0),
        0);
  }

  @Test
  void aDeadLetterStampedInTheFutureDoesNotMoveTheWatermark() {
    EventTimeWatermarks watermarks = new EventTimeWatermarks(Duration.ofSeconds(5));
    Envelope event = decodedAt(1_000_000L);

    watermarks.onEvent(event, 1_000_000L, output);
    watermarks.onEvent(deadLetter(), 1_000_000L + Duration.ofDays(7).toMillis(), output);
    watermarks.onPeriodicEmit(output);

    assertThat(emitted).containsExactly(1_000_000L - 5_000 - 1);
  }

  @Test
  void decodedEventsMoveItAsBoundedOutOfOrderness() {
    EventTimeWatermarks watermarks = new EventTimeWatermarks(Duration.ofSeconds(5));

    watermarks.onEvent(decodedAt(20_000L), 20_000L, output);
    watermarks.onEvent(decodedAt(12_000L), 12_000L, output);
    watermarks.onPeriodicEmit(output);

    assertThat(emitted).containsExactly(20_000L - 5_000 - 1);
  }
}
