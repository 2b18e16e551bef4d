package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.TelemetryEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A fleet whose lsass runs as a protected process light (--lsass-ppl). */
class LsassProtectionTest {
  private static final FleetConfig BASE =
      FleetRun.config(
          2, Duration.ofMinutes(4), Map.of("lsass-mimikatz", 2, "taskmgr-lists-lsass", 2));

  private static List<ProcessAccess> intoLsass(FleetRun run) {
    return run.events.stream()
        .map(TelemetryEvent::getBody)
        .filter(b -> b instanceof ProcessAccess a && a.getTargetImage().endsWith("\\lsass.exe"))
        .map(ProcessAccess.class::cast)
        .toList();
  }

  @Test
  void mimikatzIsRefusedLsassMemoryWhileTaskManagerStillQueriesIt() {
    FleetRun unprotected = FleetRun.run(BASE);
    FleetRun protectedLsass = FleetRun.run(BASE.toBuilder().lsassRunAsPpl(true).build());

    assertThat(intoLsass(unprotected))
        .as("the control: without LSA protection mimikatz reads lsass")
        .anyMatch(a -> a.getSourceImage().endsWith("\\mimikatz.exe"));
    assertThat(intoLsass(protectedLsass))
        .isNotEmpty()
        .noneMatch(a -> a.getSourceImage().endsWith("\\mimikatz.exe"))
        .allMatch(a -> a.getGrantedAccess() == 0x1000);
    assertThat(protectedLsass.groundTruth)
        .as("the refused dumps are no attack instance; Task Manager's look-alikes are")
        .extracting(GroundTruth::getScenario)
        .containsOnly("taskmgr-lists-lsass");
  }
}
