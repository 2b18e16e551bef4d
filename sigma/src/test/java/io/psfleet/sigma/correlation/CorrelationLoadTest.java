package io.psfleet.sigma.correlation;

import static io.psfleet.sigma.correlation.CorrelationRules.BASE;
import static io.psfleet.sigma.correlation.CorrelationRules.CREATE_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.LOAD_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.THREAD_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.correlation;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.sigma.LoadResult;
import io.psfleet.sigma.RuleOutcome;
import io.psfleet.sigma.SigmaLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Correlation documents: what loads, what each bad one is rejected for, and generate. */
class CorrelationLoadTest {
  static final String C1 = "cc000000-0000-4000-8000-000000000001";
  static final String C2 = "cc000000-0000-4000-8000-000000000002";

  static LoadResult load(String... docs) {
    return SigmaLoader.loadText("corr.yml", BASE + "---\n" + String.join("---\n", docs));
  }

  static RuleOutcome rejection(String... docs) {
    LoadResult r = load(docs);
    assertThat(r.report().rejected()).as(r.report().format()).hasSize(1);
    RuleOutcome o = r.report().rejected().get(0);
    assertThat(o.source()).isEqualTo("corr.yml");
    return o;
  }

  @Test
  void everyTypeOfTheSpecificationLoadsWithItsMeaning() {
    LoadResult r =
        load(
            correlation(
                C1,
                "type: temporal_ordered\nrules: [remote_thread, unsigned_load]\n"
                    + "group-by: [Computer, target]\ntimespan: 30s\n"
                    + "aliases:\n  target:\n    remote_thread: TargetProcessGuid\n"
                    + "    unsigned_load: ProcessGuid\n"),
            correlation(
                C2,
                "type: value_count\nrules: ["
                    + LOAD_ID
                    + "]\ngroup-by: [Hashes]\n"
                    + "timespan: 15m\ncondition:\n  field: Computer\n  gte: 5\n"),
            correlation(
                "cc000000-0000-4000-8000-000000000003",
                "type: event_count\nrules: [process_created]\ngroup-by: [ComputerName, User]\n"
                    + "timespan: 1h\ncondition:\n  gt: 100\n  lte: 200\n"),
            correlation(
                "cc000000-0000-4000-8000-000000000004",
                "type: temporal\nrules: [process_created, unsigned_load]\ngroup-by: [User]\n"
                    + "timespan: 5m\n"),
            correlation(
                "cc000000-0000-4000-8000-000000000005",
                "type: value_sum\nrules: [process_created]\ngroup-by: [User]\n"
                    + "timespan: 1d\ncondition:\n  field: TerminalSessionId\n  gt: 10\n"),
            correlation(
                "cc000000-0000-4000-8000-000000000006",
                "type: value_avg\nrules: [process_created]\ngroup-by: [User]\n"
                    + "timespan: 2h\ncondition:\n  field: TerminalSessionId\n  gte: 2.5\n"));
    assertThat(r.report().rejected()).as(r.report().format()).isEmpty();
    CorrelationSet set = r.ruleSet().correlations();
    assertThat(set.rules()).hasSize(6);

    CorrelationRule injection = set.rule(C1);
    assertThat(injection.type()).isEqualTo(CorrelationType.TEMPORAL_ORDERED);
    assertThat(injection.timespanNanos()).isEqualTo(30_000_000_000L);
    assertThat(injection.hostScoped()).isTrue();
    assertThat(injection.condition().test(2)).isTrue();
    assertThat(injection.condition().test(1)).isFalse();
    assertThat(injection.members())
        .extracting(CorrelationRule.Member::key)
        .containsExactly(THREAD_ID, LOAD_ID);
    assertThat(injection.members().get(0).groupFields())
        .containsExactly("Computer", "TargetProcessGuid");
    assertThat(injection.members().get(1).groupFields()).containsExactly("Computer", "ProcessGuid");
    assertThat(injection.techniques()).containsExactly("T1055.001");

    CorrelationRule campaign = set.rule(C2);
    assertThat(campaign.hostScoped()).isFalse();
    assertThat(campaign.members().get(0).valueFields()).containsExactly("Computer");
    assertThat(campaign.condition().test(5)).isTrue();
    assertThat(campaign.condition().test(4)).isFalse();

    CorrelationRule range = set.rule("cc000000-0000-4000-8000-000000000003");
    assertThat(range.hostScoped()).isTrue();
    assertThat(range.condition().test(150)).isTrue();
    assertThat(range.condition().test(201)).isFalse();
    assertThat(set.rule("cc000000-0000-4000-8000-000000000004").condition().test(2)).isTrue();
    assertThat(r.report().correlations())
        .extracting(RuleOutcome::status)
        .containsOnly(RuleOutcome.Status.LOADED);
    assertThat(r.report().format())
        .contains("correlation                 6 (0 rejected)")
        .contains(
            "temporal_ordered of 2 rules in 30s by Computer, target (per host): all rules in order")
        .contains("value_count of 1 rule in 15m by Hashes (fleet-wide): distinct Computer gte 5");
  }

  @Test
  void referencedRulesAlertOnlyWhenACorrelationSaysGenerate() {
    LoadResult r =
        load(
            correlation(
                C1,
                "type: temporal\nrules: [remote_thread, unsigned_load]\n"
                    + "group-by: [Computer]\ntimespan: 30s\n"),
            correlation(
                C2,
                "injection_wave",
                "generate: true\n",
                "type: event_count\nrules: ["
                    + LOAD_ID
                    + "]\ngroup-by: [Computer]\n"
                    + "timespan: 1h\ncondition:\n  gte: 3\n"));
    assertThat(r.report().rejected()).as(r.report().format()).isEmpty();
    assertThat(r.ruleSet().alertsAlone(r.ruleSet().rule(THREAD_ID))).isFalse();
    assertThat(r.ruleSet().alertsAlone(r.ruleSet().rule(LOAD_ID))).isTrue();
    assertThat(r.ruleSet().alertsAlone(r.ruleSet().rule(CREATE_ID))).isTrue();
    assertThat(r.ruleSet().correlations().alertsAlone(C1)).isTrue();
  }

  @Test
  void aCorrelationOnACorrelationIsChainedAndSilencesIt() {
    LoadResult r =
        load(
            correlation(
                C1,
                "many_creates",
                "",
                "type: event_count\nrules: [process_created]\ngroup-by: [User, Computer]\n"
                    + "timespan: 10m\ncondition:\n  gte: 10\n"),
            correlation(
                C2,
                "type: temporal_ordered\nrules: [many_creates, unsigned_load]\n"
                    + "group-by: [User]\ntimespan: 10m\n"));
    assertThat(r.report().rejected()).as(r.report().format()).isEmpty();
    CorrelationSet set = r.ruleSet().correlations();
    assertThat(set.feedsOf(C1))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.correlation().key()).isEqualTo(C2);
              assertThat(f.member()).isZero();
              assertThat(f.groupFields()).containsExactly("User");
            });
    assertThat(set.alertsAlone(C1)).isFalse();
    assertThat(set.rule(C1).hostScoped()).isTrue();
    assertThat(set.rule(C2).hostScoped()).isFalse();
  }

  @Test
  void rulesInOtherFilesAreFoundByIdAndName(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("a_correlation.yml"),
        correlation(
            C1,
            "type: temporal\nrules: [remote_thread, "
                + LOAD_ID
                + "]\n"
                + "group-by: [Computer]\ntimespan: 30s\n"));
    Files.writeString(dir.resolve("b_base.yml"), BASE);
    LoadResult r = SigmaLoader.load(dir);
    assertThat(r.report().rejected()).as(r.report().format()).isEmpty();
    assertThat(r.ruleSet().correlations().rule(C1).members()).hasSize(2);
  }

  @Test
  void anUnknownRuleIsALoadErrorNamingFileAndRule() {
    RuleOutcome o =
        rejection(
            correlation(
                C1,
                "type: event_count\nrules: [no_such_rule]\ngroup-by: [User]\ntimespan: 1h\n"
                    + "condition:\n  gte: 2\n"));
    assertThat(o.id()).isEqualTo(C1);
    assertThat(o.describe()).startsWith("corr.yml:").contains("[" + C1 + "]");
    assertThat(o.detail()).isEqualTo("refers to unknown rule 'no_such_rule'");
  }

  @Test
  void aRuleThatDidNotLoadIsNamedAsSuch() {
    String network =
        """
        title: Network
        id: aaaa0000-0000-4000-8000-000000000001
        logsource:
          product: windows
          category: network_connection
        detection:
          selection:
            DestinationPort: 4444
          condition: selection
        """;
    LoadResult r =
        load(
            network,
            correlation(
                C1,
                "type: event_count\nrules: [aaaa0000-0000-4000-8000-000000000001]\n"
                    + "group-by: [User]\ntimespan: 1h\ncondition:\n  gte: 2\n"));
    assertThat(r.report().rejected())
        .singleElement()
        .extracting(RuleOutcome::detail)
        .asString()
        .contains("which is not loaded");
  }

  @Test
  void aCycleIsRejectedForEveryRuleInIt() {
    LoadResult r =
        load(
            correlation(
                C1,
                "a",
                "",
                "type: event_count\nrules: [b]\ngroup-by: [User]\ntimespan: 1h\n"
                    + "condition:\n  gte: 2\n"),
            correlation(
                C2,
                "b",
                "",
                "type: event_count\nrules: [a]\ngroup-by: [User]\ntimespan: 1h\n"
                    + "condition:\n  gte: 2\n"));
    assertThat(r.report().rejected())
        .hasSize(2)
        .allSatisfy(o -> assertThat(o.detail()).contains("cycle"));
    assertThat(r.ruleSet().correlations().isEmpty()).isTrue();
    // Nothing refers to the base rules any more: they alert.
    assertThat(r.ruleSet().alertsAlone(r.ruleSet().rule(LOAD_ID))).isTrue();
  }

  @Test
  void badTimespansAreRejected() {
    for (String bad : List.of("1w", "0s", "10", "m", "1.5h", "10 m")) {
      RuleOutcome o =
          rejection(
              correlation(
                  C1,
                  "type: event_count\nrules: [process_created]\ngroup-by: [User]\n"
                      + "timespan: '"
                      + bad
                      + "'\ncondition:\n  gte: 2\n"));
      assertThat(o.detail()).as(bad).startsWith("bad timespan '" + bad + "'");
    }
  }

  @Test
  void unknownAndUnsupportedTypesAreRejected() {
    assertThat(
            rejection(
                    correlation(
                        C1,
                        "type: sometimes\nrules: [process_created]\n"
                            + "group-by: [User]\ntimespan: 1h\n"))
                .detail())
        .startsWith("unknown correlation type 'sometimes'");
    assertThat(
            rejection(
                    correlation(
                        C1,
                        "type: value_percentile\nrules: [process_created]\n"
                            + "group-by: [User]\ntimespan: 1h\ncondition:\n  field: Image\n  lte: 1\n"))
                .detail())
        .startsWith("correlation type 'value_percentile' is not supported");
  }

  @Test
  void missingOrMeaninglessConditionsAreRejected() {
    String counting =
        "type: event_count\nrules: [process_created]\ngroup-by: [User]\n" + "timespan: 1h\n";
    assertThat(rejection(correlation(C1, counting)).detail())
        .isEqualTo("event_count needs a condition (gt, gte, lt, lte, eq, neq)");
    assertThat(rejection(correlation(C1, counting + "condition:\n  lt: 5\n")).detail())
        .contains("holds for a single event");
    assertThat(rejection(correlation(C1, counting + "condition:\n  most: 5\n")).detail())
        .isEqualTo("unknown condition operator 'most'");
    assertThat(rejection(correlation(C1, counting + "condition:\n  gte: many\n")).detail())
        .isEqualTo("condition gte must be a number");
    assertThat(
            rejection(
                    correlation(
                        C1,
                        "type: value_count\nrules: [process_created]\n"
                            + "group-by: [User]\ntimespan: 1h\ncondition:\n  gte: 5\n"))
                .detail())
        .isEqualTo("value_count needs the condition's field");
    assertThat(
            rejection(
                    correlation(
                        C1,
                        "type: temporal_ordered\nrules: [process_created,"
                            + " unsigned_load]\ngroup-by: [User]\ntimespan: 1h\ncondition:\n  gte: 1\n"))
                .detail())
        .startsWith("temporal_ordered takes no condition");
  }

  @Test
  void missingKeysAreRejected() {
    assertThat(
            rejection(
                    correlation(
                        C1, "rules: [process_created]\ngroup-by: [User]\n" + "timespan: 1h\n"))
                .detail())
        .isEqualTo("correlation has no type");
    assertThat(
            rejection(correlation(C1, "type: temporal\ngroup-by: [User]\ntimespan: 1h\n")).detail())
        .isEqualTo("correlation has no rules");
    assertThat(
            rejection(
                    correlation(
                        C1, "type: temporal\nrules: [process_created]\n" + "group-by: [User]\n"))
                .detail())
        .isEqualTo("correlation has no timespan");
    assertThat(
            rejection(
                    correlation(
                        C1, "type: temporal\nrules: [process_created]\n" + "timespan: 1h\n"))
                .detail())
        .startsWith("correlation has no group-by");
  }

  @Test
  void aliasesMustNameTheReferencedRulesAndCoverEachOfThem() {
    assertThat(
            rejection(
                    correlation(
                        C1,
                        "type: temporal\nrules: [remote_thread, unsigned_load]\n"
                            + "group-by: [target]\ntimespan: 30s\naliases:\n  target:\n"
                            + "    remote_thread: TargetProcessGuid\n"))
                .detail())
        .isEqualTo("alias 'target' gives no field for rule 'unsigned_load'");
    assertThat(
            rejection(
                    correlation(
                        C1,
                        "type: temporal\nrules: [remote_thread, unsigned_load]\n"
                            + "group-by: [target]\ntimespan: 30s\naliases:\n  target:\n"
                            + "    remote_thread: TargetProcessGuid\n    unsigned_load: ProcessGuid\n"
                            + "    process_created: ProcessGuid\n"))
                .detail())
        .contains("names rule 'process_created', which the correlation does not refer to");
  }

  @Test
  void aChainedCorrelationMayGroupOnlyByWhatItsMatchesCarry() {
    RuleOutcome o =
        rejection(
            correlation(
                C1,
                "many_creates",
                "",
                "type: event_count\nrules: [process_created]\ngroup-by: [User]\n"
                    + "timespan: 10m\ncondition:\n  gte: 10\n"),
            correlation(
                C2,
                "type: temporal_ordered\nrules: [many_creates, unsigned_load]\n"
                    + "group-by: [Image]\ntimespan: 10m\n"));
    assertThat(o.id()).isEqualTo(C2);
    assertThat(o.detail())
        .isEqualTo(
            "'Image' is not a group-by field of correlation 'many_creates', whose matches carry"
                + " only [User]");
  }

  @Test
  void aCorrelationOnARejectedOneIsRejectedToo() {
    LoadResult r =
        load(
            correlation(
                C1,
                "broken",
                "",
                "type: event_count\nrules: [process_created]\ngroup-by: [User]\n"
                    + "timespan: 10x\ncondition:\n  gte: 10\n"),
            correlation(
                C2,
                "type: event_count\nrules: [broken]\ngroup-by: [User]\n"
                    + "timespan: 10m\ncondition:\n  gte: 2\n"));
    assertThat(r.report().rejected())
        .extracting(RuleOutcome::detail)
        .containsExactly(
            "bad timespan '10x': a positive number and s, m, h or d (90m)",
            "refers to correlation 'broken', which is rejected");
  }

  @Test
  void aDuplicateIdIsRejected() {
    RuleOutcome o =
        rejection(
            correlation(
                LOAD_ID,
                "type: event_count\nrules: [process_created]\ngroup-by: [User]\n"
                    + "timespan: 10m\ncondition:\n  gte: 10\n"));
    assertThat(o.detail()).startsWith("duplicate rule id, first loaded from corr.yml:");
  }
}
