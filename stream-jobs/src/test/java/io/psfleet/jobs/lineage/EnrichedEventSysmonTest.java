package io.psfleet.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.event.Telemetry;
import org.junit.jupiter.api.Test;

class EnrichedEventSysmonTest {

  @Test
  void parentTheSensorCouldNotReadComesFromLineage() {
    // The parent exited before the sensor looked it up, but lineage saw it start.
    Telemetry create =
        Telemetry.processCreate(
            "h",
            1,
            9,
            0,
            800,
            2L,
            "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /c dir",
            "CORP\\bob",
            "MEDIUM",
            1L,
            700,
            null,
            null,
            1L,
            700,
            null,
            0,
            "ab");
    Ancestor parent = new Ancestor(1L, 700, "C:\\Windows\\explorer.exe", "explorer.exe", false);

    EnrichedEvent enriched = new EnrichedEvent(create, new Ancestor[] {parent}, EnrichedEvent.NONE);

    assertThat(enriched.sysmonFields().field("ParentImage")).isEqualTo("C:\\Windows\\explorer.exe");
    assertThat(enriched.sysmonFields().field("ParentCommandLine")).isEqualTo("explorer.exe");
    assertThat(
            new EnrichedEvent(create, EnrichedEvent.NONE, EnrichedEvent.NONE)
                .sysmonFields()
                .field("ParentImage"))
        .isEqualTo("-");
  }
}
