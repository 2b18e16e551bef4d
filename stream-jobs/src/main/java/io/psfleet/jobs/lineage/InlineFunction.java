package io.psfleet.jobs.lineage;

import java.io.Serializable;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What is done with each event {@link LineageFunction} enriches, inside lineage's own operator: the
 * detection after lineage runs there, so an enriched event (its ancestry's strings included) is
 * never serialized from one operator to the next. That copy, through a local exchange because an
 * operator with a broadcast input is never chained, cost the job more than its rules did. The stage
 * may follow lineage's broadcast input (the rule set versions).
 *
 * @param <B> what the broadcast input carries
 * @param <O> what the stage emits, which is what lineage's operator emits
 */
public interface InlineFunction<B, O> extends Serializable {

  /** Restores the stage's operator state, before {@link #open}. */
  default void initializeState(FunctionInitializationContext context) throws Exception {}

  /** Once per subtask, before the first event: metrics, accumulators, compiled content. */
  default void open(RuntimeContext context) {}

  /** Judges one enriched event; side outputs go through {@code ctx}. */
  void accept(
      EnrichedEvent event, BaseBroadcastProcessFunction.ReadOnlyContext ctx, Collector<O> out)
      throws Exception;

  /** Takes one element of the broadcast input (every subtask gets each). */
  default void broadcast(B value, BaseBroadcastProcessFunction.Context ctx, Collector<O> out)
      throws Exception {}
}
