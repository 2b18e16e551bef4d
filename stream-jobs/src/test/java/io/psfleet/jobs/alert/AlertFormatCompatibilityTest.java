package io.psfleet.jobs.alert;

import static io.psfleet.jobs.alert.OcsfFindingValidityTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaAlerts;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The alert format is a versioned contract. Frozen findings of every version, one per rule, are
 * kept under test resources ({@code finding-v<version>-<rule id>.json}, written from the same
 * alerts); the reader beside the writer reads every earlier version with the same meaning as the
 * current one, and the writer still writes the frozen example of the current version ({@code
 * finding-v<version>-writer.json}) exactly.
 *
 * <p>Changing the format means: raise {@link OcsfDetectionFinding#ALERT_VERSION}, freeze findings
 * of the new version beside the old ones, keep reading the old ones, and update ocsf/ALERTS.md.
 */
class AlertFormatCompatibilityTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(Rule.class)
  void version1FindingReadsLikeTheVersion2FindingOfTheSameAlert(Rule rule) throws Exception {
    ReadFinding v1 = OcsfDetectionFinding.read(resource("finding-v1-" + rule.id() + ".json"));
    ReadFinding v2 = OcsfDetectionFinding.read(resource("finding-v2-" + rule.id() + ".json"));

    assertThat(v1.alertVersion()).isEqualTo(1);
    assertThat(v2.alertVersion()).isEqualTo(2);
    assertThat(v1).usingRecursiveComparison().ignoringFields("alertVersion").isEqualTo(v2);
    assertThat(v1.ruleId()).isEqualTo(rule.id());
    assertThat(v1.technique()).isEqualTo(rule.technique());
  }

  @ParameterizedTest
  @EnumSource(Rule.class)
  void version2FindingReadsLikeTheVersion3FindingOfTheSameAlert(Rule rule) throws Exception {
    ReadFinding v2 = OcsfDetectionFinding.read(resource("finding-v2-" + rule.id() + ".json"));
    ReadFinding v3 = OcsfDetectionFinding.read(resource("finding-v3-" + rule.id() + ".json"));

    assertThat(v3.alertVersion()).isEqualTo(3);
    assertThat(v2).usingRecursiveComparison().ignoringFields("alertVersion").isEqualTo(v3);
  }

  @Test
  void version1InjectionFindingIsReadInFull() throws Exception {
    ReadFinding f = OcsfDetectionFinding.read(resource("finding-v1-psfleet-001.json"));

    assertThat(f.uid()).isEqualTo("psfleet-001-471a11d8dac1ad7b");
    assertThat(f.ruleId()).isEqualTo("psfleet-001");
    assertThat(f.technique()).isEqualTo("T1055.001");
    assertThat(f.hostId()).isEqualTo("host-000001");
    assertThat(f.hosts()).containsExactly("host-000001");
    assertThat(f.processKey()).isEqualTo("0000000000000015");
    assertThat(f.actorKey()).isEqualTo("0000000000000033");
    assertThat(f.ancestry()).containsExactly("0000000000000014", "0000000000000009");
    assertThat(f.placeholderKeys()).containsExactly("0000000000000009");
    assertThat(f.evidenceEventIds()).containsExactly("host-000001:7e57:6", "host-000001:7e57:7");
  }

  @Test
  void version1FleetFindingIsReadWithEveryHost() throws Exception {
    ReadFinding f = OcsfDetectionFinding.read(resource("finding-v1-psfleet-006.json"));

    assertThat(f.technique()).isEqualTo("T1570");
    assertThat(f.hostId()).isEqualTo("host-000003");
    assertThat(f.hosts()).containsExactly("host-000003", "host-000001", "host-000002");
    assertThat(f.processKey()).isEqualTo("000000000000002a");
    assertThat(f.actorKey()).isNull();
    assertThat(f.evidenceEventIds())
        .containsExactly("host-000001:7e57:1", "host-000002:7e57:1", "host-000003:7e57:1");
  }

  @Test
  void writerProducesTheFrozenExampleOfTheCurrentVersion() throws Exception {
    JsonNode frozen =
        JSON.readTree(resource("finding-v" + OcsfDetectionFinding.ALERT_VERSION + "-writer.json"));

    // The product version is the build's: it changes with every release, the format does not.
    ((com.fasterxml.jackson.databind.node.ObjectNode) frozen.path("metadata").path("product"))
        .put("version", OcsfDetectionFinding.PRODUCT_VERSION);
    assertThat(OcsfDetectionFinding.toJson(OcsfDetectionFindingTest.injectionAlert()))
        .as("the format changed: raise ALERT_VERSION and freeze findings of the new version")
        .isEqualTo(frozen);
  }

  @Test
  void everyPackRulesFindingReadsBackAsTheAlertItWasWrittenFrom() throws Exception {
    for (Alert alert : RuleAlerts.oneOfEach().values()) {
      ReadFinding f = OcsfDetectionFinding.read(OcsfDetectionFinding.toJsonBytes(alert));

      assertThat(f.alertVersion()).isEqualTo(OcsfDetectionFinding.ALERT_VERSION);
      assertThat(f.uid()).isEqualTo(alert.uid());
      assertThat(f.ruleId()).isEqualTo(alert.analytic().id());
      assertThat(f.technique()).isEqualTo(Rule.ofId(f.ruleId()).technique());
      assertThat(f.hostId()).isEqualTo(alert.hostId());
      assertThat(f.hosts()).containsExactlyInAnyOrder(alert.hosts());
      assertThat(f.processKey()).isEqualTo(key(alert.process()));
      assertThat(f.actorKey()).isEqualTo(key(alert.actor()));
      assertThat(f.ancestry())
          .containsExactlyElementsOf(
              Arrays.stream(alert.process().ancestry())
                  .map(a -> OcsfDetectionFinding.processUid(a.key()))
                  .toList());
      assertThat(f.placeholderKeys()).isEqualTo(placeholders(alert));
      assertThat(f.evidenceEventIds()).containsExactly(alert.evidenceEventIds());
    }
  }

  @Test
  void sigmaFindingsReadBackWithTheRulesIdTitleAndTechnique() throws Exception {
    for (Alert alert : SigmaAlerts.oneOfEach()) {
      byte[] json = OcsfDetectionFinding.toJsonBytes(alert);
      ReadFinding f = OcsfDetectionFinding.read(json);

      assertThat(f.alertVersion()).isEqualTo(OcsfDetectionFinding.ALERT_VERSION);
      assertThat(f.uid()).isEqualTo(alert.uid());
      assertThat(f.ruleId()).isEqualTo(alert.analytic().id());
      assertThat(f.title()).isEqualTo(alert.analytic().title());
      assertThat(f.source()).isEqualTo(Analytic.SIGMA);
      assertThat(f.technique()).isEqualTo(alert.analytic().technique());
      assertThat(f.hostId()).isEqualTo(alert.hostId());
      assertThat(f.processKey()).isEqualTo(key(alert.process()));
      assertThat(f.actorKey()).isEqualTo(key(alert.actor()));
      assertThat(f.evidenceEventIds()).containsExactly(alert.evidenceEventIds());
      JsonNode tree = JSON.readTree(json);
      assertThat(tree.at("/finding_info/analytic/name").asText())
          .isEqualTo(alert.analytic().title());
      assertThat(tree.path("severity_id").asInt()).isEqualTo(alert.analytic().severityId());
      assertThat(tree.at("/unmapped/sigma/references").size())
          .isEqualTo(alert.analytic().references().length);
      assertThat(f.ruleSetVersion()).isEqualTo(alert.ruleSetVersion()).isNotNegative();
      assertThat(tree.at("/unmapped/sigma/rule_set_version").asLong())
          .isEqualTo(alert.ruleSetVersion());
    }
  }

  @Test
  void thePacksFindingsReadBackAsSigmaWithTheirRulesTitleAndTheStartRuleSet() throws Exception {
    for (Alert alert : RuleAlerts.oneOfEach().values()) {
      ReadFinding f = OcsfDetectionFinding.read(OcsfDetectionFinding.toJsonBytes(alert));
      assertThat(f.source()).isEqualTo(Analytic.SIGMA);
      assertThat(f.title()).isEqualTo(Rule.ofId(f.ruleId()).title());
      assertThat(f.ruleSetVersion()).isEqualTo(RuleSetVersion.STARTED_WITH);
    }
  }

  private static String key(ProcessRef p) {
    return p == null ? null : OcsfDetectionFinding.processUid(p.key());
  }

  private static Set<String> placeholders(Alert alert) {
    return Stream.of(alert.process(), alert.actor())
        .filter(Objects::nonNull)
        .flatMap(p -> Arrays.stream(p.ancestry()))
        .filter(Ancestor::placeholder)
        .map(a -> OcsfDetectionFinding.processUid(a.key()))
        .collect(Collectors.toSet());
  }
}
