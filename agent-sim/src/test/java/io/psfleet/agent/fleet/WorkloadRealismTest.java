package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benign workload against the facts of ../shared/WINDOWS.md: the boot tree, orphaned session
 * processes, the measured rates of a workstation, PID reuse.
 */
class WorkloadRealismTest {
  private static final long BOOT_SETTLED = FleetRun.START + Duration.ofMinutes(10).toNanos();
  private static FleetRun day;

  @BeforeAll
  static void simulateWorkstations() {
    day =
        FleetRun.run(
            FleetRun.config(6, Duration.ofHours(8), Map.of())
                .withProfiles(new ProfileMix(100, 0, 0))
                .withThreads(2));
  }

  @Test
  void workstationRatesMatchTheMeasuredWorkstation() {
    long creates = 0;
    long loads = 0;
    for (TelemetryEvent event : day.events) {
      if (event.getHeader().getEventTimeNanos() < BOOT_SETTLED) {
        continue;
      }
      if (event.getBody() instanceof ProcessCreate) {
        creates++;
      } else if (event.getBody() instanceof ImageLoad) {
        loads++;
      }
    }
    double hostHours = 6 * (8 - 10 / 60.0);

    // Measured: about 23 process creates and 1,170 image loads per hour (about 50 per process).
    assertThat(creates / hostHours).isBetween(17.0, 30.0);
    assertThat((double) loads / creates).isBetween(38.0, 60.0);
  }

  @Test
  void sessionProcessesAndExplorerOutliveTheirParents() {
    Map<Long, ProcessCreate> creates = new HashMap<>();
    Set<Long> exited = new HashSet<>();
    List<TelemetryEvent> host = day.byHost().values().iterator().next();
    for (TelemetryEvent event : host) {
      if (event.getBody() instanceof ProcessCreate create) {
        creates.put(create.getProcessGuid(), create);
      } else if (event.getBody() instanceof ProcessExit exit) {
        exited.add(exit.getProcessGuid());
      }
    }

    for (String orphan : List.of("wininit.exe", "winlogon.exe", "explorer.exe")) {
      ProcessCreate process =
          creates.values().stream()
              .filter(p -> p.getImage().toLowerCase().endsWith("\\" + orphan))
              .findFirst()
              .orElseThrow();
      assertThat(exited)
          .as("parent of " + orphan + " has exited")
          .contains(process.getParentProcessGuid());
      assertThat(exited).as(orphan + " still runs").doesNotContain(process.getProcessGuid());
    }
    ProcessCreate lsass =
        creates.values().stream()
            .filter(p -> p.getImage().endsWith("\\lsass.exe"))
            .findFirst()
            .orElseThrow();
    assertThat(lsass.getParentImage()).endsWith("\\wininit.exe");
  }

  @Test
  void pidsAreReusedByLaterProcessesWithNewKeys() {
    List<TelemetryEvent> host = day.byHost().values().iterator().next();
    Map<Integer, Set<Long>> keysByPid = new HashMap<>();
    for (TelemetryEvent event : host) {
      if (event.getBody() instanceof ProcessCreate create) {
        keysByPid
            .computeIfAbsent(create.getProcessId(), p -> new HashSet<>())
            .add(create.getProcessGuid());
      }
    }

    assertThat(keysByPid.values()).anyMatch(keys -> keys.size() > 1);
    assertThat(keysByPid.keySet()).allMatch(pid -> pid % 4 == 0);
  }

  @Test
  void benignRemoteThreadsExistButAreRare() {
    long remote =
        day.events.stream()
            .filter(e -> e.getBody() instanceof ThreadCreate t && t.getRemoteThread())
            .count();
    double hostHours = 6 * 8;

    assertThat(remote).isPositive();
    assertThat(remote / hostHours).isLessThan(2.0);
  }
}
