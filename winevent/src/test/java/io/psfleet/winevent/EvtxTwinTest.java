package io.psfleet.winevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every SigmaHQ regression recording read from its binary {@code .evtx} agrees, field by field,
 * with its evtx_dump {@code .json} twin.
 */
class EvtxTwinTest {
  /**
   * Twins that disagree with their own binary, checked byte by byte in the {@code .evtx}: file,
   * field, then the value the binary holds and the value the twin claims. This twin was not written
   * by evtx_dump (its TimeCreated has 100 ns digits) and its case differs.
   */
  private static final Map<String, Map<String, List<String>>> TWIN_ERRATA =
      Map.of(
          "ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx",
          Map.of(
              "ParentCommandLine",
              List.of("C:\\Windows\\Explorer.EXE", "C:\\Windows\\Explorer.exe")));

  @TestFactory
  Stream<DynamicTest> everyRecordingAgreesWithItsJsonTwin() {
    Path data = SigmaSnapshot.regressionData();
    return SigmaSnapshot.recordings().stream()
        .map(evtx -> DynamicTest.dynamicTest(data.relativize(evtx).toString(), () -> agree(evtx)));
  }

  @Test
  void snapshotHoldsTheHundredAndFourRecordings() {
    assertThat(SigmaSnapshot.recordings()).hasSize(104);
  }

  private static void agree(Path evtx) throws IOException {
    List<WinEvent> binary = new ArrayList<>();
    ReadReport report = EvtxReader.read(evtx, binary::add);
    List<WinEvent> twin = EvtxDumpJson.read(SigmaSnapshot.twinOf(evtx));

    assertThat(report.issues()).as("issues reading %s", evtx).isEmpty();
    assertThat(binary).as("events in %s", evtx).hasSameSizeAs(twin);
    assertThat(report.eventsRead()).isEqualTo(twin.size());
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < twin.size(); i++) {
      WinEvent b = binary.get(i);
      WinEvent j = twin.get(i);
      String at = evtx.getFileName() + " event " + i;
      soft.assertThat(b.eventId()).as(at + " EventID").isEqualTo(j.eventId());
      soft.assertThat(b.recordId()).as(at + " EventRecordID").isEqualTo(j.recordId());
      soft.assertThat(b.provider()).as(at + " provider").isEqualTo(j.provider());
      soft.assertThat(b.channel()).as(at + " channel").isEqualTo(j.channel());
      soft.assertThat(b.computer()).as(at + " computer").isEqualTo(j.computer());
      // Most twins were written with microseconds, some with the FILETIME's full 100 ns.
      soft.assertThat(b.timeCreated())
          .as(at + " TimeCreated")
          .isIn(j.timeCreated(), j.timeCreated().plusNanos(b.timeCreated().getNano() % 1000));
      soft.assertThat(b.index()).as(at + " index").isEqualTo(i);
      soft.assertThat(List.copyOf(b.eventData().keySet()))
          .as(at + " EventData names")
          .containsExactlyElementsOf(j.eventData().keySet());
      Map<String, List<String>> errata =
          TWIN_ERRATA.getOrDefault(evtx.getFileName().toString(), Map.of());
      for (Map.Entry<String, String> field : j.eventData().entrySet()) {
        List<String> erratum = errata.get(field.getKey());
        if (erratum != null) {
          soft.assertThat(List.of(b.field(field.getKey()), field.getValue()))
              .as(at + " EventData " + field.getKey() + " (known twin erratum)")
              .isEqualTo(erratum);
          continue;
        }
        soft.assertThat(b.field(field.getKey()))
            .as(at + " EventData " + field.getKey())
            .isEqualTo(field.getValue());
      }
    }
    soft.assertAll();
  }
}
