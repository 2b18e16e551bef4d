package io.psfleet.winevent;

import static io.psfleet.winevent.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlatJsonLinesTest {

  @Test
  void otrfLinesBecomeEventsWithTheirEventDataInOrder() throws IOException {
    List<WinEvent> events = new ArrayList<>();
    ReadReport report = FlatJsonLines.read(fixture("otrf-sysmon.json"), events::add);

    assertThat(events).extracting(WinEvent::eventId).containsExactly(1, 3, 10);
    WinEvent e = events.get(0);
    assertThat(e.provider()).isEqualTo("Microsoft-Windows-Sysmon");
    assertThat(e.channel()).isEqualTo("Microsoft-Windows-Sysmon/Operational");
    assertThat(e.computer()).isEqualTo("WORKSTATION5.theshire.local");
    assertThat(e.recordId()).isEqualTo(1138726);
    assertThat(e.timeCreated()).isEqualTo(Instant.parse("2020-10-19T04:25:34.446Z"));
    assertThat(e.isSysmon()).isTrue();
    assertThat(e.eventData().keySet())
        .startsWith("RuleName", "UtcTime", "ProcessGuid", "ProcessId", "Image")
        .endsWith("ParentImage", "ParentCommandLine")
        .doesNotContain("Message", "Hostname", "ProcessID", "@version", "tags", "port", "host");
    assertThat(e.field("CommandLine"))
        .isEqualTo("\"C:\\Windows\\system32\\cmd.exe\" /c whoami /all");
    assertThat(e.field("ProcessId")).isEqualTo("5296");
    assertThat(events.get(2).field("GrantedAccess")).isEqualTo("0x1010");
    assertThat(events).extracting(WinEvent::index).containsExactly(0L, 1L, 2L);
    assertThat(report.eventsById()).containsEntry(1, 1L).containsEntry(3, 1L).containsEntry(10, 1L);
  }

  @Test
  void aFileOfNothingButBadLinesKeepsTheFirstThousandIssuesAndCountsTheRest(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("bad.json"), "{\"x\": 1}\n".repeat(1500));

    ReadReport report = FlatJsonLines.read(file, e -> {});

    assertThat(report.issues()).hasSize(ReadReport.MAX_ISSUES);
    assertThat(report.issuesNotKept()).isEqualTo(500);
    assertThat(report.issueCount()).isEqualTo(1500);
    assertThat(report.summary()).isEqualTo("bad.json (FLAT_JSON_LINES): 0 events, 1500 issues");
  }

  @Test
  void linesThatAreNotEventsAreIssuesWithTheirLineNumbers() throws IOException {
    ReadReport report = FlatJsonLines.read(fixture("otrf-sysmon.json"), e -> {});

    assertThat(report.eventsRead()).isEqualTo(3);
    assertThat(report.issues()).hasSize(2);
    assertThat(report.issues().get(0).toString())
        .isEqualTo(
            "otrf-sysmon.json: line 3: not JSON: "
                + report.issues().get(0).message().substring("not JSON: ".length()))
        .contains("line skipped");
    assertThat(report.issues().get(1).position()).isEqualTo(5);
    assertThat(report.issues().get(1).message()).contains("no numeric EventID");
  }
}
