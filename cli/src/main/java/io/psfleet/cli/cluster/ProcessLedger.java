package io.psfleet.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The processes a cluster run started, kept in a file ({@code pid start-millis name} per line) so
 * that {@code ./psfleet cluster stop} can end them after the orchestrator itself was killed. A
 * process counts as ours only while its pid and its start time both match: a pid the system has
 * since given to another program is never touched.
 */
final class ProcessLedger {
  /** One started process. */
  record Entry(long pid, long startMillis, String name) {
    /** The live process this entry names, if it still runs (same pid, same start time). */
    Optional<ProcessHandle> live() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> ProcessLedger.startMillis(h) == startMillis);
    }

    String line() {
      return pid + " " + startMillis + " " + name;
    }

    static Entry parse(String line) {
      String[] parts = line.split(" ", 3);
      return new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
    }
  }

  private final Path file;
  private final Map<Long, Entry> entries = new LinkedHashMap<>();

  ProcessLedger(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  synchronized void add(String name, ProcessHandle process) {
    entries.put(process.pid(), new Entry(process.pid(), startMillis(process), name));
    write();
  }

  synchronized void remove(long pid) {
    if (entries.remove(pid) != null) {
      write();
    }
  }

  /** The entries of a ledger file whose processes still run; none if there is no file. */
  static List<Entry> live(Path file) {
    List<Entry> live = new ArrayList<>();
    if (!Files.exists(file)) {
      return live;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          Entry entry = Entry.parse(line);
          if (entry.live().isPresent()) {
            live.add(entry);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + " is not a psfleet process ledger: " + e, e);
    }
    return live;
  }

  /**
   * Ends every live process of a ledger file (SIGTERM, SIGKILL after {@code grace}) and deletes the
   * file.
   *
   * @return the entries that were still running
   */
  static List<Entry> stopAll(Path file, Duration grace) throws InterruptedException {
    List<Entry> live = live(file);
    for (Entry entry : live) {
      entry.live().ifPresent(ProcessHandle::destroy);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Entry entry : live) {
      Optional<ProcessHandle> handle = entry.live();
      if (handle.isPresent()) {
        long left = Math.max(0, deadline - System.nanoTime());
        try {
          handle.get().onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException
            | java.util.concurrent.ExecutionException e) {
          handle.get().destroyForcibly();
        }
      }
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
    return live;
  }

  private void write() {
    List<String> lines = entries.values().stream().map(Entry::line).toList();
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the process ledger " + file, e);
    }
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }
}
