package io.psfleet.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.jobs.lineage.Ancestor;
import org.junit.jupiter.api.Test;

class OcsfDetectionFindingTest {
  private static final Ancestor[] ANCESTRY = {
    new Ancestor(0x200, 800, "C:\\Office\\WINWORD.EXE", "winword /n doc.docx", false),
    new Ancestor(0x100, 400, "C:\\Windows\\explorer.exe", null, true)
  };

  @Test
  void injectionAlertIsAnOcsfDetectionFindingWithAttackProcessesAndEvidence() throws Exception {
    Alert alert =
        new Alert(
            Alert.uidOf(Rule.DLL_INJECTION, "h:7:10", "h:7:11"),
            Rule.DLL_INJECTION,
            "host-000003",
            1_795_507_200_123_000_000L,
            new ProcessRef(
                0x300,
                1200,
                "C:\\Windows\\System32\\notepad.exe",
                "notepad",
                "CORP\\bob",
                ANCESTRY),
            new ProcessRef(
                0x400, 1600, "C:\\Users\\bob\\Downloads\\Invoice.exe", null, null, new Ancestor[0]),
            new ModuleRef("C:\\Users\\bob\\AppData\\Local\\Temp\\m.dll", "ab12", false, null, 0),
            null,
            new String[] {"h:7:10", "h:7:11"},
            "Invoice.exe injected m.dll into notepad.exe");

    JsonNode f = new ObjectMapper().readTree(OcsfDetectionFinding.toJsonBytes(alert));

    assertThat(f.path("class_uid").asInt()).isEqualTo(2004);
    assertThat(f.path("type_uid").asInt()).isEqualTo(200401);
    assertThat(f.path("time").asLong()).isEqualTo(1_795_507_200_123L);
    assertThat(f.path("severity_id").asInt()).isEqualTo(4);
    assertThat(f.at("/finding_info/uid").asText()).isEqualTo(alert.uid());
    assertThat(f.at("/finding_info/analytic/uid").asText()).isEqualTo("psfleet-001");
    assertThat(f.at("/finding_info/attacks/0/technique/uid").asText()).isEqualTo("T1055.001");
    assertThat(f.at("/finding_info/attacks/0/tactic/name").asText()).isEqualTo("Defense Evasion");
    assertThat(f.at("/finding_info/related_events/1/uid").asText()).isEqualTo("h:7:11");
    assertThat(f.at("/device/uid").asText()).isEqualTo("host-000003");
    assertThat(f.at("/actor/process/file/path").asText()).endsWith("Invoice.exe");
    assertThat(f.at("/process/uid").asText()).isEqualTo("0000000000000300");
    assertThat(f.at("/process/parent_process/name").asText()).isEqualTo("winword.exe");
    assertThat(f.at("/process/parent_process/parent_process/is_placeholder").asBoolean()).isTrue();
    assertThat(f.at("/process/lineage")).hasSize(2);
    assertThat(f.at("/evidences/0/file/hashes/0/value").asText()).isEqualTo("ab12");
    assertThat(f.at("/evidences/0/file/signature/state").asText()).isEqualTo("Unsigned");
    assertThat(f.at("/evidences/0/event_ids/0").asText()).isEqualTo("h:7:10");
  }

  @Test
  void uidIsStableForTheSameEvidenceAndDiffersOtherwise() {
    assertThat(Alert.uidOf(Rule.PPID_SPOOFING, "a:1:2"))
        .isEqualTo(Alert.uidOf(Rule.PPID_SPOOFING, "a:1:2"));
    assertThat(Alert.uidOf(Rule.PPID_SPOOFING, "a:1:2"))
        .isNotEqualTo(Alert.uidOf(Rule.PPID_SPOOFING, "a:1:3"));
    assertThat(Alert.uidOf(Rule.PPID_SPOOFING, "a:1:2"))
        .isNotEqualTo(Alert.uidOf(Rule.DLL_INJECTION, "a:1:2"));
  }
}
