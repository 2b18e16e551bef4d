package io.psfleet.harness.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordIdsTest {
  private static String find(String field, String record) {
    return new RecordIds(field).find(record.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aJsonStringFieldIsFoundAtAnyDepth() {
    assertThat(
            find(
                "ProcessGuid",
                "{\"winlog\":{\"event_data\":{\"ParentProcessGuid\":\"{p}\","
                    + "\"ProcessGuid\" : \"{5a1c-01}\"}}}"))
        .isEqualTo("{5a1c-01}");
  }

  @Test
  void aJsonNumberIsItsText() {
    assertThat(find("record_id", "{\"winlog\":{\"record_id\":4711,\"x\":1}}")).isEqualTo("4711");
    assertThat(find("record_id", "{\"record_id\":null}")).isNull();
  }

  @Test
  void aValueThatSpellsTheNameIsNotTheField() {
    assertThat(find("ProcessGuid", "{\"name\":\"ProcessGuid\",\"ProcessGuid\":\"{g}\"}"))
        .isEqualTo("{g}");
  }

  @Test
  void sysmonXmlDataAndElementsAreFound() {
    String xml =
        "<Event><System><EventID>1</EventID><EventRecordID>42</EventRecordID></System>"
            + "<EventData><Data Name='ProcessGuid'>{g-1}</Data><Data Name=\"Image\">C:\\a.exe"
            + "</Data></EventData></Event>";
    assertThat(find("ProcessGuid", xml)).isEqualTo("{g-1}");
    assertThat(find("Image", xml)).isEqualTo("C:\\a.exe");
    assertThat(find("EventRecordID", xml)).isEqualTo("42");
  }

  @Test
  void aRecordWithoutTheFieldHasNoId() {
    assertThat(find("ProcessGuid", "{\"SourceProcessGuid\":\"{s}\"}")).isNull();
    assertThat(new RecordIds("ProcessGuid").find(null)).isNull();
  }

  @Test
  void aDottedPathIsRefusedWithWhatToWriteInstead() {
    assertThatThrownBy(() -> new RecordIds("process.entity_id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no dots");
  }
}
