package io.psfleet.winevent;

import static io.psfleet.winevent.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcsJsonLinesTest {

  @Test
  void nestedAndDottedWinlogFieldsBothRead() throws IOException {
    List<WinEvent> events = new ArrayList<>();
    ReadReport report = EcsJsonLines.read(fixture("winlogbeat-sysmon.ndjson"), events::add);

    assertThat(events).extracting(WinEvent::eventId).containsExactly(1, 11);
    WinEvent nested = events.get(0);
    assertThat(nested.provider()).isEqualTo("Microsoft-Windows-Sysmon");
    assertThat(nested.channel()).isEqualTo("Microsoft-Windows-Sysmon/Operational");
    assertThat(nested.computer()).isEqualTo("ws01.corp.example");
    assertThat(nested.recordId()).isEqualTo(482113);
    assertThat(nested.timeCreated()).isEqualTo(Instant.parse("2023-05-11T14:02:17.735Z"));
    assertThat(nested.eventData().keySet())
        .startsWith("RuleName", "UtcTime", "ProcessGuid")
        .endsWith("ParentCommandLine", "ParentUser")
        .hasSize(23);
    assertThat(nested.field("CommandLine"))
        .isEqualTo("rundll32.exe C:\\Users\\Public\\d.dll,DllRegisterServer");

    WinEvent dotted = events.get(1);
    assertThat(dotted.recordId()).isEqualTo(482114);
    assertThat(dotted.field("TargetFilename"))
        .isEqualTo("C:\\Users\\alice\\AppData\\Local\\Temp\\stage2.ps1");
    assertThat(dotted.eventData().keySet())
        .containsExactly(
            "RuleName",
            "UtcTime",
            "ProcessGuid",
            "ProcessId",
            "Image",
            "TargetFilename",
            "CreationUtcTime",
            "User");

    assertThat(report.issues()).extracting(ReadIssue::position).containsExactly(3L, 4L);
    assertThat(report.issues().get(0).message()).contains("not a Winlogbeat event");
    assertThat(report.issues().get(1).message()).startsWith("not JSON");
  }
}
