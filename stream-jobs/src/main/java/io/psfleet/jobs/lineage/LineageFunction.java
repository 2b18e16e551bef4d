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
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by host: decodes each record with its {@link InlineDecodeFunction}, keeps the host's {@link
 * ProcessTable} in Flink state, checks sequence numbers, and hands every event, enriched with its
 * ancestry, to its {@link InlineFunction} (the detection), in the same operator: what leaves is
 * what that function emits. The broadcast input is the function's (the rule set versions).
 *
 * <p>Event time: events of one host arrive in sequence order (one Kafka partition per host), so the
 * table applies them as they come and needs no buffering; the watermark only drives cleanup. It is
 * the lower of the two inputs' watermarks, so the broadcast input must not hold event time back
 * (the job marks the rules topic idle). Cleanup timers fire once the watermark passes an exited
 * process's grace period, bucketed to the minute so a host has few timers. Duplicates (by sequence
 * number) are counted and dropped, gaps are counted; both are metrics of this operator ({@code
 * duplicateEvents}, {@code sequenceGaps}, {@code missingEvents}). Sequence anomalies ({@link
 * SequenceTracker}) are counted ({@code sequenceJumps}, {@code bootReplays}) and reported on the
 * {@link #SEQUENCE_ANOMALIES} side output; a jump is passed on, a boot replay dropped. A host's
 * table is bounded ({@link ProcessTable}); evictions are the gauge {@code processEvictions}.
 *
 * <p>State per host, whatever it sends: the table's nodes (at most {@code maxProcesses}), one
 * {@link HostState} (the table's count and completion counter, the sequence tracker with {@link
 * SequenceTracker#BOOTS} boots, the idle deadline; read and written once per event), and event-time
 * timers, one per minute in which something of the host's may leave the table. A timer checks the
 * whole table ({@link ProcessTable#expireAll}) rather than a list of processes kept for it: such
 * lists grew with every exit and placeholder a flooding host sent within one minute of event time,
 * past the table's bound, and each append copied the list.
 *
 * <p>Hosts, however many: a host that has sent nothing for {@code hostIdle} of processing time
 * (wall-clock, so neither a skewed clock nor a replay at speed decides it) is forgotten, all its
 * state cleared at once; if it comes back its events start a new table and a new count, its old
 * parents returning as placeholders. So a producer that invents host ids (one record each) grows
 * state only by what one record leaves, and only for {@code hostIdle}. The deadline is kept to the
 * hour (a host goes between {@code hostIdle} and {@code hostIdle} + 2 h after its last event), so
 * an active host moves its timer once an hour, not once an event. Timers are checkpointed: a job
 * restored after a longer stop forgets every host at once. Hosts restored from a savepoint of a
 * version without this deadline get one with their next event.
 *
 * <p>Savepoints of versions that kept the host's values in four states of their own ({@code
 * sequences}, {@code completions}, {@code process-count}, {@code forget-at}) are read: a host's
 * values move to its {@link HostState} the first time it is handled.
 */
public final class LineageFunction<I, B, O> extends KeyedBroadcastProcessFunction<String, I, B, O>
    implements CheckpointedFunction {
  public static final String UID = "lineage";
  public static final OutputTag<SequenceAnomaly> SEQUENCE_ANOMALIES =
      new OutputTag<>("sequence-anomalies") {};
  private static final long serialVersionUID = 1L;
  private static final long BUCKET_MS = 60_000;
  private static final long IDLE_BUCKET_MS = 3_600_000;

  private final int maxDepth;
  private final Duration grace;
  private final long maxSequenceJump;
  private final int maxProcesses;

  /** A day: a host silent that long has gone (shut down, reimaged, decommissioned). */
  public static final Duration DEFAULT_HOST_IDLE = Duration.ofHours(24);

  /** Below an hour a host's deadline, kept to the hour, would be moved on almost every event. */
  public static final Duration MIN_HOST_IDLE = Duration.ofHours(1);

  private final long hostIdleMillis;
  private final InlineDecodeFunction<I> decoder;
  private final InlineFunction<B, O> stage;
  private transient MapState<Long, ProcessNode> nodes;
  private transient ValueState<HostState> hosts;

  /** The host of the element or timer being handled: what {@link StateStore} counts in. */
  private transient HostState host;

  /** What versions before {@link HostState} kept per host, moved to it by {@link #loadHost}. */
  private transient ValueState<Long> legacyCompletions;

  private transient ValueState<SequenceTracker> legacySequences;
  private transient ValueState<Integer> legacyProcessCount;
  private transient ValueState<Long> legacyForgetAt;

  /**
   * Written by earlier versions (processes to check, per cleanup minute); cleared at the host's
   * next timer so that state restored from their savepoints goes too.
   */
  private transient MapState<Long, long[]> legacyCleanupBuckets;

  private transient ProcessTable table;

  /** The timer service of the element or timer being handled, for {@link #cleanup}. */
  private transient TimerService timers;

  /** Made once: a lambda capturing each element's context would be allocated per event. */
  private transient ProcessTable.Cleanup cleanup;

  private transient Counter duplicates;
  private transient Counter gaps;
  private transient Counter missing;
  private transient Counter jumps;
  private transient Counter replays;
  private transient Counter forgotten;

  /**
   * @param maxSequenceJump the longest leap forward of a host's sequence number still taken as a
   *     gap
   * @param maxProcesses the most processes one host's table holds ({@link ProcessTable})
   * @param decoder what turns each keyed record into the event applied
   * @param stage what is done with each enriched event
   */
  public LineageFunction(
      int maxDepth,
      Duration grace,
      long maxSequenceJump,
      int maxProcesses,
      InlineDecodeFunction<I> decoder,
      InlineFunction<B, O> stage) {
    this(maxDepth, grace, maxSequenceJump, maxProcesses, DEFAULT_HOST_IDLE, decoder, stage);
  }

  /**
   * @param hostIdle how long a host may send nothing (processing time) before its state goes; at
   *     least an hour ({@code --host-idle})
   */
  public LineageFunction(
      int maxDepth,
      Duration grace,
      long maxSequenceJump,
      int maxProcesses,
      Duration hostIdle,
      InlineDecodeFunction<I> decoder,
      InlineFunction<B, O> stage) {
    if (hostIdle.compareTo(MIN_HOST_IDLE) < 0) {
      throw new IllegalArgumentException("host idle time must be at least 1h, got " + hostIdle);
    }
    this.maxDepth = maxDepth;
    this.grace = grace;
    this.maxSequenceJump = maxSequenceJump;
    this.maxProcesses = maxProcesses;
    this.hostIdleMillis = hostIdle.toMillis();
    this.decoder = decoder;
    this.stage = stage;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    stage.initializeState(context);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    // Keyed state and broadcast state are snapshotted by the operator; nothing else to keep.
  }

  @Override
  public void open(OpenContext context) {
    nodes =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "processes", LongSerializer.INSTANCE, ProcessNodeSerializer.INSTANCE));
    hosts =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("host", TypeInformation.of(HostState.class)));
    legacyCompletions =
        getRuntimeContext().getState(new ValueStateDescriptor<>("completions", Types.LONG));
    legacySequences =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("sequences", TypeInformation.of(SequenceTracker.class)));
    legacyCleanupBuckets =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "cleanup", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    legacyProcessCount =
        getRuntimeContext().getState(new ValueStateDescriptor<>("process-count", Types.INT));
    legacyForgetAt =
        getRuntimeContext().getState(new ValueStateDescriptor<>("forget-at", Types.LONG));
    table = new ProcessTable(new StateStore(), maxDepth, grace, maxProcesses);
    cleanup = (at, key) -> schedule(timers, at);
    getRuntimeContext().getMetricGroup().gauge("processEvictions", (Gauge<Long>) table::evictions);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    gaps = getRuntimeContext().getMetricGroup().counter("sequenceGaps");
    missing = getRuntimeContext().getMetricGroup().counter("missingEvents");
    jumps = getRuntimeContext().getMetricGroup().counter("sequenceJumps");
    replays = getRuntimeContext().getMetricGroup().counter("bootReplays");
    forgotten = getRuntimeContext().getMetricGroup().counter("forgottenHosts");
    decoder.open(getRuntimeContext());
    stage.open(getRuntimeContext());
  }

  @Override
  public void processElement(I record, ReadOnlyContext ctx, Collector<O> out) throws Exception {
    Telemetry event = decoder.decode(record, ctx);
    if (event == null) {
      return;
    }
    host = loadHost();
    if (host == null) {
      host = new HostState();
    }
    try {
      keepUntilIdle(ctx.timerService());
      timers = ctx.timerService();
      apply(event, ctx, out);
    } finally {
      hosts.update(host);
      host = null;
    }
  }

  private void apply(Telemetry event, ReadOnlyContext ctx, Collector<O> out) throws Exception {
    SequenceTracker tracker = host.sequences;
    long missingBefore = tracker.missing;
    SequenceTracker.Verdict verdict =
        tracker.observe(event.bootId(), event.sequence(), event.timeNanos(), maxSequenceJump);
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
    stage.accept(table.apply(event, cleanup), ctx, out);
  }

  @Override
  public void processBroadcastElement(B value, Context ctx, Collector<O> out) throws Exception {
    stage.broadcast(value, ctx, out);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
    host = loadHost();
    if (host == null) {
      if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME || nodes.isEmpty()) {
        legacyCleanupBuckets.clear();
        return; // forgotten: nothing is kept for it
      }
      host = new HostState(); // a table of a version that kept no counts
    }
    try {
      if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
        if (host.forgetAt == timestamp) {
          forget();
          host = null;
        }
        return;
      }
      if (!legacyCleanupBuckets.isEmpty()) {
        legacyCleanupBuckets.clear();
      }
      timers = ctx.timerService();
      table.expireAll(timestamp * 1_000_000L, cleanup);
    } finally {
      if (host != null) {
        hosts.update(host);
        host = null;
      }
    }
  }

  /**
   * The host's state; for a host restored from a version before {@link HostState}, built from the
   * states that version kept (then cleared); null for a host with neither.
   */
  private HostState loadHost() throws Exception {
    HostState h = hosts.value();
    if (h != null) {
      return h;
    }
    SequenceTracker sequences = legacySequences.value();
    Long completions = legacyCompletions.value();
    Integer count = legacyProcessCount.value();
    Long deadline = legacyForgetAt.value();
    if (sequences == null && completions == null && count == null && deadline == null) {
      return null;
    }
    h = new HostState();
    h.sequences = sequences != null ? sequences : new SequenceTracker();
    h.completions = completions != null ? completions : 0;
    h.processCount = count != null ? count : 0;
    h.forgetAt = deadline != null ? deadline : 0;
    clearLegacy();
    return h;
  }

  private void clearLegacy() {
    legacySequences.clear();
    legacyCompletions.clear();
    legacyProcessCount.clear();
    legacyForgetAt.clear();
  }

  /** Moves the host's idle deadline on, at most once an hour. */
  private void keepUntilIdle(TimerService timers) throws Exception {
    long now = timers.currentProcessingTime();
    long deadline = ((now + hostIdleMillis) / IDLE_BUCKET_MS + 1) * IDLE_BUCKET_MS;
    long current = host.forgetAt;
    if (current != 0 && current >= deadline - IDLE_BUCKET_MS) {
      return; // set within the last hour
    }
    if (current != 0) {
      timers.deleteProcessingTimeTimer(current);
    }
    timers.registerProcessingTimeTimer(deadline);
    host.forgetAt = deadline;
  }

  /** Drops everything kept for this host. Its pending cleanup timers find an empty table. */
  private void forget() throws Exception {
    nodes.clear();
    hosts.clear();
    clearLegacy();
    legacyCleanupBuckets.clear();
    forgotten.inc();
  }

  /** A check of the host's table at the minute after {@code atNanos}; Flink keeps one per time. */
  private static void schedule(TimerService timers, long atNanos) {
    long bucket = (atNanos / 1_000_000L / BUCKET_MS + 1) * BUCKET_MS;
    timers.registerEventTimeTimer(bucket);
  }

  /** The table's nodes in this host's MapState, its counts in the {@link HostState} in hand. */
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
    public long completions() {
      return host.completions;
    }

    @Override
    public void setCompletions(long value) {
      host.completions = value;
    }

    @Override
    public int size() {
      return host.processCount;
    }

    @Override
    public void setSize(int value) {
      host.processCount = value;
    }

    @Override
    public Iterable<ProcessNode> nodes() throws Exception {
      return nodes.values();
    }
  }
}
