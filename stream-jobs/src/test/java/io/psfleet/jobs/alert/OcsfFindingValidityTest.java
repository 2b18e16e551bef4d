package io.psfleet.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.sigma.SigmaAlerts;
import io.psfleet.ocsf.Issue;
import io.psfleet.ocsf.OcsfValidator;
import io.psfleet.ocsf.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every finding the job writes is a valid OCSF 1.3.0 Detection Finding, checked against the
 * schema's own source by the ocsf module's validator.
 */
class OcsfFindingValidityTest {
  static final OcsfValidator VALIDATOR = OcsfValidator.bundled();
  static final Map<Rule, Alert> ALERTS = RuleAlerts.oneOfEach();

  static Stream<Arguments> everyRule() {
    return ALERTS.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRule")
  void findingOfEveryRuleValidatesWithoutErrors(Rule rule, Alert alert) {
    ValidationResult result = VALIDATOR.validate(OcsfDetectionFinding.toJsonBytes(alert));

    assertThat(result.errors()).as(result.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRule")
  void noRecommendedAttributeWeHaveIsLeftOut(Rule rule, Alert alert) {
    ValidationResult result = VALIDATOR.validate(OcsfDetectionFinding.toJsonBytes(alert));

    // What psfleet knows and OCSF recommends is filled in; the rest psfleet does not know.
    assertThat(result.warnings())
        .extracting(Issue::path)
        .doesNotContain(
            "message",
            "status_id",
            "device",
            "device.hostname",
            "device.uid",
            "device.type",
            "evidences",
            "finding_info.analytic",
            "metadata.product.version",
            "evidences[0].process",
            "evidences[0].process.pid",
            "evidences[0].process.file",
            "evidences[0].process.file.path");
  }

  static Stream<Arguments> sigmaAlerts() {
    return SigmaAlerts.oneOfEach().stream().map(a -> Arguments.of(a.analytic().title(), a));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sigmaAlerts")
  void findingOfASigmaRuleValidatesWithoutErrors(String title, Alert alert) {
    ValidationResult result = VALIDATOR.validate(OcsfDetectionFinding.toJsonBytes(alert));

    assertThat(result.errors()).as(result.toString()).isEmpty();
    assertThat(result.warnings())
        .extracting(Issue::path)
        .doesNotContain("message", "device", "evidences", "finding_info.analytic");
  }

  @Test
  void testedAlertsCoverEveryRule() {
    assertThat(ALERTS.keySet()).containsExactlyInAnyOrder(Rule.values());
  }

  @ParameterizedTest
  @EnumSource(Rule.class)
  void frozenFindingOfTheCurrentVersionIsValid(Rule rule) throws IOException {
    ValidationResult result =
        VALIDATOR.validate(
            resource("finding-v" + OcsfDetectionFinding.ALERT_VERSION + "-" + rule.id() + ".json"));

    assertThat(result.errors()).as(result.toString()).isEmpty();
  }

  @Test
  void frozenVersion1FindingsWereNotValidOcsf() throws IOException {
    // Why version 2 exists: its predecessor broke the schema in these ways.
    ValidationResult v1 = VALIDATOR.validate(resource("finding-v1-psfleet-001.json"));

    assertThat(v1.errors())
        .extracting(Issue::toString)
        .contains(
            "process: attribute \"process\" is not defined in class detection_finding (2004)",
            "attacks: attribute \"attacks\" belongs to profile \"security_control\", which"
                + " metadata.profiles does not declare",
            "device: attribute \"device\" belongs to profile \"host\", which metadata.profiles"
                + " does not declare",
            "device.os: expected a os object, got a string \"Windows\"",
            "evidences[0].event_ids: attribute \"event_ids\" is not defined in object evidences",
            "evidences[0].process.file.type_id: required attribute is missing",
            "evidences[0].process.parent_process.file.name: required attribute is missing",
            "evidences[0].process.parent_process.parent_process.is_placeholder: attribute"
                + " \"is_placeholder\" is not defined in object process",
            "evidences[0].file.signature.state: must be the caption of state_id 2, \"Expired\","
                + " got \"Unsigned\"");
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = OcsfFindingValidityTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** Every text an alert carries from telemetry, at the largest its field bounds let through. */
  static Alert alertAtItsFieldBounds() {
    // JSON writes a control character as six bytes: the worst case of a text's size on the wire.
    String commandLine = "\u0001".repeat(8_192);
    String path = "C:\\" + "\u0001".repeat(2_044);
    Ancestor[] ancestry = new Ancestor[64];
    for (int i = 0; i < ancestry.length; i++) {
      ancestry[i] = new Ancestor(0x1000 + i, 4 * i, path, commandLine, false);
    }
    return new Alert(
        Alert.uidOf(Rule.DLL_INJECTION, "h:7:10", "h:7:11"),
        Rule.DLL_INJECTION,
        "h".repeat(255),
        1_795_507_200_123_000_000L,
        new ProcessRef(0x300, 1200, path, commandLine, "u".repeat(256), ancestry),
        new ProcessRef(0x400, 1600, path, commandLine, "u".repeat(256), ancestry),
        new ModuleRef(path, "ab12", true, "s".repeat(256), 0),
        null,
        new String[] {"h:7:10", "h:7:11"},
        commandLine);
  }

  @Test
  void anAlertAtEveryFieldBoundIsCutToTheRecordBoundAndStaysValidOcsf() throws IOException {
    Alert alert = alertAtItsFieldBounds();
    assertThat(OcsfDetectionFinding.toJsonBytes(alert).length).isGreaterThan(2_000_000);

    byte[] json = OcsfDetectionFinding.toJsonBytes(alert, OcsfDetectionFinding.MIN_BUDGET_BYTES);

    assertThat(json.length).isLessThanOrEqualTo(OcsfDetectionFinding.MIN_BUDGET_BYTES);
    JsonNode finding = new ObjectMapper().readTree(json);
    assertThat(finding.at("/unmapped/psfleet_truncated").asBoolean()).isTrue();
    assertThat(finding.at("/finding_info/uid").asText()).isEqualTo(alert.uid());
    ValidationResult result = VALIDATOR.validate(json);
    assertThat(result.errors()).as(result.toString()).isEmpty();
  }

  @Test
  void anAlertWithinTheBoundIsWrittenWhole() {
    Alert alert = RuleAlerts.oneOfEach().get(Rule.DLL_INJECTION);

    assertThat(OcsfDetectionFinding.toJsonBytes(alert, OcsfDetectionFinding.MIN_BUDGET_BYTES))
        .isEqualTo(OcsfDetectionFinding.toJsonBytes(alert));
  }
}
