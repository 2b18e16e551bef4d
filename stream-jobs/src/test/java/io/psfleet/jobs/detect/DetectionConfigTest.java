package io.psfleet.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DetectionConfigTest {
  final DetectionConfig d = DetectionConfig.defaults();

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(d.injectionWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.fleetHosts()).isEqualTo(5);
    assertThat(d.fleetWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(d.fleetCommonHosts()).isEqualTo(1000);
    assertThat(d.sensitiveProcesses())
        .contains("lsass.exe", "winlogon.exe", "services.exe", "csrss.exe", "wininit.exe");
    assertThat(d.parentSpoofBrokers()).containsExactly("c:\\windows\\system32\\svchost.exe");
  }

  @Test
  void namesAreStoredLowercaseAndMatchedWithoutCase() {
    assertThat(d.hijackableDlls()).contains("version.dll").allMatch(n -> n.equals(n.toLowerCase()));
    assertThat(d.isLoadLibrary("LoadLibraryW")).isTrue();
    assertThat(d.isLoadLibrary("loadlibraryexa")).isTrue();
    assertThat(d.isLoadLibrary("DbgUiRemoteBreakin")).isFalse();
    assertThat(d.isLoadLibrary(null)).isFalse();
  }

  @Test
  void aFleetThresholdBelowTwoIsRefused() {
    assertThatThrownBy(() -> d.withFleet(1, Duration.ofMinutes(15)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetHosts must be at least 2");
  }

  @Test
  void aNonPositiveWindowIsRefused() {
    assertThatThrownBy(() -> d.withInjectionWindow(Duration.ZERO))
        .hasMessageContaining("injectionWindow must be a positive duration");
    assertThatThrownBy(() -> d.withFleet(3, Duration.ofSeconds(-1)))
        .hasMessageContaining("fleetWindow must be a positive duration");
  }

  @Test
  void theCommonCapMustExceedTheCampaignThreshold() {
    assertThatThrownBy(() -> d.withFleetPrevalence(5, Duration.ofDays(1)))
        .hasMessageContaining("fleetCommonHosts (5) must exceed fleetHosts (5)");
  }

  @Test
  void retentionShorterThanTheWindowIsRefused() {
    assertThatThrownBy(() -> d.withFleetPrevalence(1000, Duration.ofMinutes(1)))
        .hasMessageContaining("fleetRetention");
  }

  @Test
  void brokersMustBeFullPaths() {
    assertThatThrownBy(() -> d.withParentSpoofBrokers(Set.of("svchost.exe")))
        .hasMessageContaining("full paths");
  }

  @Test
  void atLeastOnePendingThreadIsKept() {
    assertThatThrownBy(() -> d.withInjectionMaxPendingThreads(0))
        .hasMessageContaining("injectionMaxPendingThreads");
  }
}
