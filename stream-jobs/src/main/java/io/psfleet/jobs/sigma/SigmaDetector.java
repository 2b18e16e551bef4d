package io.psfleet.jobs.sigma;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Analytic;
import io.psfleet.jobs.alert.ProcessRef;
import io.psfleet.jobs.detect.FindingDetail;
import io.psfleet.jobs.detect.Findings;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.sigma.EventKind;
import io.psfleet.sigma.LoadReport;
import io.psfleet.sigma.LoadResult;
import io.psfleet.sigma.MatchSink;
import io.psfleet.sigma.RuleCost;
import io.psfleet.sigma.SigmaMatcher;
import io.psfleet.sigma.SigmaRule;
import io.psfleet.sigma.SigmaRuleSet;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.CorrelationSet;
import io.psfleet.sigma.correlation.Feed;
import io.psfleet.sigma.correlation.Observation;
import io.psfleet.sigma.correlation.Subject;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sigma rules over enriched events: compiles the rule texts once, then judges each event alone and
 * raises one alert per matching rule, about the event's process with its ancestry (and, for an
 * image or driver load, the module; for a remote thread, the thread's creator as the actor; for a
 * process create, the process that really created it: its parent, or the creator that named another
 * parent, with what the sensor did to the creation). The evidence is the event's id, so the alert's
 * uid is stable for the same rule and event.
 *
 * <p>A match of a rule that correlation rules refer to becomes an {@link Observation} for each of
 * them, with the event's values of their group-by and value fields ({@link
 * CorrelationRule#HOST_FIELDS} read as the event's host); it is an alert of its own only if no
 * correlation refers to it or one says {@code generate: true}.
 *
 * <p>One per thread: it holds the engine's matcher and a reusable view. A rule the engine rejects
 * is left out (see {@link #report()}); the rest run. One per rule set version: every alert names
 * the version ({@link Alert#ruleSetVersion()}); a new version is a new detector.
 */
public final class SigmaDetector {
  private final long version;
  private final LoadReport report;
  private final SigmaRuleSet ruleSet;
  private final CorrelationSet correlations;
  private final SigmaMatcher matcher;
  private final SysmonEventView view;
  private final SysmonFields sysmonFields = SysmonFields.reusable();
  private final Map<SigmaRule, Analytic> analytics = new IdentityHashMap<>();
  private final MatchSink sink = this::matched;
  private final Function<String, String> fieldOfCurrent = this::fieldOfCurrent;

  /** Per Sysmon event id: whether any rule reads events of its kind. */
  private final boolean[] routed = new boolean[SysmonFields.PROCESS_ACCESS + 1];

  private EnrichedEvent current;
  private SysmonFields currentFields;
  private Consumer<Alert> out;
  private Consumer<Observation> observations;
  private long matches;

  /** A detector of the rules a job starts with ({@link RuleSetVersion#STARTED_WITH}). */
  public SigmaDetector(SigmaRules rules) {
    this(rules, RuleSetVersion.STARTED_WITH, true);
  }

  public SigmaDetector(RuleSetVersion rules) {
    this(rules.rules(), rules.version(), true);
  }

  /**
   * A detector whose matcher scans and evaluates every event, remembering no verdict: for
   * benchmarks that measure what the memo saves ({@link SigmaRuleSet#newMatcher(int, boolean)}).
   */
  public static SigmaDetector withoutVerdictMemo(SigmaRules rules) {
    return new SigmaDetector(rules, RuleSetVersion.STARTED_WITH, false);
  }

  private SigmaDetector(SigmaRules rules, long version, boolean rememberVerdicts) {
    this.version = version;
    LoadResult result = rules.load();
    this.ruleSet = result.ruleSet();
    this.correlations = ruleSet.correlations();
    this.report = result.report();
    this.matcher = ruleSet.newMatcher(64, rememberVerdicts);
    this.view = new SysmonEventView(ruleSet.fields());
    for (SigmaRule rule : ruleSet.rules()) {
      analytics.put(rule, SigmaAnalytics.of(rule));
    }
    for (int id = 0; id < routed.length; id++) {
      EventKind kind = EventKind.ofSysmonEventId(id);
      routed[id] = kind != null && !ruleSet.rulesFor(kind).isEmpty();
    }
  }

  /** The version of the rule set this detector runs. */
  public long version() {
    return version;
  }

  /** What the engine did with each rule document: loaded, rejected (with file, line, reason). */
  public LoadReport report() {
    return report;
  }

  /** The correlation rules of the rule set, which the observations feed. */
  public CorrelationSet correlations() {
    return correlations;
  }

  public int rulesCompiled() {
    return matcher.ruleSet().size();
  }

  /** Alerts raised so far. */
  public long matches() {
    return matches;
  }

  /** The most expensive rules on this detector so far ({@link SigmaMatcher#topCosts}). */
  public List<RuleCost> topCosts(int n) {
    return matcher.topCosts(n);
  }

  public SigmaMatcher matcher() {
    return matcher;
  }

  /**
   * Reports an alert to {@code alerts} for each rule that matches {@code event}, where the rule
   * alerts on its own; observations for correlation rules are dropped (for callers that run none).
   */
  public void evaluate(EnrichedEvent event, Consumer<Alert> alerts) {
    evaluate(event, alerts, o -> {});
  }

  /**
   * Reports an alert to {@code alerts} for each rule that matches {@code event} and alerts on its
   * own, and an observation to {@code observations} for each correlation a match feeds.
   */
  public void evaluate(
      EnrichedEvent event, Consumer<Alert> alerts, Consumer<Observation> observations) {
    // Decided before the Sysmon view is made: most events of a kind no rule reads cost nothing.
    int eventId = event.event().sysmonEventId();
    if (eventId < 0 || eventId >= routed.length || !routed[eventId]) {
      return;
    }
    SysmonFields fields = event.sysmonFields(sysmonFields);
    EventKind kind = EventKind.ofSysmonEventId(eventId);
    current = event;
    currentFields = fields;
    out = alerts;
    this.observations = observations;
    try {
      matcher.match(kind, view.reset(fields, event), sink);
    } finally {
      current = null;
      currentFields = null;
      out = null;
      this.observations = null;
    }
  }

  private void matched(SigmaRule rule) {
    Alert alone = null;
    if (ruleSet.alertsAlone(rule)) {
      matches++;
      alone = alert(analytics.get(rule), current, view.eventId(), version);
      out.accept(alone);
    }
    List<Feed> feeds = correlations.feedsOf(rule.key());
    if (feeds.isEmpty()) {
      return;
    }
    Telemetry t = current.event();
    String[] evidence = {t.eventId()};
    String[] hosts = {t.hostId()};
    // The alert parts of this event travel with its sightings, for the correlation's alert.
    FindingDetail parts =
        alone != null
            ? new FindingDetail(alone.process(), alone.actor(), alone.module())
            : parts(current, view.eventId());
    Subject subject = new Subject(t.processKey(), t.processId(), t.image(), parts.encode());
    for (Feed feed : feeds) {
      Observation o = feed.observe(fieldOfCurrent, t.timeNanos(), evidence, hosts, subject);
      if (o != null) {
        observations.accept(o);
      }
    }
  }

  private String fieldOfCurrent(String name) {
    if (CorrelationRule.HOST_FIELDS.contains(name)) {
      return current.event().hostId();
    }
    String sysmon = currentFields.field(name);
    if (sysmon != null) {
      return sysmon;
    }
    ExtensionFields ext = ExtensionFields.of(name);
    return ext == null ? null : ext.of(current, view.eventId());
  }

  /**
   * What an alert on this event names: its process with ancestry; for an image or driver load, the
   * module; for a remote thread or a process access, the thread's creator as the actor; for a
   * process create, the process that really created it.
   */
  static FindingDetail parts(EnrichedEvent e, int sysmonEventId) {
    Telemetry t = e.event();
    ProcessRef process = Findings.process(e);
    return switch (sysmonEventId) {
      case SysmonFields.IMAGE_LOADED, SysmonFields.DRIVER_LOADED ->
          new FindingDetail(process, null, Findings.module(t, 0));
      case SysmonFields.CREATE_REMOTE_THREAD, SysmonFields.PROCESS_ACCESS ->
          new FindingDetail(process, Findings.threadSource(e), null);
      case SysmonFields.PROCESS_TERMINATED -> new FindingDetail(process, null, null);
      default -> new FindingDetail(process, Findings.creatorOrParent(e), null);
    };
  }

  static Alert alert(Analytic analytic, EnrichedEvent e, int sysmonEventId, long version) {
    Telemetry t = e.event();
    FindingDetail parts = parts(e, sysmonEventId);
    String what =
        switch (sysmonEventId) {
          case SysmonFields.IMAGE_LOADED, SysmonFields.DRIVER_LOADED ->
              Findings.describeProcess(t.image(), t.processId())
                  + " loaded "
                  + Findings.describeModule(t);
          case SysmonFields.CREATE_REMOTE_THREAD ->
              Findings.describeProcess(t.sourceImage(), t.sourceProcessId())
                  + " started a thread in "
                  + Findings.describeProcess(t.image(), t.processId());
          case SysmonFields.PROCESS_ACCESS ->
              Findings.describeProcess(t.sourceImage(), t.sourceProcessId())
                  + " opened "
                  + Findings.describeProcess(t.image(), t.processId())
                  + " for access "
                  + SysmonFields.grantedAccess(t.grantedAccess());
          case SysmonFields.PROCESS_TERMINATED ->
              Findings.describeProcess(t.image(), t.processId()) + " exited";
          default ->
              Findings.describeProcess(t.image(), t.processId())
                  + " started"
                  + (t.commandLine() == null ? "" : ": " + t.commandLine())
                  + Findings.spoofedParent(t)
                  + Findings.blocked(t);
        };
    String evidence = t.eventId();
    return new Alert(
        Alert.uidOf(analytic, evidence),
        analytic,
        t.hostId(),
        t.timeNanos(),
        parts.process(),
        parts.actor(),
        parts.module(),
        new String[] {t.hostId()},
        new String[] {evidence},
        "Sigma rule \"" + analytic.title() + "\": " + what,
        version);
  }
}
