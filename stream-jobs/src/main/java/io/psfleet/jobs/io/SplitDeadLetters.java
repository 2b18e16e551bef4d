package io.psfleet.jobs.io;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes the records the source read on to the keyBy and sends dead letters to a side output,
 * counting them ({@code deadLetters}). The records are decoded after the keyBy ({@link
 * TelemetryDecoder}).
 */
public final class SplitDeadLetters extends ProcessFunction<Envelope, RawTelemetry> {
  public static final String UID = "split-dead-letters";
  public static final String NAME = "Records | dead letters";
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
  private static final long serialVersionUID = 1L;
  private transient Counter deadLetters;

  @Override
  public void open(OpenContext context) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
  }

  @Override
  public void processElement(Envelope envelope, Context ctx, Collector<RawTelemetry> out) {
    if (envelope.record() != null) {
      out.collect(envelope.record());
    } else {
      deadLetters.inc();
      ctx.output(DEAD_LETTERS, envelope.deadLetter());
    }
  }
}
