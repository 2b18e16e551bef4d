package io.psfleet.winevent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What a reader did with one file: how many events it delivered, per event id, and every problem it
 * skipped over.
 *
 * @param source the file (name) read
 * @param format the format it was read as
 * @param eventsRead events delivered to the consumer
 * @param eventsById events delivered per {@code EventID} (unmodifiable, ascending)
 * @param eventsByProvider events delivered per provider name ({@code "?"} where it has none), so
 *     that events of other providers than Sysmon stand out
 * @param issues problems found, in file order; at most {@link #MAX_ISSUES} are kept
 * @param issuesNotKept problems found beyond {@link #MAX_ISSUES}, counted but not kept
 */
public record ReadReport(
    String source,
    WinEventFormat format,
    long eventsRead,
    SortedMap<Integer, Long> eventsById,
    SortedMap<String, Long> eventsByProvider,
    List<ReadIssue> issues,
    long issuesNotKept) {

  /** A hostile file can hold a problem every few bytes; past this many only a count is kept. */
  public static final int MAX_ISSUES = 1000;

  public ReadReport {
    eventsById = Collections.unmodifiableSortedMap(new TreeMap<>(eventsById));
    eventsByProvider = Collections.unmodifiableSortedMap(new TreeMap<>(eventsByProvider));
    issues = List.copyOf(issues);
  }

  /** True when the whole file was read without a problem. */
  public boolean clean() {
    return issues.isEmpty() && issuesNotKept == 0;
  }

  /** All problems found, including those not kept. */
  public long issueCount() {
    return issues.size() + issuesNotKept;
  }

  /** One line: source, format, counts. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(source).append(" (").append(format).append("): ").append(eventsRead);
    s.append(eventsRead == 1 ? " event" : " events");
    if (!eventsById.isEmpty()) {
      s.append(" [");
      String sep = "";
      for (Map.Entry<Integer, Long> e : eventsById.entrySet()) {
        s.append(sep).append("EventID ").append(e.getKey()).append(": ").append(e.getValue());
        sep = ", ";
      }
      s.append(']');
    }
    if (eventsByProvider.size() > 1
        || (eventsByProvider.size() == 1
            && !eventsByProvider.containsKey("Microsoft-Windows-Sysmon"))) {
      s.append(" providers ").append(eventsByProvider);
    }
    s.append(", ").append(issueCount()).append(issueCount() == 1 ? " issue" : " issues");
    return s.toString();
  }

  /** Counts events on their way to the caller's consumer and collects issues. */
  static final class Tally implements Consumer<WinEvent> {
    private final String source;
    private final WinEventFormat format;
    private final Consumer<? super WinEvent> sink;
    private final TreeMap<Integer, Long> byId = new TreeMap<>();
    private final TreeMap<String, Long> byProvider = new TreeMap<>();
    private final List<ReadIssue> issues = new ArrayList<>();
    private long events;
    private long issuesNotKept;

    Tally(String source, WinEventFormat format, Consumer<? super WinEvent> sink) {
      this.source = source;
      this.format = format;
      this.sink = sink;
    }

    String source() {
      return source;
    }

    /** Index the next event gets in its source. */
    long nextIndex() {
      return events;
    }

    @Override
    public void accept(WinEvent event) {
      events++;
      byId.merge(event.eventId(), 1L, Long::sum);
      byProvider.merge(event.provider() == null ? "?" : event.provider(), 1L, Long::sum);
      sink.accept(event);
    }

    void issue(ReadIssue issue) {
      if (issues.size() < MAX_ISSUES) {
        issues.add(issue);
      } else {
        issuesNotKept++;
      }
    }

    void atByte(long offset, String message) {
      issue(ReadIssue.atByte(source, offset, message));
    }

    void atLine(long line, String message) {
      issue(ReadIssue.atLine(source, line, message));
    }

    void atIndex(long index, String message) {
      issue(ReadIssue.atIndex(source, index, message));
    }

    ReadReport report() {
      return new ReadReport(source, format, events, byId, byProvider, issues, issuesNotKept);
    }
  }
}
