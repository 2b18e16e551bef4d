package io.psfleet.winevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvtxDumpJsonTest {
  private static final String EVENT =
      "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Sysmon\"}},"
          + "\"EventID\":%d,\"TimeCreated\":{\"#attributes\":{\"SystemTime\":"
          + "\"2025-11-28T08:30:20.966901Z\"}},\"EventRecordID\":%d,"
          + "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"ws1\"},"
          + "\"EventData\":{\"RuleName\":null,\"ProcessId\":6336,\"Image\":\"C:\\\\x.exe\"}}}\n";

  @TempDir Path dir;

  @Test
  void valuesThatAreNotEventsAreIssuesAndTheRestIsRead() throws IOException {
    Path file =
        write(
            String.format(EVENT, 1, 10)
                + "{\"hello\": \"world\"}\n"
                + "[1, 2]\n"
                + String.format(EVENT, 7, 11));
    List<WinEvent> events = new ArrayList<>();

    ReadReport report = EvtxDumpJson.read(file, events::add);

    assertThat(events).extracting(WinEvent::recordId).containsExactly(10L, 11L);
    assertThat(events).extracting(WinEvent::index).containsExactly(0L, 1L);
    assertThat(events.get(0).eventData())
        .containsEntry("RuleName", "")
        .containsEntry("ProcessId", "6336");
    assertThat(report.issues()).hasSize(2);
    assertThat(report.issues().get(0).toString())
        .isEqualTo("dump.json: value #1: line 2: no Event/System object: not an event; skipped");
    assertThat(report.issues().get(1).toString()).contains("value #2", "line 3");
  }

  @Test
  void malformedJsonIsSkippedToTheNextObjectStart() throws IOException {
    String pretty = "{\n  \"Event\": {\n    \"System\": tru\n  }\n}\n";
    Path file = write(String.format(EVENT, 1, 10) + pretty + String.format(EVENT, 3, 12));
    List<WinEvent> events = new ArrayList<>();

    ReadReport report = EvtxDumpJson.read(file, events::add);

    assertThat(events).extracting(WinEvent::recordId).containsExactly(10L, 12L);
    assertThat(events).extracting(WinEvent::index).containsExactly(0L, 1L);
    assertThat(report.issues()).hasSize(2);
    assertThat(report.issues().get(0).toString())
        .contains("dump.json: value #1: line 4 column", "malformed JSON");
    assertThat(report.issues().get(1).toString()).contains("line 7: reading resumes here");
  }

  @Test
  void truncatedLastObjectEndsTheRead() throws IOException {
    Path file = write(String.format(EVENT, 1, 10) + "{\"Event\": {\"System\": {");
    List<WinEvent> events = new ArrayList<>();

    ReadReport report = EvtxDumpJson.read(file, events::add);

    assertThat(events).hasSize(1);
    assertThat(report.issues()).hasSize(2);
    assertThat(report.issues().get(0).toString()).contains("line 2", "malformed JSON");
    assertThat(report.issues().get(1).message()).contains("rest of the file not read");
  }

  @Test
  void strictReadThrowsWithEveryIssue() throws IOException {
    Path file = write(String.format(EVENT, 1, 10) + "{\"hello\": 1}\n");

    assertThatThrownBy(() -> EvtxDumpJson.read(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("dump.json: value #1");
  }

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("dump.json"), content);
  }
}
