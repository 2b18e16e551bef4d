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
    /**
     * The live process this entry names, if it still runs (same pid, same start time). A process
     * whose start time the system does not tell is never taken for ours.
     */
    Optional<ProcessHandle> live() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> startMillis != 0 && ProcessLedger.startMillis(h) == startMillis);
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
  private boolean closed;

  ProcessLedger(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /**
   * Records a started process. After {@link #close} the run is stopping: the process is killed at
   * once and the start fails, so nothing starts behind the back of a Ctrl-C.
   */
  synchronized void add(String name, ProcessHandle process) {
    if (closed) {
      process.destroyForcibly();
      throw new ClusterException("not starting " + name + ": the cluster is stopping");
    }
    entries.put(process.pid(), new Entry(process.pid(), startMillis(process), name));
    write();
  }

  /** Ends every process still recorded and refuses new ones. */
  synchronized void close(Duration grace) throws InterruptedException {
    closed = true;
    entries.clear();
    stopAll(file, grace);
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
          try {
            handle.get().onExit().get(5, TimeUnit.SECONDS);
          } catch (java.util.concurrent.TimeoutException
              | java.util.concurrent.ExecutionException stuck) {
            // SIGKILL cannot be refused; a process not gone after 5 s is a zombie of its parent
          }
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

  /**
   * Replaces the file in one step: a run killed mid-write leaves the old ledger, never half one.
   */
  private void write() {
    List<String> lines = entries.values().stream().map(Entry::line).toList();
    try {
      Files.createDirectories(file.getParent());
      Path next = file.resolveSibling(file.getFileName() + ".next");
      Files.write(next, lines, StandardCharsets.UTF_8);
      Files.move(
          next,
          file,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the process ledger " + file, e);
    }
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }
}
