package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.Telemetry;
import java.io.Serializable;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;

/**
 * Turns what {@link LineageFunction}'s keyed input carries into the event it applies, inside
 * lineage's own operator. The job routes undecoded records by host and decodes each once, here, so
 * the keyBy moves a record's bytes rather than a decoded event's fields, which cost more to write
 * and read than the decode itself. What cannot be decoded the decoder sends to a side output
 * through {@code ctx}; lineage then skips it without touching the host's state.
 *
 * @param <I> what lineage's keyed input carries
 */
public interface InlineDecodeFunction<I> extends Serializable {

  /** Once per subtask, before the first record: metrics, codecs. */
  default void open(RuntimeContext context) {}

  /** The event in {@code record}, or null when it is rejected (and reported through ctx). */
  Telemetry decode(I record, BaseBroadcastProcessFunction.ReadOnlyContext ctx);

  /** For an input of events decoded before the keyBy. */
  static InlineDecodeFunction<Telemetry> decoded() {
    return (event, ctx) -> event;
  }
}
