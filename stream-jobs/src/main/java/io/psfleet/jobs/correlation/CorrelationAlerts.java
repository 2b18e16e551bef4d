package io.psfleet.jobs.correlation;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Analytic;
import io.psfleet.jobs.alert.ModuleRef;
import io.psfleet.jobs.alert.ProcessRef;
import io.psfleet.jobs.detect.FindingDetail;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.sigma.correlation.CorrelationMatch;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.Sighting;
import io.psfleet.sigma.correlation.Subject;

/**
 * The alert of a correlation match, on the same path as every Sigma alert: the analytic names the
 * correlation rule, the evidence is every event behind the match (oldest first, each once), the
 * hosts are theirs, the process (with its ancestry) and module are those of the event that
 * completed it, and the actor is the latest one its events name (for a remote thread then a load:
 * the thread's creator). The uid comes from the rule and that evidence, so a replay, or a restart
 * from a checkpoint, gives the same id; a new version of the rule set does not change it either.
 */
public final class CorrelationAlerts {
  private static final Ancestor[] NO_ANCESTRY = new Ancestor[0];

  private CorrelationAlerts() {}

  /**
   * The actor of the latest sighting that has one: for a remote thread followed by a load, the
   * thread's creator.
   */
  private static ProcessRef actor(Sighting[] sightings) {
    for (int i = sightings.length - 1; i >= 0; i--) {
      Subject s = sightings[i].subject();
      FindingDetail d = s == null ? null : FindingDetail.decode(s.detail());
      if (d != null && d.actor() != null) {
        return d.actor();
      }
    }
    return null;
  }

  public static Alert of(CorrelationMatch match, Analytic analytic, long ruleSetVersion) {
    String[] evidence = match.evidence();
    String[] hosts = match.hosts();
    Sighting last = match.last();
    Subject subject = last.subject();
    FindingDetail detail = subject == null ? null : FindingDetail.decode(subject.detail());
    ProcessRef process =
        detail != null && detail.process() != null
            ? detail.process()
            : subject == null
                ? null
                : new ProcessRef(
                    subject.processKey(),
                    subject.processId(),
                    subject.image(),
                    null,
                    null,
                    NO_ANCESTRY);
    ProcessRef actor = actor(match.sightings());
    ModuleRef module = detail == null ? null : detail.module();
    if (module != null) {
      // For a fleet correlation, the module's prevalence as far as the match knows it.
      module =
          new ModuleRef(
              module.path(), module.sha256(), module.signed(), module.signer(), hosts.length);
    }
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
        actor,
        module,
        hosts,
        evidence,
        message,
        ruleSetVersion);
  }
}
