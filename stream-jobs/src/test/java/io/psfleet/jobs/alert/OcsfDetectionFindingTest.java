package io.psfleet.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.jobs.lineage.Ancestor;
import org.junit.jupiter.api.Test;

class OcsfDetectionFindingTest {
  static final Ancestor[] ANCESTRY = {
    new Ancestor(0x200, 800, "C:\\Office\\WINWORD.EXE", "winword /n doc.docx", false),
    new Ancestor(0x100, 400, "C:\\Windows\\explorer.exe", null, true)
  };

  /** A DLL injection alert; also the source of the frozen example of the current version. */
  static Alert injectionAlert() {
    return new Alert(
        Alert.uidOf(Rule.DLL_INJECTION, "h:7:10", "h:7:11"),
        Rule.DLL_INJECTION,
        "host-000003",
        1_795_507_200_123_000_000L,
        new ProcessRef(
            0x300, 1200, "C:\\Windows\\System32\\notepad.exe", "notepad", "CORP\\bob", ANCESTRY),
        new ProcessRef(
            0x400, 1600, "C:\\Users\\bob\\Downloads\\Invoice.exe", null, null, new Ancestor[0]),
        new ModuleRef("C:\\Users\\bob\\AppData\\Local\\Temp\\m.dll", "ab12", false, null, 0),
        null,
        new String[] {"h:7:10", "h:7:11"},
        "Invoice.exe injected m.dll into notepad.exe");
  }

  @Test
  void injectionAlertIsAnOcsfDetectionFindingWithAttackProcessesAndEvidence() throws Exception {
    Alert alert = injectionAlert();

    JsonNode f = new ObjectMapper().readTree(OcsfDetectionFinding.toJsonBytes(alert));

    assertThat(f.path("class_uid").asInt()).isEqualTo(2004);
    assertThat(f.path("type_uid").asInt()).isEqualTo(200401);
    assertThat(f.path("time").asLong()).isEqualTo(1_795_507_200_123L);
    assertThat(f.path("severity_id").asInt()).isEqualTo(4);
    assertThat(f.at("/metadata/profiles/0").asText()).isEqualTo("host");
    assertThat(f.at("/unmapped/psfleet_alert_version").asInt())
        .isEqualTo(OcsfDetectionFinding.ALERT_VERSION);
    assertThat(f.at("/finding_info/uid").asText()).isEqualTo(alert.uid());
    assertThat(f.at("/finding_info/analytic/uid").asText()).isEqualTo("psfleet-001");
    assertThat(f.at("/finding_info/attacks/0/technique/uid").asText()).isEqualTo("T1055");
    assertThat(f.at("/finding_info/attacks/0/technique/name").asText())
        .isEqualTo("Process Injection");
    assertThat(f.at("/finding_info/attacks/0/sub_technique/uid").asText()).isEqualTo("T1055.001");
    assertThat(f.at("/finding_info/attacks/0/sub_technique/name").asText())
        .isEqualTo("Dynamic-link Library Injection");
    assertThat(f.at("/finding_info/attacks/0/tactic/name").asText()).isEqualTo("Defense Evasion");
    assertThat(f.at("/finding_info/related_events/0/uid").asText()).isEqualTo("h:7:10");
    assertThat(f.at("/finding_info/related_events/1/uid").asText()).isEqualTo("h:7:11");
    assertThat(f.at("/device/uid").asText()).isEqualTo("host-000003");
    assertThat(f.at("/device/os/name").asText()).isEqualTo("Windows");
    assertThat(f.at("/evidences/0/actor/process/file/path").asText()).endsWith("Invoice.exe");
    assertThat(f.at("/evidences/0/process/uid").asText()).isEqualTo("0000000000000300");
    assertThat(f.at("/evidences/0/process/user/name").asText()).isEqualTo("CORP\\bob");
    assertThat(f.at("/evidences/0/process/parent_process/name").asText()).isEqualTo("winword.exe");
    assertThat(f.at("/evidences/0/process/parent_process/file/name").asText())
        .isEqualTo("winword.exe");
    assertThat(f.at("/evidences/0/process/parent_process/parent_process/uid").asText())
        .isEqualTo("0000000000000100");
    assertThat(f.at("/unmapped/placeholder_process_uids"))
        .extracting(JsonNode::asText)
        .containsExactly("0000000000000100");
    assertThat(f.at("/evidences/0/process/lineage")).hasSize(2);
    assertThat(f.at("/evidences/0/file/hashes/0/value").asText()).isEqualTo("ab12");
    assertThat(f.at("/evidences/0/file/signature").isMissingNode()).isTrue(); // unsigned
    assertThat(f.at("/unmapped/module/signed").asBoolean(true)).isFalse();
  }

  @Test
  void signedModuleHasAValidAuthenticodeSignatureAndItsSignerUnmapped() throws Exception {
    Alert unsigned = injectionAlert();
    Alert alert =
        new Alert(
            unsigned.uid(),
            Rule.SEARCH_ORDER_HIJACK,
            unsigned.hostId(),
            unsigned.timeNanos(),
            unsigned.process(),
            null,
            new ModuleRef("C:\\Users\\Public\\version.dll", "cd34", true, "Contoso Ltd", 0),
            null,
            unsigned.evidenceEventIds(),
            unsigned.message());

    JsonNode f = new ObjectMapper().readTree(OcsfDetectionFinding.toJsonBytes(alert));

    assertThat(f.at("/evidences/0/file/signature/state").asText()).isEqualTo("Valid");
    assertThat(f.at("/evidences/0/file/signature/algorithm").asText()).isEqualTo("Authenticode");
    assertThat(f.at("/unmapped/module/signed").asBoolean(false)).isTrue();
    assertThat(f.at("/unmapped/module/signer").asText()).isEqualTo("Contoso Ltd");
    assertThat(f.at("/evidences/0/actor").isMissingNode()).isTrue();
  }

  @Test
  void techniqueWithoutSubTechniqueHasNone() throws Exception {
    Alert i = injectionAlert();
    Alert alert =
        new Alert(
            i.uid(),
            Rule.FLEET_RARE_MODULE,
            i.hostId(),
            i.timeNanos(),
            i.process(),
            null,
            new ModuleRef("C:\\ProgramData\\x.dll", "ef56", false, null, 12),
            new String[] {"host-000003", "host-000004"},
            i.evidenceEventIds(),
            i.message());

    JsonNode f = new ObjectMapper().readTree(OcsfDetectionFinding.toJsonBytes(alert));

    assertThat(f.at("/finding_info/attacks/0/technique/uid").asText()).isEqualTo("T1570");
    assertThat(f.at("/finding_info/attacks/0/sub_technique").isMissingNode()).isTrue();
    assertThat(f.at("/unmapped/hosts"))
        .extracting(JsonNode::asText)
        .containsExactly("host-000003", "host-000004");
    assertThat(f.at("/unmapped/module/fleet_hosts").asInt()).isEqualTo(12);
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
