package io.psfleet.jobs.correlation;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.detect.TestEvents.Proc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * psfleet-006, the fleet campaign, as the pack's fleet-wide {@code value_count} correlation: one
 * unsigned module from a user-writable folder (by its hashes) on 5 distinct hosts within 15
 * minutes. Hits, near misses, look-alikes, second waves, several campaigns, and state cleanup.
 */
class PackFleetCampaignTest {
  static final Proc RUNDLL32 = proc(42, 5008, SYSTEM32 + "rundll32.exe");
  static final Proc TIMESHEET = proc(43, 5100, "C:\\Program Files\\Acme\\timesheet.exe");
  static final String CAMPAIGN_DLL = "C:\\ProgramData\\Microsoft\\DeviceSync\\dsync64.dll";
  static final String LEGACY_DLL = "C:\\Program Files\\Acme\\acmehelper.dll";
  static final String DEFENDER_DLL =
      "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18\\MpOav.dll";

  PackRun run;

  @BeforeEach
  void open() throws Exception {
    run = new PackRun();
  }

  @AfterEach
  void close() throws Exception {
    run.close();
  }

  String load(int host, double seconds, String dll) throws Exception {
    return load(host, seconds, dll, null);
  }

  String load(int host, double seconds, String dll, String signer) throws Exception {
    return run.send(
        new TestEvents(String.format("host-%06d", host))
            .load(seconds, dll.contains("Acme") ? TIMESHEET : RUNDLL32, dll, signer));
  }

  static String host(int i) {
    return String.format("host-%06d", i);
  }

  @Test
  void sameHashOnFiveHostsWithinTheWindowRaisesOneFleetAlertNamingThem() throws Exception {
    List<String> loads = new ArrayList<>();
    for (int h = 1; h <= 6; h++) {
      loads.add(load(h, 100 * h, CAMPAIGN_DLL));
    }
    run.watermark(1000);

    assertThat(run.fleetAlerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.analytic().id()).isEqualTo("psfleet-006");
              assertThat(a.analytic().technique()).isEqualTo("T1570");
              assertThat(a.analytic().tacticId()).isEqualTo("TA0008");
              assertThat(a.hosts()).containsExactly(host(1), host(2), host(3), host(4), host(5));
              assertThat(a.evidenceEventIds()).containsExactlyElementsOf(loads.subList(0, 5));
              assertThat(a.hostId()).isEqualTo(host(5));
            });
    assertThat(run.singleEventAlerts).isEmpty();
  }

  @Test
  void fourHostsLoadingItManyTimesAreANearMiss() throws Exception {
    for (int round = 0; round < 3; round++) {
      for (int h = 1; h <= 4; h++) {
        load(h, 10 * round + h, CAMPAIGN_DLL);
      }
    }
    run.watermark(1000);

    assertThat(run.fleetAlerts()).isEmpty();
  }

  @Test
  void hostsSpreadWiderThanTheWindowDoNotAlert() throws Exception {
    for (int h = 1; h <= 5; h++) {
      load(h, 240 * h, CAMPAIGN_DLL); // 16 minutes from the first to the fifth
    }
    run.watermark(2000);

    assertThat(run.fleetAlerts()).isEmpty();
  }

  @Test
  void unsignedLegacyProgramFilesDllAndSignedDefenderModulesOnManyHostsDoNotAlert()
      throws Exception {
    for (int h = 1; h <= 8; h++) {
      load(h, h, LEGACY_DLL);
      load(h, h, DEFENDER_DLL, "Microsoft Corporation");
    }
    run.watermark(1000);

    assertThat(run.fleetAlerts()).isEmpty();
  }

  @Test
  void aHashThatSpreadsAnewAfterItsWindowAlertsAgainWithTheHostsOfTheSecondWave() throws Exception {
    for (int h = 1; h <= 5; h++) {
      load(h, h, CAMPAIGN_DLL);
    }
    for (int h = 11; h <= 15; h++) {
      load(h, 3600 + h, CAMPAIGN_DLL);
    }
    run.watermark(4000);

    assertThat(run.fleetAlerts())
        .extracting(a -> List.of(a.hosts()))
        .containsExactly(
            List.of(host(1), host(2), host(3), host(4), host(5)),
            List.of(host(11), host(12), host(13), host(14), host(15)));
  }

  @Test
  void threeCampaignsWithTheirOwnDllsEachAlertWithTheirOwnHosts() throws Exception {
    String[] dlls = {
      CAMPAIGN_DLL,
      "C:\\ProgramData\\Microsoft\\DeviceSync\\dsync64-0002.dll",
      "C:\\ProgramData\\Microsoft\\DeviceSync\\dsync64-0003.dll"
    };
    // Overlapping in time, interleaved on the way.
    for (int h = 0; h < 6; h++) {
      for (int c = 0; c < dlls.length; c++) {
        load(100 * (c + 1) + h, 60 * h + c, dlls[c]);
      }
    }
    run.watermark(1000);

    List<Alert> alerts = run.fleetAlerts();
    assertThat(alerts).hasSize(3);
    for (int c = 0; c < dlls.length; c++) {
      int campaign = c + 1;
      assertThat(alerts)
          .filteredOn(a -> a.hosts()[0].equals(host(100 * campaign)))
          .singleElement()
          .satisfies(
              a ->
                  assertThat(a.hosts())
                      .allSatisfy(h -> assertThat(h).startsWith("host-000" + campaign)));
    }
  }

  @Test
  void aHashsStateIsGoneOnceTheWatermarkPassesItsWindow() throws Exception {
    load(1, 0, CAMPAIGN_DLL);
    load(2, 10, CAMPAIGN_DLL);
    run.watermark(20);
    assertThat(run.stateEntries()).isPositive();

    run.watermark(10 + 901);

    assertThat(run.stateEntries()).isZero();
    assertThat(run.timers()).isZero();
  }
}
