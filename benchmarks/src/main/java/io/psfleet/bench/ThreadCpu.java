package io.psfleet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * This process's CPU time during one benchmark run, split by what its threads do: the source tasks,
 * the Kafka fetchers, the detection operator (or the keyed floor's decode after its keyBy), the
 * checkpoints, the embedded broker, the rest of Flink, and what no Java thread accounts for
 * (garbage collection, the JIT compilers, native code). A job's CPU per event alone says that it
 * costs more than the floor; this says where.
 *
 * <p>Java threads are read through {@link ThreadMXBean} every {@link #PERIOD_MILLIS} ms while the
 * run lasts, since a task's threads end with its job: what a thread spent after its last sample
 * falls to the unattributed share, at most one period of it per thread.
 */
final class ThreadCpu implements AutoCloseable {
  static final long PERIOD_MILLIS = 100;

  /** Thread name prefixes, first match wins; the broker's threads come from Kafka's own names. */
  private static final String[][] GROUPS = {
    {"Source Data Fetcher", "fetch"},
    {"Source: ", "source"},
    {"Lineage", "detect"},
    {FloorJob.DECODE_NAME, "decode"},
    {"Correlate", "correlate"},
    {"Sink", "sinks"},
    {"kafka-producer", "sinks"},
    {"AsyncOperations", "checkpoint"},
    {"data-plane-kafka", "broker"},
    {"kafka-", "broker"},
    {"broker-", "broker"},
    {"quorum-controller", "broker"},
    {"ExpirationReaper", "broker"},
    {"group-coordinator", "broker"},
    {"transaction-log", "broker"},
    {"LogDirFailureHandler", "broker"},
    {"raft-", "broker"},
    {"controller-", "broker"},
  };

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final long processStart = processNanos();
  private final Map<Long, Long> startCpu = new HashMap<>();
  private final Map<Long, Long> lastCpu = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();
  private final Thread sampler;
  private volatile boolean running = true;
  private long processEnd = -1;

  private ThreadCpu() {
    sample(true);
    sampler =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
                sample(false);
              }
            },
            "bench-thread-cpu");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts accounting; {@link #close} ends it. */
  static ThreadCpu start() {
    return new ThreadCpu();
  }

  private synchronized void sample(boolean first) {
    long[] ids = threads.getAllThreadIds();
    for (long id : ids) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu < 0) {
        continue; // ended meanwhile
      }
      if (first) {
        startCpu.put(id, cpu);
      }
      if (lastCpu.put(id, cpu) == null) {
        ThreadInfo info = threads.getThreadInfo(id);
        names.put(id, info == null ? "?" : info.getThreadName());
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    sample(false);
    running = false;
    sampler.interrupt();
    sampler.join();
    processEnd = processNanos();
  }

  /** This process's CPU time over the run, every thread's (the broker's, GC's, the JIT's). */
  long processNanosSpent() {
    if (processEnd < 0) {
      throw new IllegalStateException("still running");
    }
    return processEnd - processStart;
  }

  private static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Nanoseconds per group over the run, in the order of {@link #GROUPS}, then "flink and other
   * Java" and "GC, JIT, native" (the process's CPU that no sampled Java thread accounts for).
   */
  Map<String, Long> byGroup() {
    long total = processNanosSpent();
    Map<String, Long> groups = new LinkedHashMap<>();
    for (String[] g : GROUPS) {
      groups.putIfAbsent(g[1], 0L);
    }
    groups.put("other Java", 0L);
    long attributed = 0;
    for (Map.Entry<Long, Long> e : lastCpu.entrySet()) {
      long spent = e.getValue() - startCpu.getOrDefault(e.getKey(), 0L);
      if (e.getKey() == sampler.getId()) {
        continue; // the accounting itself: unattributed like the rest of the harness's overhead
      }
      groups.merge(group(names.get(e.getKey())), spent, Long::sum);
      attributed += spent;
    }
    groups.put("GC, JIT, native", Math.max(0, total - attributed));
    return groups;
  }

  /** One line: each group's microseconds per event, the groups without time left out. */
  String perEvent(long events) {
    StringJoiner line = new StringJoiner(", ");
    for (Map.Entry<String, Long> e : byGroup().entrySet()) {
      double micros = e.getValue() / 1_000.0 / events;
      if (micros >= 0.005) {
        line.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), micros));
      }
    }
    return line.toString();
  }

  static String group(String threadName) {
    for (String[] g : GROUPS) {
      if (threadName.startsWith(g[0])) {
        return g[1];
      }
    }
    return "other Java";
  }
}
