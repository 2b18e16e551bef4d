package io.psfleet.harness;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for long runs: instead of dying mid-report, the run is asked to stop (the simulator ends
 * its current tick), and the JVM's shutdown waits until the run has written its partial report and
 * closed what it started, at most {@link #LONGEST_WAIT}.
 *
 * <p>Everything the run still reads after Ctrl-C must not clean itself up in a shutdown hook of its
 * own (the embedded broker is started without its delete-on-exit hook for this reason).
 */
public final class GracefulStop implements AutoCloseable {
  public static final Duration LONGEST_WAIT = Duration.ofMinutes(2);

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;
  private volatile Runnable action = () -> {};

  private GracefulStop(PrintStream out, String command) {
    hook =
        new Thread(
            () -> {
              requested = true;
              out.printf(
                  "%npsfleet %s: stopping (Ctrl-C); writing a partial report, at most %d s ...%n",
                  command, LONGEST_WAIT.toSeconds());
              action.run();
              try {
                finished.await(LONGEST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "psfleet-ctrl-c");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Installs the hook; {@link #close()} at the very end of the run releases the shutdown. */
  public static GracefulStop install(PrintStream out, String command) {
    return new GracefulStop(out, command);
  }

  /** What stops the current phase (e.g. the simulator); runs at once if Ctrl-C came already. */
  public void onStop(Runnable stopAction) {
    action = stopAction;
    if (requested) {
      stopAction.run();
    }
  }

  /** Whether Ctrl-C arrived: later phases shorten or skip their work. */
  public boolean requested() {
    return requested;
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is the one waiting for this close
    }
  }
}
