package io.psfleet.jobs.sigma;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.sigma.LoadReport;
import io.psfleet.sigma.RuleOutcome;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.Observation;
import java.util.function.Consumer;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sigma rules ({@link SigmaDetector}) over enriched events. The rule texts travel inside the
 * function, read where the job was defined; each subtask compiles them in {@link #open}. Rules the
 * engine rejects are logged there once (by subtask 0), each with file, line and reason, and left
 * out: the job runs what compiled and never fails because of a rule.
 *
 * <p>Stateless and timer-free: each event is judged alone, so event time plays no part and no
 * lateness is too much. Needs no keying; chain it after lineage, before any shuffle.
 *
 * <p>Matches of rules that correlation rules refer to leave as {@link Observation}s on two side
 * outputs: {@link #HOST_OBSERVATIONS} for correlations grouped by host (still partitioned by host,
 * as lineage left them) and {@link #FLEET_OBSERVATIONS} for fleet-wide ones.
 *
 * <p>Metrics: {@code sigmaRulesCompiled} (gauge), {@code sigmaRulesRejected} (gauge), {@code
 * sigmaMatches} (counter); and the accumulator {@link #MATCHES_ACCUMULATOR}.
 */
public final class SigmaFunction extends ProcessFunction<EnrichedEvent, Alert> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SigmaFunction.class);

  public static final String UID = "detect-sigma";
  public static final String NAME = "Detect: Sigma rules";

  /** Observations for correlations grouped by host: partitioned by host, like the input. */
  public static final OutputTag<Observation> HOST_OBSERVATIONS =
      new OutputTag<>("sigma-host-observations", TypeInformation.of(Observation.class));

  /** Observations for fleet-wide correlations: still to be keyed by their group's values. */
  public static final OutputTag<Observation> FLEET_OBSERVATIONS =
      new OutputTag<>("sigma-fleet-observations", TypeInformation.of(Observation.class));

  /** Accumulator of the alerts the Sigma rules raised, summed over subtasks (benchmarks). */
  public static final String MATCHES_ACCUMULATOR = "sigma-matches";

  private final SigmaRules rules;
  private transient SigmaDetector detector;
  private transient Counter matches;
  private transient LongCounter matchTotal;
  private transient Collector<Alert> collector;
  private transient Context context;
  // Made once: a lambda capturing the collector per event would allocate per event.
  private transient Consumer<Alert> emit;
  private transient Consumer<Observation> observe;

  public SigmaFunction(SigmaRules rules) {
    this.rules = rules;
  }

  @Override
  public void open(OpenContext openContext) {
    detector = new SigmaDetector(rules);
    LoadReport report = detector.report();
    if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
      LOG.info(
          "Sigma: {} rules compiled from {} files ({} correlation rules), {} rejected, {} not"
              + " applicable, {} unsupported",
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
    MetricGroup group = getRuntimeContext().getMetricGroup();
    int compiled = detector.rulesCompiled();
    int rejected = report.rejected().size();
    group.gauge("sigmaRulesCompiled", () -> compiled);
    group.gauge("sigmaRulesRejected", () -> rejected);
    matches = group.counter("sigmaMatches");
    matchTotal = new LongCounter();
    getRuntimeContext().addAccumulator(MATCHES_ACCUMULATOR, matchTotal);
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
  public void processElement(EnrichedEvent event, Context ctx, Collector<Alert> out) {
    collector = out;
    context = ctx;
    detector.evaluate(event, emit, observe);
  }

  /** The detector of this instance (after {@link #open}), for its costs. */
  SigmaDetector detector() {
    return detector;
  }
}
