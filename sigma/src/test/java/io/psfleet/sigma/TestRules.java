package io.psfleet.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds one-rule sets from a detection snippet and fires them on field maps. */
final class TestRules {
  static final String ID = "00000000-0000-0000-0000-000000000001";

  private TestRules() {}

  /** A process_creation rule with the given detection body (lines indented by four spaces). */
  static String ruleYaml(String detection) {
    return "title: Test rule\n"
        + "id: "
        + ID
        + "\n"
        + "status: test\n"
        + "level: high\n"
        + "logsource:\n"
        + "    product: windows\n"
        + "    category: process_creation\n"
        + "detection:\n"
        + detection.stripTrailing().indent(4);
  }

  /** Loads the rule and fails (with the report) unless it loaded. */
  static SigmaRuleSet compile(String detection) {
    LoadResult r = SigmaLoader.loadText("test.yml", ruleYaml(detection));
    assertThat(r.report().rejected()).as(r.report().format()).isEmpty();
    assertThat(r.ruleSet().size()).isEqualTo(1);
    return r.ruleSet();
  }

  /** The reason a rule with this detection is rejected (fails if it loads). */
  static RuleOutcome rejection(String detection) {
    LoadResult r = SigmaLoader.loadText("test.yml", ruleYaml(detection));
    assertThat(r.report().rejected()).as("expected a rejection").hasSize(1);
    return r.report().rejected().get(0);
  }

  static boolean fires(SigmaRuleSet rules, Map<String, String> fields) {
    List<String> ids = new RuleTester(rules).fire(EventKind.PROCESS_CREATION, 1, fields);
    return ids.contains(ID);
  }

  static boolean fires(String detection, String... fieldValuePairs) {
    return fires(compile(detection), fields(fieldValuePairs));
  }

  static Map<String, String> fields(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
