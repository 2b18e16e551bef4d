package io.psfleet.sigma;

import static io.psfleet.sigma.TestRules.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTest {
  private static String rule(String id, String logsource, String detection) {
    return "title: R "
        + id
        + "\nid: "
        + id
        + "\nlogsource:\n"
        + logsource.indent(4)
        + "detection:\n"
        + detection.indent(4);
  }

  @Test
  void sysmonEventIdsMapToKindsInOnePlace() {
    assertThat(EventKind.ofSysmonEventId(1)).isEqualTo(EventKind.PROCESS_CREATION);
    assertThat(EventKind.ofSysmonEventId(5)).isEqualTo(EventKind.PROCESS_TERMINATION);
    assertThat(EventKind.ofSysmonEventId(6)).isEqualTo(EventKind.DRIVER_LOAD);
    assertThat(EventKind.ofSysmonEventId(7)).isEqualTo(EventKind.IMAGE_LOAD);
    assertThat(EventKind.ofSysmonEventId(8)).isEqualTo(EventKind.CREATE_REMOTE_THREAD);
    assertThat(EventKind.ofSysmonEventId(10)).isEqualTo(EventKind.PROCESS_ACCESS);
    assertThat(EventKind.ofSysmonEventId(3)).isNull();
    assertThat(EventKind.ofSysmonEventId(-1)).isNull();
    for (EventKind k : EventKind.values()) {
      assertThat(EventKind.ofCategory(k.category())).isEqualTo(k);
      assertThat(EventKind.ofSysmonEventId(k.sysmonEventId())).isEqualTo(k);
    }
  }

  @Test
  void categoryRulesRunOnlyForTheirKind() {
    String yaml =
        rule(
                "img",
                "product: windows\ncategory: image_load",
                "sel:\n    ImageLoaded|endswith: '\\evil.dll'\ncondition: sel")
            + "---\n"
            + rule(
                "proc",
                "product: windows\ncategory: process_creation",
                "sel:\n    Image|endswith: '\\evil.dll'\ncondition: sel");
    SigmaRuleSet set = SigmaLoader.loadText("r.yml", yaml).ruleSet();
    RuleTester t = new RuleTester(set);
    Map<String, String> ev = fields("Image", "c:\\evil.dll", "ImageLoaded", "c:\\evil.dll");
    assertThat(t.fire(EventKind.IMAGE_LOAD, 7, ev)).containsExactly("img");
    assertThat(t.fire(EventKind.PROCESS_CREATION, 1, ev)).containsExactly("proc");
    assertThat(t.fire(EventKind.DRIVER_LOAD, 6, ev)).isEmpty();
    assertThat(t.fire(3, ev)).isEmpty();
  }

  @Test
  void everyRoutedCategoryLoads() {
    StringBuilder yaml = new StringBuilder();
    for (EventKind k : EventKind.values()) {
      yaml.append(
              rule(
                  k.name(),
                  "product: windows\ncategory: " + k.category(),
                  "sel:\n    X: y\ncondition: sel"))
          .append("---\n");
    }
    LoadResult r = SigmaLoader.loadText("all.yml", yaml.toString());
    assertThat(r.report().loaded()).hasSize(EventKind.values().length);
    for (EventKind k : EventKind.values()) {
      assertThat(r.ruleSet().rulesFor(k)).extracting(SigmaRule::id).containsExactly(k.name());
      assertThat(r.report().loadedByKind()).containsEntry(k, 1);
    }
  }

  @Test
  void sysmonServiceRulesRouteByTheirEventIdSelections() {
    String yaml =
        rule(
                "s1",
                "product: windows\nservice: sysmon",
                "sel:\n    EventID: 1\n    Image|endswith: '\\x.exe'\ncondition: sel")
            + "---\n"
            + rule(
                "s7_10",
                "product: windows\nservice: sysmon",
                "sel:\n    EventID:\n        - 7\n        - 10\ncondition: sel")
            + "---\n"
            + rule(
                "s3", "product: windows\nservice: sysmon", "sel:\n    EventID: 3\ncondition: sel")
            + "---\n"
            + rule(
                "none", "product: windows\nservice: sysmon", "sel:\n    Image: x\ncondition: sel");
    LoadResult r = SigmaLoader.loadText("sysmon.yml", yaml);
    SigmaRuleSet set = r.ruleSet();
    assertThat(set.rule("s1").kinds()).containsExactly(EventKind.PROCESS_CREATION);
    assertThat(set.rule("s7_10").kinds())
        .containsExactlyInAnyOrder(EventKind.IMAGE_LOAD, EventKind.PROCESS_ACCESS);
    assertThat(r.report().notApplicable())
        .extracting(RuleOutcome::id)
        .containsExactly("s3", "none");
    RuleTester t = new RuleTester(set);
    // The map view exposes EventID, so the rule's own EventID: 1 holds for a process creation.
    assertThat(t.fire(EventKind.PROCESS_CREATION, 1, fields("Image", "c:\\x.exe")))
        .containsExactly("s1");
    assertThat(t.fire(EventKind.PROCESS_ACCESS, 10, fields())).containsExactly("s7_10");
    assertThat(t.fire(EventKind.IMAGE_LOAD, 7, fields())).containsExactly("s7_10");
  }

  @Test
  void nonWindowsProductsAreNotApplicable() {
    String yaml =
        rule(
            "lin",
            "product: linux\ncategory: process_creation",
            "sel:\n    Image: x\ncondition: sel");
    LoadResult r = SigmaLoader.loadText("l.yml", yaml);
    assertThat(r.report().notApplicable()).extracting(RuleOutcome::id).containsExactly("lin");
    assertThat(r.report().byLogsource()).containsEntry("linux/process_creation/-", 1);
  }
}
