package io.psfleet.sigma;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What loading a set of paths gave, for {@code rules check}: every document's outcome, grouped by
 * file, with counts.
 */
public final class LoadReport {
  private final List<RuleOutcome> outcomes;
  private final List<RuleOutcome> correlations;
  private final Map<EventKind, Integer> loadedByKind;
  private final Map<String, Integer> byLogsource;
  private final int files;

  LoadReport(
      List<RuleOutcome> outcomes,
      List<RuleOutcome> correlations,
      Map<EventKind, Integer> loadedByKind,
      Map<String, Integer> byLogsource,
      int files) {
    this.outcomes = List.copyOf(outcomes);
    this.correlations = List.copyOf(correlations);
    this.loadedByKind = Collections.unmodifiableMap(new EnumMap<>(loadedByKind));
    this.byLogsource = Collections.unmodifiableMap(new TreeMap<>(byLogsource));
    this.files = files;
  }

  public List<RuleOutcome> outcomes() {
    return outcomes;
  }

  /**
   * The outcomes of correlation documents (also in {@link #outcomes()}): loaded ones say their
   * type, window, group-by (per host or fleet-wide) and condition.
   */
  public List<RuleOutcome> correlations() {
    return correlations;
  }

  public List<RuleOutcome> loaded() {
    return of(RuleOutcome.Status.LOADED);
  }

  public List<RuleOutcome> rejected() {
    return of(RuleOutcome.Status.REJECTED);
  }

  public List<RuleOutcome> notApplicable() {
    return of(RuleOutcome.Status.NOT_APPLICABLE);
  }

  public List<RuleOutcome> unsupported() {
    return of(RuleOutcome.Status.UNSUPPORTED);
  }

  /** Number of files read. */
  public int fileCount() {
    return files;
  }

  /** Outcomes per file, in load order. */
  public Map<String, List<RuleOutcome>> byFile() {
    Map<String, List<RuleOutcome>> out = new LinkedHashMap<>();
    for (RuleOutcome o : outcomes) {
      out.computeIfAbsent(o.source(), k -> new ArrayList<>()).add(o);
    }
    return out;
  }

  /** Loaded rules per event kind (a Sysmon rule selecting several kinds counts for each). */
  public Map<EventKind, Integer> loadedByKind() {
    return loadedByKind;
  }

  /** Documents seen per logsource ({@code product/category/service}, "-" for absent). */
  public Map<String, Integer> byLogsource() {
    return byLogsource;
  }

  private List<RuleOutcome> of(RuleOutcome.Status s) {
    return outcomes.stream().filter(o -> o.status() == s).toList();
  }

  /** Human-readable summary with every rejection and non-applicable rule listed. */
  public String format() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "%d files: %d rules loaded, %d rejected, %d not applicable, %d unsupported%n",
            files,
            loaded().size(),
            rejected().size(),
            notApplicable().size(),
            unsupported().size()));
    loadedByKind.forEach((k, v) -> b.append(String.format("  %-22s %6d%n", k.category(), v)));
    List<RuleOutcome> loadedCorrelations =
        correlations.stream().filter(o -> o.status() == RuleOutcome.Status.LOADED).toList();
    if (!correlations.isEmpty()) {
      b.append(
          String.format(
              "  %-22s %6d (%d rejected)%n",
              "correlation",
              loadedCorrelations.size(),
              correlations.size() - loadedCorrelations.size()));
    }
    appendList(b, "correlation rules", loadedCorrelations);
    appendList(b, "rejected", rejected());
    appendList(b, "not applicable", notApplicable());
    appendList(b, "unsupported (not run yet)", unsupported());
    return b.toString();
  }

  private static void appendList(StringBuilder b, String what, List<RuleOutcome> list) {
    if (list.isEmpty()) {
      return;
    }
    b.append(what).append(":\n");
    for (RuleOutcome o : list) {
      b.append("  ").append(o.describe()).append('\n');
    }
  }
}
