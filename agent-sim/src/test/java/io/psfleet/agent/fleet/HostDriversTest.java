package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.kernel.BugCheck;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The drivers a fleet's hosts load, in each order, with the sensor's telemetry kept honest. */
class HostDriversTest {
  private static final FleetConfig BASE =
      FleetRun.config(2, Duration.ofMinutes(4), Map.of("lsass-mimikatz", 2));

  private static FleetRun run(HostDriver... order) {
    return FleetRun.run(BASE.toBuilder().drivers(List.of(order)).build());
  }

  private static List<ProcessCreate> mimikatzCreates(FleetRun run) {
    return run.events.stream()
        .map(TelemetryEvent::getBody)
        .filter(b -> b instanceof ProcessCreate c && c.getImage().endsWith("\\mimikatz.exe"))
        .map(ProcessCreate.class::cast)
        .toList();
  }

  /** Every process the sensor says started did run: its initial thread follows its creation. */
  private static void everyReportedStartRan(FleetRun run) {
    Set<Long> started =
        run.events.stream()
            .map(TelemetryEvent::getBody)
            .filter(b -> b instanceof ProcessCreate c && c.getCreationStatus() == 0)
            .map(b -> ((ProcessCreate) b).getProcessGuid())
            .collect(Collectors.toSet());
    Set<Long> ran =
        run.events.stream()
            .map(TelemetryEvent::getBody)
            .filter(b -> b instanceof ThreadCreate t && t.getInitialThread())
            .map(b -> ((ThreadCreate) b).getTargetProcessGuid())
            .collect(Collectors.toSet());
    assertThat(ran).isEqualTo(started);
  }

  @Test
  void withTheSensorAloneMimikatzRunsAndOpensLsass() {
    FleetRun run = run(HostDriver.SENSOR);

    assertThat(mimikatzCreates(run)).hasSize(2).allMatch(c -> c.getCreationStatus() == 0);
    assertThat(run.events)
        .anyMatch(
            e ->
                e.getBody() instanceof ProcessAccess a
                    && a.getSourceImage().endsWith("\\mimikatz.exe"));
    assertThat(run.groundTruth).hasSize(2);
    everyReportedStartRan(run);
  }

  @Test
  void anAntivirusLoadedAfterTheSensorBlocksMimikatzAndTheSensorReportsNothingOfIt() {
    FleetRun run = run(HostDriver.SENSOR, HostDriver.ANTIVIRUS);

    assertThat(mimikatzCreates(run)).as("the sensor saw it allowed, then it never ran").isEmpty();
    assertThat(run.events)
        .noneMatch(
            e ->
                e.getBody() instanceof ProcessAccess a
                    && a.getSourceImage().endsWith("\\mimikatz.exe"));
    assertThat(run.groundTruth).as("no attack ran, so none is claimed").isEmpty();
    everyReportedStartRan(run);
    assertThat(run.events)
        .as("the sensor sees the antivirus driver load after it")
        .anyMatch(
            e -> e.getBody() instanceof ImageLoad l && l.getImageLoaded().endsWith("\\psfav.sys"));
  }

  @Test
  void anAntivirusLoadedBeforeTheSensorBlocksMimikatzAndTheSensorReportsTheRefusal() {
    FleetRun run = run(HostDriver.ANTIVIRUS, HostDriver.SENSOR);

    List<ProcessCreate> refused = mimikatzCreates(run);
    assertThat(refused)
        .hasSize(2)
        .allMatch(c -> c.getCreationStatus() == NtStatus.STATUS_VIRUS_INFECTED.code());
    Set<Long> refusedKeys =
        refused.stream().map(ProcessCreate::getProcessGuid).collect(Collectors.toSet());
    assertThat(run.events)
        .as("nothing else of a refused process: it never ran")
        .noneMatch(
            e ->
                (e.getBody() instanceof ThreadCreate t
                        && refusedKeys.contains(t.getTargetProcessGuid()))
                    || (e.getBody() instanceof ImageLoad l
                        && refusedKeys.contains(l.getProcessGuid()))
                    || (e.getBody() instanceof ProcessAccess a
                        && refusedKeys.contains(a.getSourceProcessGuid())));
    assertThat(run.groundTruth).isEmpty();
    everyReportedStartRan(run);
  }

  @Test
  void aDriverWhoseEntryFailsLeavesTheHostAsIfItWereNeverLoaded() {
    FleetRun alone = run(HostDriver.SENSOR);
    FleetRun withFailing = run(HostDriver.FAILING_ENTRY, HostDriver.SENSOR);

    assertThat(withFailing.summary.bugChecks()).isEmpty();
    assertThat(withFailing.events).isEqualTo(alone.events);
  }

  @Test
  void aDriverCallingARoutineAboveItsIrqlHaltsEachHostWithBugCheckA() {
    FleetRun run = run(HostDriver.SENSOR, HostDriver.IRQL_FAULT);

    assertThat(run.summary.bugChecks())
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.bugCheck().code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
              assertThat(r.bugCheck().detail()).contains("PsLookupThreadByThreadId");
            });
    everyReportedStartRan(run);
  }

  @Test
  void theLoadOrderIsParsedAsGivenAndChecked() {
    assertThat(HostDriver.parseOrder("antivirus, sensor"))
        .containsExactly(HostDriver.ANTIVIRUS, HostDriver.SENSOR);
    assertThat(HostDriver.format(List.of(HostDriver.SENSOR, HostDriver.IRQL_FAULT)))
        .isEqualTo("sensor,irql-fault");
  }
}
