package io.psfleet.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the cluster started (a broker, a JobManager, a TaskManager, a simulator shard): its
 * output goes to a log file, its process id to the {@link ProcessLedger} so that even a killed
 * orchestrator leaves nothing behind that {@code ./psfleet cluster stop} cannot find.
 */
final class Daemon {
  private final String name;
  private final Process process;
  private final Path log;
  private final ProcessLedger ledger;

  private Daemon(String name, Process process, Path log, ProcessLedger ledger) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.ledger = ledger;
  }

  static Daemon start(String name, List<String> command, Path log, ProcessLedger ledger) {
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      try {
        ledger.add(name, process.toHandle());
      } catch (RuntimeException e) {
        process.destroyForcibly(); // a process nobody tracks would outlive the run
        throw e;
      }
      return new Daemon(name, process, log, ledger);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The exit code, waiting at most {@code timeout}; null while it still runs. */
  Integer awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** SIGKILL, no shutdown: what a crashed machine looks like to the rest of the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    ledger.remove(process.pid());
  }

  /**
   * SIGTERM to every daemon at once, then SIGKILL to those still running after {@code grace}: a
   * group shuts down together (brokers stopped one by one would each wait for a quorum that the
   * previous ones took away).
   */
  static void stopAll(List<Daemon> daemons, Duration grace) throws InterruptedException {
    for (Daemon daemon : daemons) {
      daemon.process.destroy();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Daemon daemon : daemons) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!daemon.process.waitFor(left, TimeUnit.NANOSECONDS)) {
        daemon.process.destroyForcibly();
        daemon.process.waitFor();
      }
      daemon.ledger.remove(daemon.pid());
    }
  }

  /** The last lines of the log, for error messages that say why a part did not come up. */
  String tail(int lines) {
    Deque<String> last = new ArrayDeque<>();
    try {
      // Lenient decoding: a log may hold any bytes.
      new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
          .lines()
          .forEach(
              line -> {
                if (last.size() == lines) {
                  last.removeFirst();
                }
                last.addLast(line);
              });
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
    return String.join(System.lineSeparator(), last);
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
