package io.psfleet.jobs.io;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness over the records the source took (their time is their header's, never
 * further ahead of their Kafka timestamp than the bound) only. A dead letter carries no event time
 * (its timestamp is Kafka's, the wall clock of whoever wrote it), so it must not move the
 * watermark: one corrupt record stamped now, amid a replayed or simulated fleet whose event time
 * lies behind the wall clock, would otherwise make every later event late.
 */
public final class EventTimeWatermarks implements WatermarkGenerator<Envelope> {
  private final long outOfOrdernessMillis;
  private long maxTimestamp;

  public EventTimeWatermarks(Duration outOfOrderness) {
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    // As Flink's BoundedOutOfOrdernessWatermarks: no watermark before the first event.
    this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMillis + 1;
  }

  @Override
  public void onEvent(Envelope envelope, long eventTimestamp, WatermarkOutput output) {
    if (envelope.record() != null) {
      maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(new Watermark(maxTimestamp - outOfOrdernessMillis - 1));
  }
}
