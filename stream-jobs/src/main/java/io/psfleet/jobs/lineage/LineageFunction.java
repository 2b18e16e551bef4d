package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.Telemetry;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by host: keeps the host's {@link ProcessTable} in Flink state, checks sequence numbers, and
 * emits every event enriched with its ancestry.
 *
 * <p>Event time: events of one host arrive in sequence order (one Kafka partition per host), so the
 * table applies them as they come and needs no buffering; the watermark only drives cleanup.
 * Cleanup timers fire once the watermark passes an exited process's grace period, bucketed to the
 * minute so a host has few timers. Duplicates (by sequence number) are counted and dropped, gaps
 * are counted; both are metrics of this operator ({@code duplicateEvents}, {@code sequenceGaps},
 * {@code missingEvents}). Sequence anomalies ({@link SequenceTracker}) are counted ({@code
 * sequenceJumps}, {@code bootReplays}) and reported on the {@link #SEQUENCE_ANOMALIES} side output;
 * a jump is passed on, a boot replay dropped. A host's table is bounded ({@link ProcessTable});
 * evictions are the gauge {@code processEvictions}.
 */
public final class LineageFunction extends KeyedProcessFunction<String, Telemetry, EnrichedEvent> {
  public static final String UID = "lineage";
  public static final String NAME = "Lineage: per-host process table";
  public static final OutputTag<SequenceAnomaly> SEQUENCE_ANOMALIES =
      new OutputTag<>("sequence-anomalies") {};
  private static final long serialVersionUID = 1L;
  private static final long BUCKET_MS = 60_000;

  private final int maxDepth;
  private final Duration grace;
  private final long maxSequenceJump;
  private final int maxProcesses;
  private transient MapState<Long, ProcessNode> nodes;
  private transient ValueState<Long> completions;
  private transient ValueState<SequenceTracker> sequences;
  private transient MapState<Long, long[]> cleanupBuckets;
  private transient ValueState<Integer> processCount;
  private transient ProcessTable table;
  private transient Counter duplicates;
  private transient Counter gaps;
  private transient Counter missing;
  private transient Counter jumps;
  private transient Counter replays;

  /**
   * @param maxSequenceJump the longest leap forward of a host's sequence number still taken as a
   *     gap
   * @param maxProcesses the most processes one host's table holds ({@link ProcessTable})
   */
  public LineageFunction(int maxDepth, Duration grace, long maxSequenceJump, int maxProcesses) {
    this.maxDepth = maxDepth;
    this.grace = grace;
    this.maxSequenceJump = maxSequenceJump;
    this.maxProcesses = maxProcesses;
  }

  @Override
  public void open(OpenContext context) {
    nodes =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "processes", Types.LONG, TypeInformation.of(ProcessNode.class)));
    completions =
        getRuntimeContext().getState(new ValueStateDescriptor<>("completions", Types.LONG));
    sequences =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("sequences", TypeInformation.of(SequenceTracker.class)));
    cleanupBuckets =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "cleanup", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    processCount =
        getRuntimeContext().getState(new ValueStateDescriptor<>("process-count", Types.INT));
    table = new ProcessTable(new StateStore(), maxDepth, grace, maxProcesses);
    getRuntimeContext().getMetricGroup().gauge("processEvictions", (Gauge<Long>) table::evictions);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    gaps = getRuntimeContext().getMetricGroup().counter("sequenceGaps");
    missing = getRuntimeContext().getMetricGroup().counter("missingEvents");
    jumps = getRuntimeContext().getMetricGroup().counter("sequenceJumps");
    replays = getRuntimeContext().getMetricGroup().counter("bootReplays");
  }

  @Override
  public void processElement(Telemetry event, Context ctx, Collector<EnrichedEvent> out)
      throws Exception {
    SequenceTracker tracker = sequences.value();
    if (tracker == null) {
      tracker = new SequenceTracker();
    }
    long missingBefore = tracker.missing;
    SequenceTracker.Verdict verdict =
        tracker.observe(event.bootId(), event.sequence(), event.timeNanos(), maxSequenceJump);
    sequences.update(tracker);
    switch (verdict) {
      case DUPLICATE -> {
        duplicates.inc();
        return;
      }
      case BOOT_REPLAY -> {
        replays.inc();
        ctx.output(SEQUENCE_ANOMALIES, SequenceAnomaly.of(event, verdict, tracker));
        return;
      }
      case SEQUENCE_JUMP -> {
        jumps.inc();
        ctx.output(SEQUENCE_ANOMALIES, SequenceAnomaly.of(event, verdict, tracker));
      }
      case AFTER_GAP -> {
        gaps.inc();
        missing.inc(tracker.missing - missingBefore);
      }
      case IN_ORDER -> {}
    }
    out.collect(table.apply(event, (at, key) -> schedule(ctx, at, key)));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedEvent> out)
      throws Exception {
    long[] keys = cleanupBuckets.get(timestamp);
    if (keys == null) {
      return;
    }
    cleanupBuckets.remove(timestamp);
    long now = timestamp * 1_000_000L;
    for (long key : keys) {
      table.expire(key, now, (at, k) -> schedule(ctx, at, k));
    }
  }

  private void schedule(Context ctx, long atNanos, long key) throws Exception {
    long bucket = (atNanos / 1_000_000L / BUCKET_MS + 1) * BUCKET_MS;
    long[] keys = cleanupBuckets.get(bucket);
    long[] grown = keys == null ? new long[1] : java.util.Arrays.copyOf(keys, keys.length + 1);
    grown[grown.length - 1] = key;
    cleanupBuckets.put(bucket, grown);
    ctx.timerService().registerEventTimeTimer(bucket);
  }

  /** The table's nodes in this host's MapState. */
  private final class StateStore implements ProcessStore {
    @Override
    public ProcessNode get(long key) throws Exception {
      return nodes.get(key);
    }

    @Override
    public void put(ProcessNode node) throws Exception {
      nodes.put(node.key, node);
    }

    @Override
    public void remove(long key) throws Exception {
      nodes.remove(key);
    }

    @Override
    public long completions() throws Exception {
      Long value = completions.value();
      return value == null ? 0 : value;
    }

    @Override
    public void setCompletions(long value) throws Exception {
      completions.update(value);
    }

    @Override
    public int size() throws Exception {
      Integer value = processCount.value();
      return value == null ? 0 : value;
    }

    @Override
    public void setSize(int value) throws Exception {
      processCount.update(value);
    }

    @Override
    public Iterable<ProcessNode> nodes() throws Exception {
      return nodes.values();
    }
  }
}
