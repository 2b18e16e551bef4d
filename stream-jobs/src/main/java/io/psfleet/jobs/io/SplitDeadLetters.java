package io.psfleet.jobs.io;

import io.psfleet.jobs.event.Telemetry;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes decoded events on and sends dead letters to a side output, counting them ({@code
 * deadLetters}) and the texts the decoder cut to their bounds ({@code truncatedFields}, in {@code
 * truncatedEvents} events).
 */
public final class SplitDeadLetters extends ProcessFunction<Envelope, Telemetry> {
  public static final String UID = "split-dead-letters";
  public static final String NAME = "Decoded events | dead letters";
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
  private static final long serialVersionUID = 1L;
  private transient Counter deadLetters;
  private transient Counter truncatedFields;
  private transient Counter truncatedEvents;

  @Override
  public void open(OpenContext context) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    truncatedFields = getRuntimeContext().getMetricGroup().counter("truncatedFields");
    truncatedEvents = getRuntimeContext().getMetricGroup().counter("truncatedEvents");
  }

  @Override
  public void processElement(Envelope envelope, Context ctx, Collector<Telemetry> out) {
    if (envelope.event() != null) {
      if (envelope.truncatedFields() > 0) {
        truncatedFields.inc(envelope.truncatedFields());
        truncatedEvents.inc();
      }
      out.collect(envelope.event());
    } else {
      deadLetters.inc();
      ctx.output(DEAD_LETTERS, envelope.deadLetter());
    }
  }
}
