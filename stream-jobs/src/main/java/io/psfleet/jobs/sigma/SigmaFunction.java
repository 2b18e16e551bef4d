package io.psfleet.jobs.sigma;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.InlineFunction;
import io.psfleet.jobs.lineage.LineageFunction;
import io.psfleet.sigma.LoadReport;
import io.psfleet.sigma.RuleOutcome;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.Observation;
import java.util.function.Consumer;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sigma rules ({@link SigmaDetector}) over enriched events, inside lineage's operator ({@link
 * LineageFunction}: no exchange between them), with a rule set that may change while the job runs.
 * The first set is the one the job was defined with ({@code --rules}, version 0), shipped inside
 * the function; a new {@link RuleSetVersion} on the broadcast input (the rules topic) is compiled,
 * kept in broadcast state (so a savepoint or checkpoint restores the set the job ran, not the one
 * it was started with) and swapped in for the detector in use. The per-event path reads only that
 * field: no broadcast state is looked up per event.
 *
 * <p>Rules the engine rejects are logged once per version (by subtask 0), each with file, line and
 * reason, and left out: the job runs what compiled and never fails because of a rule. Each subtask
 * answers each version it takes, or refuses (a record that is no rule set, an older version), on
 * {@link #ACKS}: what {@code rules push} waits for.
 *
 * <p>Stateless per event and timer-free: each event is judged alone, so event time plays no part
 * and no lateness is too much. Needs no keying of its own.
 *
 * <p>Matches of rules that correlation rules refer to leave as {@link Observation}s on two side
 * outputs: {@link #HOST_OBSERVATIONS} for correlations grouped by host (still partitioned by host,
 * as lineage left them) and {@link #FLEET_OBSERVATIONS} for fleet-wide ones.
 *
 * <p>Metrics: {@code sigmaRulesCompiled} (gauge), {@code sigmaRulesRejected} (gauge), {@code
 * sigmaRuleSetVersion} (gauge), {@code sigmaMatches} (counter); and the accumulator {@link
 * #MATCHES_ACCUMULATOR}.
 */
public final class SigmaFunction implements InlineFunction<RuleSetVersion, Alert> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SigmaFunction.class);

  /** Observations for correlations grouped by host: partitioned by host, like the input. */
  public static final OutputTag<Observation> HOST_OBSERVATIONS =
      new OutputTag<>("sigma-host-observations", TypeInformation.of(Observation.class));

  /** Observations for fleet-wide correlations: still to be keyed by their group's values. */
  public static final OutputTag<Observation> FLEET_OBSERVATIONS =
      new OutputTag<>("sigma-fleet-observations", TypeInformation.of(Observation.class));

  /** Each subtask's answer to each rule set version it was given. */
  public static final OutputTag<RuleSetAck> ACKS =
      new OutputTag<>("sigma-rule-set-acks", TypeInformation.of(RuleSetAck.class));

  /**
   * The rule set an operator runs, under {@link #CURRENT}: broadcast state of the Sigma operator
   * and of the correlation operators alike, each restoring its own.
   */
  public static final MapStateDescriptor<String, RuleSetVersion> RULE_SET =
      new MapStateDescriptor<>(
          "sigma-rule-set", Types.STRING, TypeInformation.of(RuleSetVersion.class));

  /** The one key of {@link #RULE_SET}. */
  public static final String CURRENT = "current";

  /** Accumulator of the alerts the Sigma rules raised, summed over subtasks (benchmarks). */
  public static final String MATCHES_ACCUMULATOR = "sigma-matches";

  private final SigmaRules startedWith;
  private transient RuleSetVersion restored;
  private transient SigmaDetector detector;
  private transient Counter matches;
  private transient LongCounter matchTotal;
  private transient RuntimeContext runtime;
  private transient Collector<Alert> collector;
  private transient BaseBroadcastProcessFunction.ReadOnlyContext context;
  // Made once: a lambda capturing the collector per event would allocate per event.
  private transient Consumer<Alert> emit;
  private transient Consumer<Observation> observe;

  public SigmaFunction(SigmaRules startedWith) {
    this.startedWith = startedWith;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    // Before open: a restored job runs the version it ran, not the one it was defined with.
    restored = context.getOperatorStateStore().getBroadcastState(RULE_SET).get(CURRENT);
  }

  @Override
  public void open(RuntimeContext runtimeContext) {
    runtime = runtimeContext;
    detector =
        new SigmaDetector(restored != null ? restored : RuleSetVersion.startedWith(startedWith));
    restored = null;
    logLoad();
    MetricGroup group = runtime.getMetricGroup();
    group.gauge("sigmaRulesCompiled", () -> detector.rulesCompiled());
    group.gauge("sigmaRulesRejected", () -> detector.report().rejected().size());
    group.gauge("sigmaRuleSetVersion", () -> detector.version());
    matches = group.counter("sigmaMatches");
    matchTotal = new LongCounter();
    runtime.addAccumulator(MATCHES_ACCUMULATOR, matchTotal);
    emit =
        alert -> {
          matches.inc();
          matchTotal.add(1L);
          collector.collect(alert);
        };
    observe =
        o -> {
          CorrelationRule c = detector.correlations().rule(o.correlation());
          context.output(c.hostScoped() ? HOST_OBSERVATIONS : FLEET_OBSERVATIONS, o);
        };
  }

  @Override
  public void accept(
      EnrichedEvent event, BaseBroadcastProcessFunction.ReadOnlyContext ctx, Collector<Alert> out) {
    collector = out;
    context = ctx;
    detector.evaluate(event, emit, observe);
  }

  @Override
  public void broadcast(
      RuleSetVersion next, BaseBroadcastProcessFunction.Context ctx, Collector<Alert> out)
      throws Exception {
    String refused = LiveRules.refusal(detector.version(), next);
    if (refused != null) {
      ctx.output(ACKS, ack(next.version(), null, refused));
      return;
    }
    SigmaDetector compiled = new SigmaDetector(next);
    ctx.getBroadcastState(RULE_SET).put(CURRENT, next);
    detector = compiled;
    logLoad();
    ctx.output(ACKS, ack(next.version(), compiled, null));
  }

  private RuleSetAck ack(long version, SigmaDetector taken, String refused) {
    var task = runtime.getTaskInfo();
    return new RuleSetAck(
        version,
        runtime.getJobInfo().getJobId().toString(),
        task.getIndexOfThisSubtask(),
        task.getNumberOfParallelSubtasks(),
        taken == null ? 0 : taken.rulesCompiled(),
        taken == null ? 0 : taken.correlations().rules().size(),
        taken == null
            ? new String[0]
            : taken.report().rejected().stream().map(RuleOutcome::describe).toArray(String[]::new),
        refused);
  }

  private void logLoad() {
    if (runtime.getTaskInfo().getIndexOfThisSubtask() != 0) {
      return;
    }
    LoadReport report = detector.report();
    LOG.info(
        "Sigma rule set version {}: {} rules compiled from {} files ({} correlation rules), {}"
            + " rejected, {} not applicable, {} unsupported",
        detector.version(),
        detector.rulesCompiled(),
        report.fileCount(),
        detector.correlations().rules().size(),
        report.rejected().size(),
        report.notApplicable().size(),
        report.unsupported().size());
    for (RuleOutcome rejected : report.rejected()) {
      LOG.warn("Sigma rule rejected: {}", rejected.describe());
    }
  }

  /** The detector of this instance (after {@link #open}), for its costs. */
  SigmaDetector detector() {
    return detector;
  }
}
