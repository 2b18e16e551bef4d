package io.psfleet.agent.replay;

import io.psfleet.winevent.ReadIssue;
import io.psfleet.winevent.ReadReport;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A recorded attack (or any Sysmon recording), read once and shared by every host it is replayed
 * on.
 *
 * @param name what reports call it: the recording's folder for a SigmaHQ regression test, else its
 *     file name
 * @param source the file, as given
 * @param events the Sysmon events psfleet models (1, 5, 6, 7, 8), in file order
 * @param standIns processes the recording names but does not create: the recorded parents of its
 *     root processes, and processes seen only by a later event (an image load in a process whose
 *     creation was not recorded)
 * @param notModelled events read but not replayed, per kind ({@code Sysmon 3}, {@code
 *     Microsoft-Windows-Security-Auditing 4688}), so that none is dropped silently
 * @param issues what the reader skipped (damaged chunks, lines that are not JSON) and events that
 *     could not be mapped, each with its file and position
 * @param report the reader's own account of the file
 * @param rule the Sigma rule the recording belongs to, or null
 * @param computer the {@code Computer} of its first replayed event, or null
 * @param firstTimeNanos the time of its first replayed event (nanoseconds since the epoch), which
 *     offsets count from; 0 without events
 */
public record Recording(
    String name,
    String source,
    List<RecordedEvent> events,
    List<StandIn> standIns,
    SortedMap<String, Long> notModelled,
    List<ReadIssue> issues,
    ReadReport report,
    RecordingRule rule,
    String computer,
    long firstTimeNanos) {

  public Recording {
    Objects.requireNonNull(name, "name");
    events = List.copyOf(events);
    standIns = List.copyOf(standIns);
    notModelled = Collections.unmodifiableSortedMap(new TreeMap<>(notModelled));
    issues = List.copyOf(issues);
  }

  /** Simulated time the recording spans, first event to last. */
  public long spanNanos() {
    return events.isEmpty() ? 0 : events.get(events.size() - 1).offsetNanos();
  }

  /** One line: what was read, what will be replayed, what not and why. */
  public String summary() {
    StringBuilder s = new StringBuilder(source);
    s.append(": ").append(events.size()).append(events.size() == 1 ? " event" : " events");
    s.append(" to replay");
    if (!notModelled.isEmpty()) {
      s.append(", not modelled (counted, not replayed): ").append(notModelled);
    }
    long problems = issues.size() + report.issuesNotKept();
    s.append(", ").append(problems).append(problems == 1 ? " issue" : " issues");
    if (rule != null) {
      s.append(", rule ").append(rule.id()).append(" (").append(rule.technique()).append(')');
    }
    return s.toString();
  }

  /**
   * A process the recording refers to without creating it. The player starts one in its place so
   * that the recorded events have a process to happen in, and the recorded parent's image and
   * command line are what the root's ProcessCreate reports.
   *
   * @param parentOfRoot true for the recorded parent of a root process (always there: a recording
   *     starts somewhere), false for a process an event names that was never created in it
   * @param firstIndex the event that first names it
   */
  public record StandIn(
      String processGuid,
      int processId,
      String image,
      String commandLine,
      RecordedEvent.RecordedAccount account,
      boolean parentOfRoot,
      long firstIndex) {}

  /**
   * The Sigma rule a recording was made for, as a SigmaHQ regression folder's {@code info.yml}
   * names it.
   *
   * @param technique the rule's first ATT&CK technique tag ({@code T1059.001}), or {@code untagged}
   */
  public record RecordingRule(String id, String title, String technique) {}
}
