package io.psfleet.jobs.fleet;

import static io.psfleet.jobs.detect.TestEvents.at;
import static io.psfleet.jobs.detect.TestEvents.millis;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.detect.DetectionConfig;
import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FleetRareModuleFunctionTest {
  static final String CAMPAIGN_DLL = "C:\\ProgramData\\Microsoft\\DeviceSync\\dsync64.dll";
  static final String LEGACY_DLL = "C:\\Program Files (x86)\\Acme\\Timesheet\\acmecore.dll";
  static final Proc RUNDLL32 = proc(42, 5008, "C:\\Windows\\System32\\rundll32.exe");
  static final Proc TIMESHEET =
      proc(43, 5100, "C:\\Program Files (x86)\\Acme\\Timesheet\\timesheet.exe");

  KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Alert> harness;

  void open(DetectionConfig config) throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new FleetRareModuleFunction(config), FleetRareModuleFunction::key, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static DetectionConfig threeHostsIn15Minutes() {
    return DetectionConfig.defaults()
        .withFleet(3, Duration.ofMinutes(15))
        .withFleetPrevalence(1000, Duration.ofHours(2));
  }

  void send(int host, double seconds, String dll) throws Exception {
    EnrichedEvent load =
        new TestEvents(String.format("host-%06d", host))
            .load(seconds, dll.contains("Acme") ? TIMESHEET : RUNDLL32, dll, null);
    if (FleetRareModuleFunction.isRelevant(load)) {
      harness.processElement(load, millis(load.event().timeNanos()));
    }
  }

  @Test
  void sameHashOnThreeHostsWithinTheWindowRaisesOneFleetAlert() throws Exception {
    open(threeHostsIn15Minutes());

    send(1, 0, CAMPAIGN_DLL);
    send(2, 200, CAMPAIGN_DLL);
    send(3, 400, CAMPAIGN_DLL);
    send(4, 500, CAMPAIGN_DLL);

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.rule()).isEqualTo(Rule.FLEET_RARE_MODULE);
              assertThat(a.hosts()).containsExactly("host-000001", "host-000002", "host-000003");
              assertThat(a.evidenceEventIds()).hasSize(3);
              assertThat(a.module().fleetHosts()).isEqualTo(3);
            });
  }

  @Test
  void twoHostsAreANearMiss() throws Exception {
    open(threeHostsIn15Minutes());

    send(1, 0, CAMPAIGN_DLL);
    send(2, 200, CAMPAIGN_DLL);
    send(2, 300, CAMPAIGN_DLL);

    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void legacyUnsignedProgramFilesDllOnManyHostsDoesNotAlert() throws Exception {
    open(threeHostsIn15Minutes());

    for (int host = 1; host <= 10; host++) {
      send(host, host, LEGACY_DLL);
    }

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
  }

  @Test
  void hostsFurtherApartThanTheWindowDoNotAlert() throws Exception {
    open(threeHostsIn15Minutes());

    send(1, 0, CAMPAIGN_DLL);
    send(2, 600, CAMPAIGN_DLL);
    harness.processWatermark(millis(at(1000)));
    send(3, 1000, CAMPAIGN_DLL);

    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void stateOfAHashNotSeenForTheRetentionIsCleared() throws Exception {
    open(threeHostsIn15Minutes());
    send(1, 0, CAMPAIGN_DLL);
    send(2, 100, CAMPAIGN_DLL);
    send(3, 200, CAMPAIGN_DLL);
    send(1, 10, LEGACY_DLL);
    assertThat(harness.extractOutputValues()).hasSize(1);
    assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
    assertThat(harness.numEventTimeTimers()).isEqualTo(2);

    harness.processWatermark(millis(at(7200)));
    assertThat(harness.numKeyedStateEntries())
        .as("the campaign hash was seen at 200 s, so it is kept until 7400 s")
        .isGreaterThan(0);

    harness.processWatermark(millis(at(7401)));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aHashSeenAgainBeforeItsRetentionEndsIsKept() throws Exception {
    open(threeHostsIn15Minutes());
    send(1, 0, CAMPAIGN_DLL);
    send(2, 7000, CAMPAIGN_DLL);

    harness.processWatermark(millis(at(7300)));

    assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    send(3, 7100, CAMPAIGN_DLL);
    send(4, 7200, CAMPAIGN_DLL);
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.hosts()).containsExactly("host-000002", "host-000003", "host-000004");
              assertThat(a.module().fleetHosts()).isEqualTo(4);
            });

    harness.processWatermark(millis(at(7200 + 7201)));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aForgottenHashCanAlertAgain() throws Exception {
    open(threeHostsIn15Minutes());
    for (int host = 1; host <= 3; host++) {
      send(host, host, CAMPAIGN_DLL);
    }
    harness.processWatermark(millis(at(10_000)));
    for (int host = 4; host <= 6; host++) {
      send(host, 10_000 + host, CAMPAIGN_DLL);
    }

    assertThat(harness.extractOutputValues()).hasSize(2);
  }

  @Test
  void aCommonHashDropsItsHostSet() throws Exception {
    open(
        DetectionConfig.defaults()
            .withFleet(3, Duration.ofMinutes(1))
            .withFleetPrevalence(4, Duration.ofHours(2)));
    for (int host = 1; host <= 3; host++) {
      send(host, host * 3600, CAMPAIGN_DLL);
    }
    int beforeCommon = harness.numKeyedStateEntries();
    send(4, 4 * 3600, CAMPAIGN_DLL);

    assertThat(harness.numKeyedStateEntries()).isLessThan(beforeCommon);
    assertThat(harness.extractOutputValues()).isEmpty();
  }
}
