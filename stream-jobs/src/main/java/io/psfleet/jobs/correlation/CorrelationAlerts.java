package io.psfleet.jobs.correlation;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Analytic;
import io.psfleet.jobs.alert.ProcessRef;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.sigma.correlation.CorrelationMatch;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.Sighting;
import io.psfleet.sigma.correlation.Subject;

/**
 * The alert of a correlation match, on the same path as every Sigma alert: the analytic names the
 * correlation rule, the evidence is every event behind the match (oldest first, each once), the
 * hosts are theirs, and the process is the one of the event that completed it. The uid comes from
 * the rule and that evidence, so a replay, or a restart from a checkpoint, gives the same id; a new
 * version of the rule set does not change it either.
 */
public final class CorrelationAlerts {
  private static final Ancestor[] NO_ANCESTRY = new Ancestor[0];

  private CorrelationAlerts() {}

  public static Alert of(CorrelationMatch match, Analytic analytic, long ruleSetVersion) {
    String[] evidence = match.evidence();
    String[] hosts = match.hosts();
    Sighting last = match.last();
    Subject subject = last.subject();
    ProcessRef process =
        subject == null
            ? null
            : new ProcessRef(
                subject.processKey(),
                subject.processId(),
                subject.image(),
                null,
                null,
                NO_ANCESTRY);
    CorrelationRule rule = match.rule();
    StringBuilder group = new StringBuilder();
    for (int i = 0; i < rule.groupBy().size(); i++) {
      group.append(i == 0 ? "" : ", ").append(rule.groupBy().get(i)).append('=');
      group.append(match.groupValues()[i]);
    }
    String message =
        "Sigma correlation \""
            + analytic.title()
            + "\": "
            + rule.type().specName()
            + " of "
            + evidence.length
            + (evidence.length == 1 ? " event" : " events")
            + " within "
            + rule.timespan()
            + " on "
            + (hosts.length == 1 ? hosts[0] : hosts.length + " hosts")
            + " ("
            + group
            + ")";
    return new Alert(
        Alert.uidOf(analytic, evidence),
        analytic,
        last.hosts()[last.hosts().length - 1],
        match.timeNanos(),
        process,
        null,
        null,
        hosts,
        evidence,
        message,
        ruleSetVersion);
  }
}
