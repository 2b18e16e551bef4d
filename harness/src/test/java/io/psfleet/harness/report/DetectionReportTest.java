package io.psfleet.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionReportTest {
  private static final DetectionReport.HostTelemetry CLEAN =
      new DetectionReport.HostTelemetry(2, 100, 100, 0, 0, List.of());

  private static GroundTruthJoin.Truth truth(
      String id, String technique, boolean attack, long key, long at) {
    return new GroundTruthJoin.Truth(
        new GroundTruth(
            id,
            "s",
            technique,
            attack ? GroundTruthLabel.ATTACK : GroundTruthLabel.BENIGN_LOOKALIKE,
            "h1",
            1L,
            List.of(key),
            List.of(3L),
            0L,
            null),
        at);
  }

  private static AlertRecord alert(
      String uid, String technique, long key, long at, String... evidence) {
    return ruleAlert(uid, "r", technique, key, at, evidence);
  }

  private static AlertRecord ruleAlert(
      String uid, String rule, String technique, long key, long at, String... evidence) {
    return new AlertRecord(
        uid,
        rule,
        technique,
        "h1",
        Set.of(String.format("%016x", key)),
        Set.of("h1"),
        at,
        List.of(evidence));
  }

  @Test
  void perTechniqueRecallPrecisionAndTimeFromTheLastEvidenceRecord() {
    List<GroundTruthJoin.Truth> truths =
        List.of(
            truth("a-1", "T1055.001", true, 1, 1_000),
            truth("a-2", "T1055.001", true, 2, 1_000),
            truth("b-1", "T1134.004", false, 3, 1_000));
    List<AlertRecord> alerts =
        List.of(
            alert("x", "T1055.001", 1, 1_500, "h1:1:10", "h1:1:11"),
            alert("fp", "T1134.004", 3, 1_200, "h1:1:20"));

    DetectionReport report =
        DetectionReport.build(
            Map.of("seed", "1"),
            GroundTruthJoin.join(truths, alerts),
            alerts,
            Map.of("h1:1:10", 1_100L, "h1:1:11", 1_300L),
            CLEAN,
            0);

    DetectionReport.Row injection = report.techniques().get(0);
    assertThat(injection.technique()).isEqualTo("T1055.001");
    assertThat(injection.injected()).isEqualTo(2);
    assertThat(injection.detected()).isEqualTo(1);
    assertThat(injection.missed()).containsExactly("a-2");
    assertThat(injection.recall()).isEqualTo(0.5);
    assertThat(injection.timeToAlert().p50()).isEqualTo(200); // 1,500 - last evidence 1,300
    DetectionReport.Row spoofing = report.techniques().get(1);
    assertThat(spoofing.injected()).isZero();
    assertThat(spoofing.falsePositives()).containsExactly("fp");
    assertThat(spoofing.precision()).isZero();
    assertThat(report.totals().falsePositives()).isEqualTo(1);
    assertThat(report.passes(0.5, 1)).isTrue();
    assertThat(report.passes(1.0, 1)).isFalse();
    assertThat(report.passes(0.5, 0)).isFalse();
  }

  @Test
  void eachRuleIsCreditedOnlyWithTheAttacksItsOwnAlertsMatched() {
    List<GroundTruthJoin.Truth> truths =
        List.of(
            truth("a-1", "T1055.001", true, 1, 1_000), truth("a-2", "T1055.001", true, 2, 1_000));
    List<AlertRecord> alerts =
        List.of(
            ruleAlert("x", "psfleet-001", "T1055.001", 1, 1_500),
            ruleAlert("y", "psfleet-900", "T1055.001", 2, 1_700));

    DetectionReport report =
        DetectionReport.build(
            Map.of(), GroundTruthJoin.join(truths, alerts), alerts, Map.of(), CLEAN, 0);

    assertThat(report.techniques())
        .singleElement()
        .satisfies(t -> assertThat(t.detected()).isEqualTo(2));
    Map<String, DetectionReport.Row> rules =
        report.rules().stream()
            .collect(java.util.stream.Collectors.toMap(DetectionReport.Row::name, r -> r));
    assertThat(rules.get("psfleet-001").missed()).containsExactly("a-2");
    assertThat(rules.get("psfleet-001").timeToAlert().max()).isEqualTo(500);
    assertThat(rules.get("psfleet-900").technique()).isEqualTo("T1055.001");
    assertThat(rules.get("psfleet-900").missed()).containsExactly("a-1");
    assertThat(rules.get("psfleet-900").timeToAlert().max()).isEqualTo(700);
    assertThat(rules.get("psfleet-003").alerts()).isZero(); // every rule is listed, alerts or not
    assertThat(rules.get("psfleet-003").injected()).isZero();
  }

  @Test
  void writesJsonAndASelfContainedHtmlWithBothCharts(@TempDir Path dir) throws Exception {
    List<GroundTruthJoin.Truth> truths = List.of(truth("a-1", "T1055.001", true, 1, 1_000));
    List<AlertRecord> alerts = List.of(alert("x", "T1055.001", 1, 1_400));
    DetectionReport report =
        DetectionReport.build(
            Map.of("hosts", "2"), GroundTruthJoin.join(truths, alerts), alerts, Map.of(), CLEAN, 0);

    ReportFiles.write(report, dir);

    String json = Files.readString(dir.resolve("report.json"));
    assertThat(json)
        .contains("\"technique\" : \"T1055.001\"", "\"recall\" : 1.0", "\"hosts\" : \"2\"");
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html)
        .contains(
            "aria-label=\"recall per technique\"",
            "aria-label=\"time to alert distribution\"",
            "T1055.001");
    assertThat(html).doesNotContain("<script", "http://", "https://");
  }

  @Test
  void aRuleTaggedWithAnotherTechniqueIsCreditedWithTheAttackWhoseEventsItNames() {
    // The attack is T1003.001; the Sigma rule that fired on its rundll32 event is tagged T1218.011.
    List<GroundTruthJoin.Truth> truths = List.of(truth("dump-1", "T1003.001", true, 7, 1_000));
    List<AlertRecord> alerts =
        List.of(ruleAlert("s", "sigma-rundll32", "T1218.011", 99, 1_200, "h1:1:3"));

    DetectionReport report =
        DetectionReport.build(
            Map.of(), GroundTruthJoin.join(truths, alerts), alerts, Map.of(), CLEAN, 0);

    assertThat(report.totals().detected()).isEqualTo(1);
    assertThat(report.totals().falsePositives()).isZero();
    DetectionReport.Row rule =
        report.rules().stream().filter(r -> r.name().equals("sigma-rundll32")).findFirst().get();
    assertThat(rule.injected()).isEqualTo(1);
    assertThat(rule.detected()).isEqualTo(1);
  }

  @Test
  void falsePositivesAreCountedPerThousandHostHours() {
    List<AlertRecord> alerts =
        List.of(
            ruleAlert("n1", "sigma-noisy", "T1059.001", 1, 1_000, "h1:1:50"),
            ruleAlert("n2", "sigma-noisy", "T1059.001", 2, 2_000, "h1:1:60"));

    DetectionReport report =
        DetectionReport.build(
            Map.of(), GroundTruthJoin.join(List.of(), alerts), alerts, Map.of(), CLEAN, 400);

    DetectionReport.Row noisy =
        report.rules().stream().filter(r -> r.name().equals("sigma-noisy")).findFirst().get();
    assertThat(noisy.falsePositives()).hasSize(2);
    assertThat(noisy.falsePositivesPer1000HostHours()).isEqualTo(5.0); // 2 in 400 host-hours
    assertThat(
            report.rules().stream()
                .filter(r -> r.name().equals("psfleet-001"))
                .findFirst()
                .get()
                .falsePositivesPer1000HostHours())
        .isZero();
  }

  @Test
  void aRuleWithoutAnAttackTagIsReportedAsUntagged() {
    List<GroundTruthJoin.Truth> truths = List.of(truth("a-1", "T1055.001", true, 1, 1_000));
    List<AlertRecord> alerts = List.of(ruleAlert("u", "sigma-untagged", null, 1, 1_200, "h1:1:3"));

    DetectionReport report =
        DetectionReport.build(
            Map.of(), GroundTruthJoin.join(truths, alerts), alerts, Map.of(), CLEAN, 0);

    assertThat(report.rules())
        .filteredOn(r -> r.name().equals("sigma-untagged"))
        .singleElement()
        .satisfies(r -> assertThat(r.technique()).isEqualTo(AlertRecord.UNTAGGED));
    assertThat(report.totals().detected()).isEqualTo(1); // it names the attack's event
  }

  @Test
  void perScenarioRowsCountTheInstancesEachRuleCaught() {
    // two transplants of one recording (same scenario, two hosts' worth of ids)
    List<GroundTruthJoin.Truth> truths =
        List.of(
            truth("rec-0001", "T1059.001", true, 1, 1_000),
            truth("rec-0002", "T1059.001", true, 2, 1_000));
    List<AlertRecord> alerts =
        List.of(
            ruleAlert("own-1", "own", "T1059.001", 1, 1_500),
            ruleAlert("own-2", "own", "T1059.001", 2, 1_500),
            ruleAlert("other", "other", "T1059.001", 2, 1_600));

    DetectionReport report =
        DetectionReport.build(
            Map.of(), GroundTruthJoin.join(truths, alerts), alerts, Map.of(), CLEAN, 0);

    assertThat(report.scenarios())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.scenario()).isEqualTo("s");
              assertThat(row.injected()).isEqualTo(2);
              assertThat(row.detected()).isEqualTo(2);
              assertThat(row.missed()).isEmpty();
              assertThat(row.detectedBy())
                  .containsExactly(Map.entry("other", 1), Map.entry("own", 2));
            });
  }
}
