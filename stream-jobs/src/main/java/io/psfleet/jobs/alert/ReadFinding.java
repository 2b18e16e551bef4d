package io.psfleet.jobs.alert;

import java.util.List;
import java.util.Set;

/**
 * What a consumer of the alert feed gets back from a finding, whatever version wrote it; see {@link
 * OcsfDetectionFinding#read}.
 *
 * @param alertVersion {@code unmapped.psfleet_alert_version}; 1 for findings from before it existed
 * @param uid {@code finding_info.uid}, stable for the same detection of the same events
 * @param ruleId {@code finding_info.analytic.uid}, e.g. {@code psfleet-001}
 * @param title {@code finding_info.title}: the rule's title
 * @param source {@code sigma} for a Sigma rule's finding ({@code unmapped.sigma} present), else
 *     {@code psfleet}
 * @param technique the most specific ATT&CK id: the sub-technique ({@code T1055.001}) when there is
 *     one, else the technique ({@code T1570}); null for a Sigma rule without ATT&CK tags
 * @param hostId {@code device.uid}
 * @param hosts the host and, for a fleet finding, every host involved; the host comes first
 * @param processKey the finding's process ({@code evidences[0].process.uid}), or null
 * @param actorKey the process that acted on it ({@code evidences[0].actor.process.uid}), or null
 * @param ancestry the process's ancestors' keys, parent first
 * @param placeholderKeys keys of ancestors (of the process or the actor) the sensor never saw start
 * @param evidenceEventIds {@code finding_info.related_events[].uid}: {@code host:boot:sequence}
 * @param ruleSetVersion {@code unmapped.sigma.rule_set_version}: the version of the rule set whose
 *     Sigma rule raised it (version 3 on), else {@link Alert#NO_RULE_SET}
 */
public record ReadFinding(
    int alertVersion,
    String uid,
    String ruleId,
    String title,
    String source,
    String technique,
    String hostId,
    List<String> hosts,
    String processKey,
    String actorKey,
    List<String> ancestry,
    Set<String> placeholderKeys,
    List<String> evidenceEventIds,
    long ruleSetVersion) {}
