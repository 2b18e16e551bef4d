package io.psfleet.jobs.io;

import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.event.TelemetryMapping;
import io.psfleet.jobs.lineage.InlineDecodeFunction;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;
import org.apache.flink.util.OutputTag;

/**
 * The whole decode of a record the source let through on its header ({@link
 * TelemetryDeserializationSchema}), after the keyBy, inside lineage's operator. It never throws: a
 * body that does not decode, a value no host produces ({@code IMPLAUSIBLE}) or an event that does
 * not map comes out as a {@link DeadLetter} on {@link #DEAD_LETTERS}, with its reason and its bytes
 * (cut to {@link InputBounds#maxRecordBytes()}). What it returns has every text within its {@link
 * FieldBounds}. Counts {@code deadLetters}, and the texts it cut ({@code truncatedFields}, in
 * {@code truncatedEvents} events), as metrics of lineage's operator.
 */
public final class TelemetryDecoder implements InlineDecodeFunction<RawTelemetry> {
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("undecodable") {};
  private static final long serialVersionUID = 1L;
  private final InputBounds bounds;
  private transient SingleObjectCodec<TelemetryEvent> codec;
  private transient TelemetryEvent reuse;
  private transient Counter deadLetters;
  private transient Counter truncatedFields;
  private transient Counter truncatedEvents;
  private transient BaseBroadcastProcessFunction.ReadOnlyContext current;
  private transient Consumer<DeadLetter> toSideOutput;

  public TelemetryDecoder(InputBounds bounds) {
    this.bounds = bounds;
  }

  @Override
  public void open(RuntimeContext context) {
    deadLetters = context.getMetricGroup().counter("deadLetters");
    truncatedFields = context.getMetricGroup().counter("truncatedFields");
    truncatedEvents = context.getMetricGroup().counter("truncatedEvents");
    // Made once: a lambda capturing each record's context would be allocated per record.
    toSideOutput = letter -> current.output(DEAD_LETTERS, letter);
  }

  @Override
  public Telemetry decode(RawTelemetry record, BaseBroadcastProcessFunction.ReadOnlyContext ctx) {
    current = ctx;
    return decode(record, toSideOutput);
  }

  /**
   * Decodes one record; what cannot be taken goes to {@code rejected} and null is returned. Usable
   * without {@link #open} (counters of its own then).
   */
  public Telemetry decode(RawTelemetry record, Consumer<DeadLetter> rejected) {
    if (codec == null) {
      codec = SingleObjectCodec.telemetry();
    }
    if (deadLetters == null) {
      deadLetters = new SimpleCounter();
      truncatedFields = new SimpleCounter();
      truncatedEvents = new SimpleCounter();
    }
    try {
      reuse = codec.decode(record.value(), reuse);
    } catch (DecodeException e) {
      return reject(record, e.reason().name(), e.getMessage(), rejected);
    }
    String implausible = FieldBounds.implausible(reuse);
    if (implausible != null) {
      return reject(record, "IMPLAUSIBLE", implausible, rejected);
    }
    int truncated = FieldBounds.truncate(reuse);
    Telemetry event;
    try {
      event = TelemetryMapping.from(reuse);
    } catch (RuntimeException e) {
      return reject(record, "UNMAPPABLE", "decoded but not mappable: " + e, rejected);
    }
    if (truncated > 0) {
      truncatedFields.inc(truncated);
      truncatedEvents.inc();
    }
    return event;
  }

  /** The texts cut to their bounds so far, by this instance. */
  public long truncatedFields() {
    return truncatedFields == null ? 0 : truncatedFields.getCount();
  }

  private Telemetry reject(
      RawTelemetry record, String reason, String message, Consumer<DeadLetter> rejected) {
    deadLetters.inc();
    rejected.accept(DeadLetter.of(reason, message, record, bounds.maxRecordBytes()));
    return null;
  }
}
