package io.psfleet.jobs.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.sigma.RuleOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigmaDetectorTest {
  @Test
  void eachRuleRaisesOneAlertAboutTheEventsProcessWithTheRulesMetadata() {
    List<Alert> alerts = SigmaAlerts.oneOfEach();

    assertThat(alerts)
        .extracting(a -> a.analytic().id())
        .containsExactly(
            SigmaAlerts.ENCODED, SigmaAlerts.TEMP_DLL, SigmaAlerts.THREAD, SigmaAlerts.KEYWORD);
    Alert encoded = alerts.get(0);
    assertThat(encoded.analytic().isSigma()).isTrue();
    assertThat(encoded.rule()).isNull();
    assertThat(encoded.analytic().title()).isEqualTo("Encoded PowerShell from an Office document");
    assertThat(encoded.analytic().technique()).isEqualTo("T1059.001");
    assertThat(encoded.analytic().tactic()).isEqualTo("Execution");
    assertThat(encoded.analytic().severityId()).isEqualTo(4);
    assertThat(encoded.analytic().references())
        .containsExactly("https://attack.mitre.org/techniques/T1059/001/");
    assertThat(encoded.analytic().falsePositives()).containsExactly("Administrative scripts");
    assertThat(encoded.process().key()).isEqualTo(SigmaAlerts.POWERSHELL.key());
    assertThat(encoded.process().ancestry()).hasSize(2);
    assertThat(encoded.evidenceEventIds()).hasSize(1);
    assertThat(encoded.uid())
        .isEqualTo(Alert.uidOf(encoded.analytic(), encoded.evidenceEventIds()));

    Alert load = alerts.get(1);
    assertThat(load.analytic().severityId()).isEqualTo(5);
    assertThat(load.analytic().technique()).isEqualTo("T1574.002");
    assertThat(load.analytic().otherTechniques()).containsExactly("T1055");
    assertThat(load.module().path()).endsWith("msvcupd64.dll");

    Alert thread = alerts.get(2);
    assertThat(thread.actor().key()).isEqualTo(SigmaAlerts.DROPPER.key());
    assertThat(thread.process().key()).isEqualTo(SigmaAlerts.NOTEPAD.key());
    assertThat(thread.analytic().technique()).isNull();
    assertThat(thread.analytic().severityId()).isZero();
  }

  @Test
  void sameRuleAndEventGiveTheSameUid() {
    assertThat(SigmaAlerts.oneOfEach())
        .extracting(Alert::uid)
        .containsExactlyElementsOf(SigmaAlerts.oneOfEach().stream().map(Alert::uid).toList());
  }

  @Test
  void rejectedRulesAreReportedWithFileAndLineAndTheRestRun() {
    SigmaRules rules =
        SigmaRules.of(
            List.of(
                new SigmaRuleText("good.yml", SigmaAlerts.RULES),
                new SigmaRuleText(
                    "bad.yml",
                    "title: bad\nlogsource:\n  category: process_creation\n  product: windows\n"
                        + "detection:\n  sel:\n    Image|nope: x\n  condition: sel\n")));
    SigmaDetector detector = new SigmaDetector(rules);

    assertThat(detector.rulesCompiled()).isEqualTo(4);
    assertThat(detector.report().rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.source()).isEqualTo("bad.yml");
              assertThat(r.line()).isPositive();
              assertThat(r.status()).isEqualTo(RuleOutcome.Status.REJECTED);
            });
    List<Alert> out = new ArrayList<>();
    detector.evaluate(
        new TestEvents("h").create(1, SigmaAlerts.POWERSHELL, SigmaAlerts.WORD), out::add);
    assertThat(out).extracting(a -> a.analytic().id()).containsExactly(SigmaAlerts.ENCODED);
  }

  @Test
  void noRulesRaiseNothing() {
    List<Alert> out = new ArrayList<>();
    new SigmaDetector(SigmaRules.none())
        .evaluate(
            new TestEvents("h").create(1, SigmaAlerts.POWERSHELL, SigmaAlerts.WORD), out::add);
    assertThat(out).isEmpty();
  }

  @Test
  void rulesAreReadFromFilesAndFoldersPassingOverRegressionData(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("a.yml"), SigmaAlerts.RULES);
    Files.createDirectories(dir.resolve("sub/regression_data"));
    Files.writeString(dir.resolve("sub/b.yaml"), "title: b");
    Files.writeString(dir.resolve("sub/regression_data/info.yml"), "x: y");
    Files.writeString(dir.resolve("sub/notes.txt"), "not a rule");

    SigmaRules rules = SigmaRules.read(List.of(dir, dir.resolve("a.yml")));

    assertThat(rules.files())
        .extracting(SigmaRuleText::source)
        .containsExactly(dir.resolve("a.yml").toString(), dir.resolve("sub/b.yaml").toString());
    assertThat(InstantiationUtil.clone(rules)).isEqualTo(rules);
    assertThat(InstantiationUtil.clone(new SigmaFunction(rules))).isNotNull();
  }

  @Test
  void aMissingPathIsAnErrorNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-rules");
    assertThatThrownBy(() -> SigmaRules.read(List.of(missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rules")
        .hasMessageContaining(missing.toString());
  }
}
