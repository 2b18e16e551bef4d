package io.psfleet.jobs.correlation;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Analytic;
import io.psfleet.jobs.sigma.LiveRules;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaAnalytics;
import io.psfleet.jobs.sigma.SigmaFunction;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.sigma.correlation.CorrelationEngine;
import io.psfleet.sigma.correlation.CorrelationMatch;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.CorrelationSet;
import io.psfleet.sigma.correlation.CorrelationState;
import io.psfleet.sigma.correlation.Observation;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sigma correlation rules ({@link CorrelationEngine}) over the observations the Sigma operator
 * makes of its matches. One instance runs the correlations of one {@link Scope}: grouped by host,
 * keyed by host (the stream lineage partitioned, reinterpreted: no shuffle), or fleet-wide, keyed
 * by the group's values ({@link Observation#valuesKey()}: every host's matches of one hash, user or
 * command line meet here).
 *
 * <p><b>Event time.</b> An observation waits in keyed state until the watermark passes it, then the
 * engine judges the key's observations in event-time order. One at or behind the watermark is late:
 * within the allowed lateness it is judged at once ({@code correlationJudgedLate}), beyond it
 * dropped and counted ({@code correlationLate}); see {@link CorrelationEngine}. One event-time
 * timer per key, at the next moment the engine has work (the oldest pending observation, or the
 * oldest sighting leaving its window), drives it.
 *
 * <p><b>State.</b> One {@link CorrelationState} per key: at most {@link
 * CorrelationEngine#DEFAULT_MAX_SIGHTINGS} pending observations and as many sightings per group
 * window (evictions counted, {@code correlationEvicted}); cleared once the watermark has passed
 * every window, so a quiet key holds nothing.
 *
 * <p>A match of a correlation that another correlation of the other scope builds on (a fleet-wide
 * one on a per-host one) leaves on {@link #FORWARD}.
 *
 * <p><b>Rules that change.</b> The rule set starts as the one the job was defined with and follows
 * the versions on the broadcast input, kept in broadcast state ({@link SigmaFunction#RULE_SET}) so
 * that a restore runs the set the job ran. A new version keeps the state of every correlation whose
 * windows it defines the same way ({@link CorrelationSet#staleUnder}) and drops, from every key at
 * once, the state of those it removes or redefines. The engine is kept in a field and swapped: an
 * observation costs no broadcast state lookup.
 */
public final class CorrelationFunction
    extends KeyedBroadcastProcessFunction<String, Observation, RuleSetVersion, Alert>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  /** Where a correlation's state lives. */
  public enum Scope {
    /** Correlations grouped by host, keyed by host. */
    HOST("correlate-sigma-host", "Correlate: Sigma per host"),
    /** Fleet-wide correlations, keyed by their group's values. */
    FLEET("correlate-sigma-fleet", "Correlate: Sigma across the fleet");

    public final String uid;
    public final String operatorName;

    Scope(String uid, String operatorName) {
      this.uid = uid;
      this.operatorName = operatorName;
    }

    public boolean runs(CorrelationRule rule) {
      return rule.hostScoped() == (this == HOST);
    }
  }

  /** Observations for the correlations of the other scope that build on this one's matches. */
  public static final OutputTag<Observation> FORWARD =
      new OutputTag<>("correlation-forward", TypeInformation.of(Observation.class));

  private static final ValueStateDescriptor<CorrelationState> STATE =
      new ValueStateDescriptor<>("correlation", TypeInformation.of(CorrelationState.class));

  private final SigmaRules startedWith;
  private final Scope scope;
  private final long allowedLatenessNanos;
  private transient RuleSetVersion restored;
  private transient long version;
  private transient CorrelationSet set;
  private transient CorrelationEngine engine;
  private transient Map<String, Analytic> analytics;
  private transient ValueState<CorrelationState> state;
  private transient Counter matchCount;
  private transient Counter droppedCount;
  private transient Collector<Alert> collector;
  private transient ReadOnlyContext context;
  private transient CorrelationEngine.Output output;

  /**
   * @param allowedLateness how far behind the watermark an observation is still judged
   */
  public CorrelationFunction(SigmaRules startedWith, Scope scope, Duration allowedLateness) {
    this.startedWith = startedWith;
    this.scope = scope;
    this.allowedLatenessNanos = allowedLateness.toNanos();
  }

  /** The key of a host-scoped observation: the host of its event, as lineage keyed it. */
  public static String hostKey(Observation o) {
    return o.sighting().hosts()[0];
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    // Before open: a restored job runs the version it ran, not the one it was defined with.
    restored =
        context
            .getOperatorStateStore()
            .getBroadcastState(SigmaFunction.RULE_SET)
            .get(SigmaFunction.CURRENT);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    // Broadcast and keyed state are snapshotted by the operator; nothing else to keep.
  }

  @Override
  public void open(OpenContext openContext) {
    RuleSetVersion first = restored != null ? restored : RuleSetVersion.startedWith(startedWith);
    restored = null;
    use(first, null);
    state = getRuntimeContext().getState(STATE);
    var metrics = getRuntimeContext().getMetricGroup();
    matchCount = metrics.counter("correlationMatches");
    droppedCount = metrics.counter("correlationStatesDropped");
    metrics.gauge("correlationLate", () -> engine.late());
    metrics.gauge("correlationJudgedLate", () -> engine.judgedLate());
    metrics.gauge("correlationEvicted", () -> engine.evicted());
    output =
        new CorrelationEngine.Output() {
          @Override
          public void match(CorrelationMatch match) {
            matchCount.inc();
            if (match.alert()) {
              collector.collect(
                  CorrelationAlerts.of(match, analytics.get(match.rule().key()), version));
            }
          }

          @Override
          public void forward(Observation observation) {
            context.output(FORWARD, observation);
          }
        };
  }

  /** Runs {@code rules} from now on; {@code previous} is the engine it replaces, or null. */
  private void use(RuleSetVersion rules, CorrelationEngine previous) {
    version = rules.version();
    set = rules.rules().load().ruleSet().correlations();
    engine =
        previous == null
            ? new CorrelationEngine(
                set, scope::runs, CorrelationEngine.DEFAULT_MAX_SIGHTINGS, allowedLatenessNanos)
            : previous.forSet(set);
    analytics = new HashMap<>();
    for (CorrelationRule rule : set.rules()) {
      analytics.put(rule.key(), SigmaAnalytics.of(rule));
    }
  }

  @Override
  public void processBroadcastElement(RuleSetVersion next, Context ctx, Collector<Alert> out)
      throws Exception {
    if (LiveRules.refusal(version, next) != null) {
      return; // the Sigma operator answers the pusher
    }
    CorrelationSet before = set;
    use(next, engine);
    ctx.getBroadcastState(SigmaFunction.RULE_SET).put(SigmaFunction.CURRENT, next);
    Set<String> stale = before.staleUnder(set);
    if (stale.isEmpty()) {
      return;
    }
    // Every key of this subtask at once: a key whose only state was stale would otherwise keep it
    // until its timer fires.
    ctx.applyToKeyedState(
        STATE,
        (key, keyState) -> {
          CorrelationState s = keyState.value();
          if (s != null && CorrelationEngine.drop(s, stale)) {
            droppedCount.inc();
            if (s.isEmpty()) {
              keyState.clear();
            } else {
              keyState.update(s);
            }
          }
        });
  }

  @Override
  public void processElement(Observation o, ReadOnlyContext ctx, Collector<Alert> out)
      throws Exception {
    CorrelationState s = state.value();
    if (s == null) {
      s = new CorrelationState();
    }
    collector = out;
    context = ctx;
    if (engine.add(s, o, watermarkNanos(ctx.timerService().currentWatermark()), output)) {
      if (s.isEmpty()) {
        state.clear(); // a late observation judged at once can leave nothing behind
      } else {
        state.update(s);
        schedule(ctx, s);
      }
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    CorrelationState s = state.value();
    if (s == null) {
      return;
    }
    collector = out;
    context = ctx;
    engine.advance(s, watermarkNanos(ctx.timerService().currentWatermark()), output);
    if (s.isEmpty()) {
      state.clear();
    } else {
      state.update(s);
      schedule(ctx, s);
    }
  }

  private void schedule(ReadOnlyContext ctx, CorrelationState s) {
    long next = engine.nextWakeup(s);
    if (next != Long.MAX_VALUE) {
      // The timer of millisecond T fires once every event up to T's last nanosecond is in.
      ctx.timerService().registerEventTimeTimer(Math.floorDiv(next, NANOS_PER_MILLI));
    }
  }

  /**
   * The watermark in event-time nanoseconds: Flink's watermark W says no more records of W
   * milliseconds or before, and a record's millisecond is its event's nanoseconds rounded down.
   */
  static long watermarkNanos(long watermarkMillis) {
    if (watermarkMillis <= Long.MIN_VALUE / NANOS_PER_MILLI) {
      return Long.MIN_VALUE;
    }
    if (watermarkMillis >= Long.MAX_VALUE / NANOS_PER_MILLI) {
      return Long.MAX_VALUE;
    }
    return watermarkMillis * NANOS_PER_MILLI + (NANOS_PER_MILLI - 1);
  }
}
