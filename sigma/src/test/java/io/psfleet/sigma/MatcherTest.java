package io.psfleet.sigma;

import static io.psfleet.sigma.TestRules.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatcherTest {
  private static String rule(int i) {
    return "title: Generated "
        + i
        + "\nid: gen-"
        + i
        + "\nlevel: low\n"
        + "logsource:\n    product: windows\n    category: process_creation\n"
        + "detection:\n    sel:\n        CommandLine|contains|all:\n            - 'tool"
        + i
        + ".exe'\n"
        + "            - ' -flag"
        + (i % 97)
        + " '\n"
        + "        Image|endswith: '\\host"
        + (i % 13)
        + ".exe'\n"
        + "    filter:\n        User|startswith: 'NT AUTHORITY'\n"
        + "    condition: sel and not filter\n";
  }

  /** Generated rules 1 and 2. */
  private static SigmaRuleSet twoRules() {
    return SigmaLoader.loadText("r.yml", rule(1) + "---\n" + rule(2)).ruleSet();
  }

  /** An event generated rule 1 matches. */
  private static Map<String, String> firstRulesEvent() {
    return fields("Image", "c:\\host1.exe", "CommandLine", "tool1.exe -flag1 ", "User", "bob");
  }

  @Test
  void tensOfThousandsOfRulesLoadAndOnlyCandidatesAreEvaluated() {
    int n = 20_000;
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < n; i++) {
      yaml.append(rule(i)).append("---\n");
    }
    LoadResult r = SigmaLoader.loadText("many.yml", yaml.toString());
    assertThat(r.report().loaded()).hasSize(n);
    SigmaMatcher m = r.ruleSet().newMatcher();
    MapEventView view = new MapEventView(r.ruleSet().fields());
    List<String> hits = new ArrayList<>();
    Map<String, String> ev =
        fields(
            "Image", "C:\\x\\host8.exe", "CommandLine", "tool12345.exe -flag26 x", "User", "alice");
    m.match(EventKind.PROCESS_CREATION, view.reset(1, ev), rule -> hits.add(rule.id()));
    assertThat(hits).containsExactly("gen-12345");
    // Only rules whose longest literal occurs are evaluated, not all 20,000.
    assertThat(m.evaluations()).isLessThan(100);
  }

  @Test
  void costsAreCountedPerRule() {
    SigmaRuleSet set = twoRules();
    SigmaMatcher m = set.newMatcher(1);
    MapEventView view = new MapEventView(set.fields());
    for (int i = 0; i < 10; i++) {
      // A command line of its own per event: none is answered from the verdict memo.
      Map<String, String> ev =
          fields("Image", "c:\\host1.exe", "CommandLine", "tool1.exe -flag1 " + i, "User", "bob");
      m.match(EventKind.PROCESS_CREATION, view.reset(1, ev), rule -> {});
    }
    assertThat(m.verdictsRemembered()).isZero();
    List<RuleCost> top = m.topCosts(10);
    assertThat(top)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.rule().id()).isEqualTo("gen-1");
              assertThat(c.evaluations()).isEqualTo(10);
              assertThat(c.matches()).isEqualTo(10);
              assertThat(c.sampledEvaluations()).isEqualTo(10);
              assertThat(c.meanNanos()).isPositive();
            });
    m.resetCosts();
    assertThat(m.costs()).isEmpty();
  }

  @Test
  void aRepeatedEventIsAnsweredFromTheVerdictMemoWithTheSameRules() {
    SigmaRuleSet set = twoRules();
    SigmaMatcher m = set.newMatcher();
    MapEventView view = new MapEventView(set.fields());
    Map<String, String> ev = firstRulesEvent();
    for (int i = 0; i < 10; i++) {
      List<String> hits = new ArrayList<>();
      m.match(EventKind.PROCESS_CREATION, view.reset(1, ev), rule -> hits.add(rule.id()));
      assertThat(hits).as("event %d", i).containsExactly("gen-1");
    }
    assertThat(m.evaluations()).isEqualTo(1);
    assertThat(m.verdictsRemembered()).isEqualTo(9);
  }

  @Test
  void eventsAlikeInTheHashedFieldsButNotInAnotherGetTheirOwnVerdicts() {
    SigmaRuleSet set = SigmaLoader.loadText("r.yml", rule(1)).ruleSet();
    SigmaMatcher m = set.newMatcher();
    MapEventView view = new MapEventView(set.fields());
    for (int i = 0; i < 20; i++) {
      // The filter's field (User) is read by the rule but not among the memo's hashed fields.
      String user = i % 2 == 0 ? "bob" : "NT AUTHORITY\\SYSTEM";
      Map<String, String> ev =
          fields("Image", "c:\\host1.exe", "CommandLine", "tool1.exe -flag1 ", "User", user);
      int matched = m.match(EventKind.PROCESS_CREATION, view.reset(1, ev), rule -> {});
      assertThat(matched).as("event %d, user %s", i, user).isEqualTo(i % 2 == 0 ? 1 : 0);
    }
    assertThat(m.verdictsRemembered()).isEqualTo(18);
  }

  @Test
  void aFieldOnlyTestedForPresenceKeysTheMemoByPresenceAndIsNeverRead() {
    String yaml =
        "title: Hashed user-writable load\nid: hashed\nlogsource:\n    product: windows\n"
            + "    category: image_load\n"
            + "detection:\n    sel:\n        ImageLoaded|startswith: 'C:\\Users\\'\n"
            + "        Hashes|exists: true\n    condition: sel\n";
    SigmaRuleSet set = SigmaLoader.loadText("p.yml", yaml).ruleSet();
    SigmaMatcher m = set.newMatcher();
    int hashes = set.fields().id("Hashes");
    List<Integer> valuesRead = new ArrayList<>();
    MapEventView inner = new MapEventView(set.fields());
    EventView view =
        new EventView() {
          @Override
          public String field(int fieldId) {
            valuesRead.add(fieldId);
            return inner.field(fieldId);
          }

          @Override
          public boolean has(int fieldId) {
            return inner.has(fieldId);
          }
        };
    for (int i = 0; i < 12; i++) {
      // Every load has other hashes; every third has none.
      Map<String, String> ev =
          i % 3 == 2
              ? fields("ImageLoaded", "C:\\Users\\bob\\a.dll")
              : fields("ImageLoaded", "C:\\Users\\bob\\a.dll", "Hashes", "SHA256=" + i);
      inner.reset(7, ev);
      int matched = m.match(EventKind.IMAGE_LOAD, view, rule -> {});
      assertThat(matched).as("event %d", i).isEqualTo(i % 3 == 2 ? 0 : 1);
    }
    assertThat(m.verdictsRemembered())
        .as("all but the first with and without hashes")
        .isEqualTo(10);
    assertThat(valuesRead).doesNotContain(hashes);
  }

  @Test
  void keywordSearchesReadEveryValueSoTheirKindIsNotRemembered() {
    String yaml =
        "title: Keyword\nid: kw\nlogsource:\n    product: windows\n"
            + "    category: process_creation\n"
            + "detection:\n    words:\n        - 'mimikatz'\n    sel:\n"
            + "        Image|endswith: '\\cmd.exe'\n    condition: sel and words\n";
    SigmaRuleSet set = SigmaLoader.loadText("kw.yml", yaml).ruleSet();
    SigmaMatcher m = set.newMatcher();
    MapEventView view = new MapEventView(set.fields());
    for (int i = 0; i < 6; i++) {
      // Only a field no rule names differs between the events.
      String line = i % 2 == 0 ? "cmd /c mimikatz" : "cmd /c dir";
      Map<String, String> ev = fields("Image", "C:\\Windows\\cmd.exe", "CommandLine", line);
      int matched = m.match(EventKind.PROCESS_CREATION, view.reset(1, ev), rule -> {});
      assertThat(matched).as("event %d", i).isEqualTo(i % 2 == 0 ? 1 : 0);
    }
    assertThat(m.verdictsRemembered()).isZero();
  }

  @Test
  void oneRuleSetIsSharedByMatchersOnManyThreads() throws Exception {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      yaml.append(rule(i)).append("---\n");
    }
    SigmaRuleSet set = SigmaLoader.loadText("r.yml", yaml.toString()).ruleSet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  SigmaMatcher m = set.newMatcher();
                  MapEventView view = new MapEventView(set.fields());
                  int count = 0;
                  for (int i = 0; i < 2000; i++) {
                    int k = i % 200;
                    Map<String, String> ev =
                        fields(
                            "Image",
                            "c:\\host" + (k % 13) + ".exe",
                            "CommandLine",
                            "tool" + k + ".exe -flag" + (k % 97) + " ",
                            "User",
                            "u");
                    count += m.match(EventKind.PROCESS_CREATION, view.reset(1, ev), rule -> {});
                  }
                  return count;
                }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(2000);
      }
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest(name = "verdict memo {0}")
  @ValueSource(booleans = {false, true})
  void matchingAllocatesNothingPerEventAfterWarmUp(boolean rememberVerdicts) {
    // Without the memo every event is scanned and evaluated; with it, every repeat is remembered.
    SigmaRuleSet set = twoRules();
    SigmaMatcher m = set.newMatcher(64, rememberVerdicts);
    MapEventView view = new MapEventView(set.fields());
    Map<String, String> ev = firstRulesEvent();
    MatchSink sink = rule -> {};
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      m.match(EventKind.PROCESS_CREATION, view.reset(1, ev), sink);
    }
    long before = bean.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      m.match(EventKind.PROCESS_CREATION, view.reset(1, ev), sink);
    }
    long perEvent = (bean.getCurrentThreadAllocatedBytes() - before) / 100_000;
    assertThat(perEvent).isLessThan(8);
    assertThat(m.verdictsRemembered()).isEqualTo(rememberVerdicts ? 120_000 - 1 : 0);
  }

  @Test
  void ruleIsEvaluatedOnlyWhereEveryAndedSelectionHasItsLiteral() {
    SigmaRuleSet set =
        TestRules.compile(
            "a:\n    Image|endswith: '\\certutil.exe'\n"
                + "b:\n    CommandLine|contains:\n        - ' -urlcache '\n        - ' -decode '\n"
                + "c:\n    User|contains: 'svc'\n"
                + "condition: a and b or a and c");
    SigmaMatcher m = set.newMatcher();
    MapEventView view = new MapEventView(set.fields());
    m.match(
        EventKind.PROCESS_CREATION, view.reset(1, fields("Image", "c:\\certutil.exe")), r -> {});
    m.match(
        EventKind.PROCESS_CREATION, view.reset(1, fields("CommandLine", "x -decode y")), r -> {});
    assertThat(m.evaluations()).isZero();
    List<String> hits = new ArrayList<>();
    m.match(
        EventKind.PROCESS_CREATION,
        view.reset(1, fields("Image", "c:\\CertUtil.exe", "User", "svc_backup")),
        r -> hits.add(r.id()));
    assertThat(m.evaluations()).isEqualTo(1);
    assertThat(hits).containsExactly(TestRules.ID);
  }
}
