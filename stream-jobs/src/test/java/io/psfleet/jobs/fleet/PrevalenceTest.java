package io.psfleet.jobs.fleet;

import static io.psfleet.jobs.detect.TestEvents.at;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.detect.DetectionConfig;
import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrevalenceTest {
  static final String CAMPAIGN_DLL = "C:\\ProgramData\\Microsoft\\DeviceSync\\dsync64.dll";
  static final String LEGACY_DLL = "C:\\Program Files (x86)\\Acme\\Timesheet\\acmecore.dll";
  static final String DEFENDER_DLL =
      "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\mpclient.dll";
  static final Proc RUNDLL32 = proc(42, 5008, "C:\\Windows\\System32\\rundll32.exe");
  static final Proc TIMESHEET =
      proc(43, 5100, "C:\\Program Files (x86)\\Acme\\Timesheet\\timesheet.exe");

  final DetectionConfig config = DetectionConfig.defaults().withFleet(3, Duration.ofMinutes(15));
  final Prevalence prevalence = new Prevalence(config);

  /** Feeds loads through the domain as the Flink function would, keeping state per hash. */
  final class Fleet {
    final Map<String, FleetModule> modules = new HashMap<>();
    final Map<String, Set<String>> counted = new HashMap<>();
    final List<Alert> alerts = new ArrayList<>();

    FleetModule see(EnrichedEvent load) {
      String hash = load.event().sha256();
      FleetModule current = modules.get(hash);
      Set<String> hosts = counted.computeIfAbsent(hash, h -> new HashSet<>());
      boolean newHost =
          current == null || !current.common() && !hosts.contains(load.event().hostId());
      Prevalence.Sighting s = prevalence.observe(current, newHost, load);
      hosts.add(load.event().hostId());
      modules.put(hash, s.module());
      if (s.alert() != null) {
        alerts.add(s.alert());
      }
      return s.module();
    }
  }

  static EnrichedEvent campaignLoad(int host, double seconds) {
    return new TestEvents(String.format("host-%06d", host))
        .load(seconds, RUNDLL32, CAMPAIGN_DLL, null);
  }

  @Test
  void sameUnsignedProgramDataDllOnThreeHostsWithinMinutesRaisesFleetAlert() {
    Fleet fleet = new Fleet();
    EnrichedEvent a = campaignLoad(1, 0);
    EnrichedEvent b = campaignLoad(2, 120);
    EnrichedEvent c = campaignLoad(3, 300);

    fleet.see(a);
    fleet.see(b);
    assertThat(fleet.alerts).isEmpty();
    fleet.see(c);

    assertThat(fleet.alerts)
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.rule()).isEqualTo(Rule.FLEET_RARE_MODULE);
              assertThat(alert.hostId()).isEqualTo("host-000003");
              assertThat(alert.timeNanos()).isEqualTo(c.event().timeNanos());
              assertThat(alert.hosts())
                  .containsExactly("host-000001", "host-000002", "host-000003");
              assertThat(alert.evidenceEventIds())
                  .containsExactly(a.event().eventId(), b.event().eventId(), c.event().eventId());
              assertThat(alert.module().sha256()).isEqualTo(TestEvents.sha256(CAMPAIGN_DLL));
              assertThat(alert.module().fleetHosts()).isEqualTo(3);
              assertThat(alert.module().signed()).isFalse();
              assertThat(alert.process().key()).isEqualTo(RUNDLL32.key());
              assertThat(alert.message()).contains("dsync64.dll", "3 hosts", "host-000001");
            });
  }

  @Test
  void uidDoesNotDependOnTheOrderHostsArrive() {
    Fleet inOrder = new Fleet();
    Fleet shuffled = new Fleet();
    EnrichedEvent a = campaignLoad(1, 0);
    EnrichedEvent b = campaignLoad(2, 60);
    EnrichedEvent c = campaignLoad(3, 90);

    inOrder.see(a);
    inOrder.see(b);
    inOrder.see(c);
    shuffled.see(c);
    shuffled.see(a);
    shuffled.see(b);

    assertThat(shuffled.alerts)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.uid()).isEqualTo(inOrder.alerts.get(0).uid());
              assertThat(x.hosts()).containsExactly("host-000001", "host-000002", "host-000003");
            });
  }

  @Test
  void twoHostsLoadingItManyTimesIsANearMiss() {
    Fleet fleet = new Fleet();
    for (int i = 0; i < 10; i++) {
      fleet.see(campaignLoad(1 + i % 2, i * 10));
    }

    assertThat(fleet.alerts).isEmpty();
    assertThat(fleet.modules.get(TestEvents.sha256(CAMPAIGN_DLL)).hosts()).isEqualTo(2);
  }

  @Test
  void hostsSpreadWiderThanTheWindowDoNotAlert() {
    Fleet fleet = new Fleet();
    fleet.see(campaignLoad(1, 0));
    fleet.see(campaignLoad(2, 600));
    fleet.see(campaignLoad(3, 901));

    assertThat(fleet.alerts).isEmpty();
    assertThat(fleet.modules.get(TestEvents.sha256(CAMPAIGN_DLL)).campaign())
        .extracting(HostSighting::hostId)
        .containsExactly("host-000002", "host-000003");
  }

  @Test
  void aHashFirstSeenLongAgoStillAlertsWhenItThenSpreadsFast() {
    Fleet fleet = new Fleet();
    fleet.see(campaignLoad(1, 0));
    fleet.see(campaignLoad(2, 3600));
    fleet.see(campaignLoad(3, 3700));
    fleet.see(campaignLoad(4, 3800));

    assertThat(fleet.alerts)
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.hosts()).containsExactly("host-000002", "host-000003", "host-000004"));
  }

  @Test
  void loadTooFarBehindTheLatestIsLateForTheCampaignButCountsForPrevalence() {
    Fleet fleet = new Fleet();
    fleet.see(campaignLoad(1, 1000));
    fleet.see(campaignLoad(2, 1010));
    FleetModule m = fleet.see(campaignLoad(3, 0));

    assertThat(fleet.alerts).isEmpty();
    assertThat(m.hosts()).isEqualTo(3);
    assertThat(m.firstSeenNanos()).isEqualTo(at(0));
    assertThat(m.lastSeenNanos()).isEqualTo(at(1010));
  }

  @Test
  void theFleetAlertIsRaisedOnce() {
    Fleet fleet = new Fleet();
    for (int host = 1; host <= 8; host++) {
      fleet.see(campaignLoad(host, host * 30));
    }

    assertThat(fleet.alerts).hasSize(1);
    FleetModule m = fleet.modules.get(TestEvents.sha256(CAMPAIGN_DLL));
    assertThat(m.alerted()).isTrue();
    assertThat(m.hosts()).isEqualTo(8);
    assertThat(m.campaign()).isEmpty();
  }

  @Test
  void unsignedLegacyAppFromProgramFilesOnManyHostsIsTrackedButNeverAlerts() {
    Fleet fleet = new Fleet();
    for (int host = 1; host <= 20; host++) {
      EnrichedEvent load =
          new TestEvents(String.format("host-%06d", host)).load(host, TIMESHEET, LEGACY_DLL, null);
      assertThat(Prevalence.isTracked(load.event())).isTrue();
      assertThat(Prevalence.isCandidate(load.event())).isFalse();
      fleet.see(load);
    }

    assertThat(fleet.alerts).isEmpty();
    assertThat(fleet.modules.get(TestEvents.sha256(LEGACY_DLL)).hosts()).isEqualTo(20);
  }

  @Test
  void signedDefenderModulesInProgramDataAreNoCandidates() {
    EnrichedEvent load =
        new TestEvents("host-000001")
            .load(1, proc(7, 2000, "C:\\x\\MsMpEng.exe"), DEFENDER_DLL, "Microsoft Corporation");

    assertThat(Prevalence.isTracked(load.event())).isTrue();
    assertThat(Prevalence.isCandidate(load.event())).isFalse();
  }

  @Test
  void signedSystemModulesAreNotTracked() {
    EnrichedEvent load =
        new TestEvents("host-000001")
            .load(1, RUNDLL32, "C:\\Windows\\System32\\version.dll", "Microsoft Windows");

    assertThat(Prevalence.isTracked(load.event())).isFalse();
  }

  @Test
  void aHashOnTheCommonCapStopsCountingAndNeverAlerts() {
    Prevalence capped =
        new Prevalence(
            DetectionConfig.defaults()
                .withFleet(3, Duration.ofMinutes(15))
                .withFleetPrevalence(4, Duration.ofDays(1)));
    FleetModule m = null;
    List<Alert> alerts = new ArrayList<>();
    // Four hosts over four hours (no campaign), then a burst on three more.
    double[] times = {0, 3600, 7200, 10800, 20000, 20010, 20020};
    for (int host = 1; host <= times.length; host++) {
      Prevalence.Sighting s =
          capped.observe(m, m == null || !m.common(), campaignLoad(host, times[host - 1]));
      m = s.module();
      if (s.alert() != null) {
        alerts.add(s.alert());
      }
    }

    assertThat(m.common()).isTrue();
    assertThat(m.hosts()).isEqualTo(4);
    assertThat(alerts).isEmpty();
  }

  @Test
  void aHashIsForgottenAfterTheRetention() {
    Prevalence p =
        new Prevalence(
            DetectionConfig.defaults()
                .withFleet(3, Duration.ofMinutes(15))
                .withFleetPrevalence(1000, Duration.ofHours(1)));
    FleetModule m = p.observe(null, true, campaignLoad(1, 0)).module();

    assertThat(p.isForgotten(m, at(3600))).isFalse();
    assertThat(p.isForgotten(m, at(3600) + 1)).isTrue();
  }
}
