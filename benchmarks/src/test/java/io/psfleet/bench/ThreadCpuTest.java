package io.psfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  private static final long BURN_NANOS = 200_000_000L;

  /** Spins until this thread has used {@code nanos} of CPU: CPU time, not wall time. */
  private static void burn(long nanos) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long start = bean.getCurrentThreadCpuTime();
    long sink = 0;
    while (bean.getCurrentThreadCpuTime() - start < nanos) {
      sink += System.nanoTime() % 7;
    }
    assertThat(sink).isNotNegative();
  }

  @Test
  void aThreadStartedDuringTheRunIsChargedToTheGroupItsNameNames() throws Exception {
    ThreadCpu cpu = ThreadCpu.start();
    try (cpu) {
      Thread lineage =
          new Thread(
              () -> {
                burn(BURN_NANOS);
                try {
                  // Alive past a few samples: what a thread spends after its last one is lost.
                  Thread.sleep(5 * ThreadCpu.PERIOD_MILLIS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "Lineage + Sigma rules: per-host process table -> Sequence anomalies (1/2)#0");
      lineage.start();
      lineage.join();
    }

    Map<String, Long> groups = cpu.byGroup();
    assertThat(groups.get("detect")).isGreaterThanOrEqualTo(BURN_NANOS);
    assertThat(groups.get("source")).isLessThan(BURN_NANOS / 10);
    assertThat(groups.values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(cpu.processNanosSpent());
  }

  @Test
  void threadsAreGroupedByWhatTheirNamesSay() {
    assertThat(ThreadCpu.group("Source Data Fetcher for Source: Telemetry source (1/2)#0"))
        .isEqualTo("fetch");
    assertThat(ThreadCpu.group("Source: Telemetry source -> Records | dead letters (2/2)#0"))
        .isEqualTo("source");
    assertThat(ThreadCpu.group(FloorJob.DECODE_NAME + " -> Sink: Writer (1/2)#0"))
        .isEqualTo("decode");
    assertThat(ThreadCpu.group("data-plane-kafka-request-handler-3")).isEqualTo("broker");
    assertThat(ThreadCpu.group("kafka-producer-network-thread | producer-7")).isEqualTo("sinks");
    assertThat(ThreadCpu.group("flink-pekko.actor.default-dispatcher-5")).isEqualTo("other Java");
  }
}
