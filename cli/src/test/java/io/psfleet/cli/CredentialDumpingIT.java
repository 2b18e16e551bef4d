package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.jobs.JobConfig;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LSASS credential dumping end to end: the sensor's ProcessAccess events of the T1003.001 scenarios
 * and their look-alikes go through Kafka and the detection job with psfleet's Sigma rule for LSASS
 * memory reads ({@code sigma/proc_access_win_lsass_credential_dumping.yml}); every dump alerts with
 * that rule, and no look-alike alerts at all, though each opens lsass or dumps a process too.
 */
class CredentialDumpingIT {
  static final String LSASS_RULE = "9b37db8f-ab71-4c91-9060-10506b2daffd";
  static final Set<String> ATTACKS = Set.of("lsass-mimikatz", "lsass-procdump", "lsass-minidump");
  static final Set<String> LOOKALIKES =
      Set.of("av-scans-lsass", "taskmgr-lists-lsass", "werfault-dumps-crash");

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void lsassDumpsAlertWithTheLsassRuleAndTheirLookalikesDoNot() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
    Map<String, Integer> scenarios = new HashMap<>();
    for (String name : ATTACKS) {
      scenarios.put(name, 2);
    }
    for (String name : LOOKALIKES) {
      scenarios.put(name, 2);
    }
    PipelineRun.simulate(bootstrap, PipelineRun.fleet(6, Duration.ofMinutes(10), scenarios, 17));
    Path rule =
        Path.of(
            getClass().getResource("/sigma/proc_access_win_lsass_credential_dumping.yml").toURI());

    PipelineRun.detectBounded(
        JobConfig.defaults(bootstrap)
            .withCheckpointInterval(Duration.ofSeconds(1))
            .withSigmaRules(SigmaRules.read(List.of(rule))));

    List<AlertRecord> alerts = PipelineRun.alerts(bootstrap, Topics.ALERTS);
    Map<String, String> ruleOfAlert = new HashMap<>();
    for (AlertRecord alert : alerts) {
      ruleOfAlert.put(alert.uid(), alert.ruleId());
    }
    GroundTruthJoin.Result result = GroundTruthJoin.join(PipelineRun.truths(bootstrap), alerts);
    Set<String> seen = new HashSet<>();
    for (GroundTruthJoin.Instance instance : result.instances()) {
      seen.add(instance.scenario());
      if (instance.attack()) {
        assertThat(instance.alertUids())
            .as("alerts of %s", instance.scenarioId())
            .extracting(ruleOfAlert::get)
            .contains(LSASS_RULE);
      } else {
        assertThat(instance.alertUids())
            .as("alerts of look-alike %s", instance.scenarioId())
            .extracting(ruleOfAlert::get)
            .isEmpty();
      }
    }
    assertThat(seen).containsAll(ATTACKS).containsAll(LOOKALIKES);
    assertThat(result.unexplainedAlerts())
        .extracting(AlertRecord::ruleId)
        .as("alerts no attack explains")
        .doesNotContain(LSASS_RULE);
    assertThat(OcsfFeedCheck.assertEveryAlertIsValidOcsf(bootstrap, Topics.ALERTS)).isPositive();
  }
}
