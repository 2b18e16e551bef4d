package io.psfleet.jobs.alert;

import java.util.Arrays;

/**
 * What an alert says about the rule that raised it: psfleet's built-in rules ({@link
 * Rule#analytic()}) and Sigma rules alike. Arrays, not lists, so Flink serializes it as a POJO.
 *
 * @param id {@code finding_info.analytic.uid}: {@code psfleet-001}, or a Sigma rule's id
 * @param name {@code finding_info.analytic.name}: {@code dll-injection}, or a Sigma rule's title
 * @param title {@code finding_info.title}
 * @param technique the most specific ATT&CK technique id ({@code T1055.001}), or null
 * @param techniqueName its name ({@code Process Injection: Dynamic-link Library Injection}), or
 *     null where unknown (Sigma tags carry only ids)
 * @param otherTechniques further ATT&CK technique ids (Sigma rules may name several)
 * @param tacticId the ATT&CK tactic id ({@code TA0005}), or null
 * @param tactic its name ({@code Defense Evasion}), or null
 * @param severityId OCSF severity id, 0 unknown to 5 critical
 * @param references where the rule comes from or explains itself (Sigma {@code references})
 * @param falsePositives known false positives (Sigma {@code falsepositives})
 * @param source {@link #BUILT_IN} or {@link #SIGMA}
 */
public record Analytic(
    String id,
    String name,
    String title,
    String technique,
    String techniqueName,
    String[] otherTechniques,
    String tacticId,
    String tactic,
    int severityId,
    String[] references,
    String[] falsePositives,
    String source) {
  public static final String BUILT_IN = "psfleet";
  public static final String SIGMA = "sigma";
  private static final String[] NONE = new String[0];

  public Analytic {
    otherTechniques = otherTechniques == null ? NONE : otherTechniques;
    references = references == null ? NONE : references;
    falsePositives = falsePositives == null ? NONE : falsePositives;
  }

  public boolean isSigma() {
    return SIGMA.equals(source);
  }

  /** The built-in rule of this analytic, or null for a Sigma rule. */
  public Rule builtIn() {
    return isSigma() ? null : Rule.ofId(id);
  }

  /** OCSF's caption of {@link #severityId}. */
  public String severity() {
    return switch (severityId) {
      case 1 -> "Informational";
      case 2 -> "Low";
      case 3 -> "Medium";
      case 4 -> "High";
      case 5 -> "Critical";
      default -> "Unknown";
    };
  }

  // Records compare arrays by identity; alerts are compared by value in tests and dedup.
  @Override
  public boolean equals(Object o) {
    return o instanceof Analytic a
        && id.equals(a.id)
        && source.equals(a.source)
        && java.util.Objects.equals(title, a.title)
        && java.util.Objects.equals(name, a.name)
        && java.util.Objects.equals(technique, a.technique)
        && java.util.Objects.equals(techniqueName, a.techniqueName)
        && Arrays.equals(otherTechniques, a.otherTechniques)
        && java.util.Objects.equals(tacticId, a.tacticId)
        && java.util.Objects.equals(tactic, a.tactic)
        && severityId == a.severityId
        && Arrays.equals(references, a.references)
        && Arrays.equals(falsePositives, a.falsePositives);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + source.hashCode();
  }
}
