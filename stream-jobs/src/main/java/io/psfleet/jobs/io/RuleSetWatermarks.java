package io.psfleet.jobs.io;

import io.psfleet.jobs.sigma.RuleSetVersion;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The rules topic's watermark: the end of time, from the start. Rule sets have no event time, and
 * an operator with a broadcast input runs at the lower of its inputs' watermarks: a rules topic
 * that is quiet for weeks must not hold the telemetry's event time (and every correlation timer)
 * back.
 */
public final class RuleSetWatermarks implements WatermarkGenerator<RuleSetVersion> {
  @Override
  public void onEvent(RuleSetVersion version, long eventTimestamp, WatermarkOutput output) {}

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(new Watermark(Long.MAX_VALUE));
  }
}
