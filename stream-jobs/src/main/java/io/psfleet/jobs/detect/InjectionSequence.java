package io.psfleet.jobs.detect;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.event.EventKind;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.ImagePaths;
import java.util.Arrays;

/**
 * The remote threads into one target process that may still explain a module load there (rule 1,
 * {@link Rule#DLL_INJECTION}), oldest first. Immutable; every change returns a new value. Time is
 * always an argument (event time in nanoseconds), never the clock.
 *
 * <p>The condition: a remote thread (created by another process, not a new process's initial
 * thread) into process P, then within {@link DetectionConfig#injectionWindow()} of event time an
 * ImageLoad in P of a module that is
 *
 * <ul>
 *   <li>unsigned, or in a user-writable folder or on a network path, whatever the thread's start;
 *       or
 *   <li>anything but signed-and-in-Program-Files-or-a-system-directory, when the thread started at
 *       a LoadLibrary export ({@link DetectionConfig#loadLibraryFunctions()}).
 * </ul>
 *
 * So a security product's LoadLibraryW thread that maps its signed DLL from Program Files does not
 * alert, nor do debugger break-ins and console control threads, which load nothing. The alert names
 * the most recent qualifying thread, which is then used up: one alert per thread.
 *
 * @param threads the pending ThreadCreate events, in event-time order
 */
public record InjectionSequence(EnrichedEvent[] threads) {
  private static final InjectionSequence EMPTY = new InjectionSequence(new EnrichedEvent[0]);

  /** The alert a load completed and what stays pending after it. */
  public record Match(Alert alert, InjectionSequence remaining) {}

  public static InjectionSequence empty() {
    return EMPTY;
  }

  /** True for a thread that opens a window: created in a process by another, not initial. */
  public static boolean opensWindow(Telemetry e) {
    return e.kind() == EventKind.THREAD_CREATE
        && e.remoteThread()
        && !e.initialThread()
        && e.processKey() != 0;
  }

  public boolean isEmpty() {
    return threads.length == 0;
  }

  /**
   * Adds {@code thread} in time order; beyond {@link DetectionConfig#injectionMaxPendingThreads()}
   * the oldest threads are dropped.
   */
  public InjectionSequence plus(EnrichedEvent thread, DetectionConfig config) {
    long at = thread.event().timeNanos();
    int position = threads.length;
    while (position > 0 && threads[position - 1].event().timeNanos() > at) {
      position--;
    }
    EnrichedEvent[] next = new EnrichedEvent[threads.length + 1];
    System.arraycopy(threads, 0, next, 0, position);
    next[position] = thread;
    System.arraycopy(threads, position, next, position + 1, threads.length - position);
    int max = config.injectionMaxPendingThreads();
    return new InjectionSequence(
        next.length <= max ? next : Arrays.copyOfRange(next, next.length - max, next.length));
  }

  /** Drops the threads whose window ended before {@code nowNanos}. */
  public InjectionSequence expire(long nowNanos, DetectionConfig config) {
    long window = config.injectionWindow().toNanos();
    int kept = 0;
    for (EnrichedEvent thread : threads) {
      if (thread.event().timeNanos() + window >= nowNanos) {
        kept++;
      }
    }
    if (kept == threads.length) {
      return this;
    }
    EnrichedEvent[] next = new EnrichedEvent[kept];
    int i = 0;
    for (EnrichedEvent thread : threads) {
      if (thread.event().timeNanos() + window >= nowNanos) {
        next[i++] = thread;
      }
    }
    return new InjectionSequence(next);
  }

  /** The alert {@code load} completes, or null when no pending thread explains it. */
  public Match match(EnrichedEvent load, DetectionConfig config) {
    Telemetry l = load.event();
    if (l.kind() != EventKind.IMAGE_LOAD) {
      return null;
    }
    long window = config.injectionWindow().toNanos();
    for (int i = threads.length - 1; i >= 0; i--) {
      Telemetry t = threads[i].event();
      long gap = l.timeNanos() - t.timeNanos();
      if (t.processKey() == l.processKey()
          && gap >= 0
          && gap <= window
          && isSuspicious(t, l, config)) {
        EnrichedEvent[] rest = new EnrichedEvent[threads.length - 1];
        System.arraycopy(threads, 0, rest, 0, i);
        System.arraycopy(threads, i + 1, rest, i, threads.length - i - 1);
        return new Match(alert(threads[i], load), new InjectionSequence(rest));
      }
    }
    return null;
  }

  /** Whether a load after {@code thread} counts as its doing (see the class comment). */
  static boolean isSuspicious(Telemetry thread, Telemetry load, DetectionConfig config) {
    String path = load.imageLoaded();
    if (!load.signed() || ImagePaths.isUserWritable(path)) {
      return true;
    }
    boolean vouched = ImagePaths.isProgramFiles(path) || ImagePaths.isSystemDirectory(path);
    return config.isLoadLibrary(thread.startFunction()) && !vouched;
  }

  private static Alert alert(EnrichedEvent thread, EnrichedEvent load) {
    Telemetry t = thread.event();
    Telemetry l = load.event();
    String start =
        t.startFunction() != null
            ? ImagePaths.fileName(t.startModule()) + "!" + t.startFunction()
            : t.startModule() != null
                ? ImagePaths.fileName(t.startModule()) + String.format("+0x%x", t.startAddress())
                : String.format("0x%x (in no module)", t.startAddress());
    return Findings.hostAlert(
        Rule.DLL_INJECTION,
        l,
        Findings.process(load),
        Findings.threadSource(thread),
        Findings.module(l, 0),
        Findings.describeProcess(t.sourceImage(), t.sourceProcessId())
            + " started a thread at "
            + start
            + " in "
            + Findings.describeProcess(l.image(), l.processId())
            + ", which then loaded "
            + Findings.describeModule(l),
        t.eventId(),
        l.eventId());
  }
}
