package io.psfleet.winevent;

import static io.psfleet.winevent.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WinEventFilesTest {
  @TempDir Path dir;

  @Test
  void formatIsToldFromTheContent() throws IOException {
    assertThat(WinEventFiles.detect(copy("otrf-sysmon.json", "a.txt")))
        .isEqualTo(WinEventFormat.FLAT_JSON_LINES);
    assertThat(WinEventFiles.detect(copy("winlogbeat-sysmon.ndjson", "b.txt")))
        .isEqualTo(WinEventFormat.ECS_JSON_LINES);
    assertThat(WinEventFiles.detect(copy("xmlwineventlog-sysmon.log", "c.json")))
        .isEqualTo(WinEventFormat.XML_EVENT_LINES);
    assertThat(WinEventFiles.detect(Files.writeString(dir.resolve("d"), "\uFEFF  {\"Event\":")))
        .isEqualTo(WinEventFormat.EVTX_DUMP_JSON);
    assertThat(WinEventFiles.detect(Files.writeString(dir.resolve("e"), "MZ\u0090\u0000")))
        .isEqualTo(WinEventFormat.UNKNOWN);
    assertThat(WinEventFiles.detect(Files.writeString(dir.resolve("f"), "")))
        .isEqualTo(WinEventFormat.UNKNOWN);
  }

  @Test
  void regressionRecordingsAndTheirTwinsReadAlike() throws IOException {
    Path evtx = SigmaSnapshot.recordings().get(0);

    WinEventFiles.Read binary = WinEventFiles.readAll(evtx);
    WinEventFiles.Read twin = WinEventFiles.readAll(SigmaSnapshot.twinOf(evtx));

    assertThat(binary.report().format()).isEqualTo(WinEventFormat.EVTX);
    assertThat(twin.report().format()).isEqualTo(WinEventFormat.EVTX_DUMP_JSON);
    assertThat(binary.report().clean()).isTrue();
    assertThat(binary.events())
        .extracting(WinEvent::recordId)
        .isEqualTo(twin.events().stream().map(WinEvent::recordId).toList());
    assertThat(binary.report().eventsById()).isEqualTo(twin.report().eventsById());
  }

  @Test
  void unknownFormatIsOneIssueNotAnException() throws IOException {
    Path file = Files.write(dir.resolve("x.bin"), new byte[] {0x4d, 0x5a, 0, 1, 2});

    WinEventFiles.Read read = WinEventFiles.readAll(file);

    assertThat(read.events()).isEmpty();
    assertThat(read.report().format()).isEqualTo(WinEventFormat.UNKNOWN);
    assertThat(read.report().issues())
        .singleElement()
        .asString()
        .contains("x.bin", "not recognised");
    assertThat(read.report().summary()).isEqualTo("x.bin (UNKNOWN): 0 events, 1 issue");
  }

  private Path copy(String fixture, String as) throws IOException {
    return Files.copy(fixture(fixture), dir.resolve(as));
  }
}
