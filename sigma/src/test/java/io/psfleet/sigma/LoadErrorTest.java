package io.psfleet.sigma;

import static io.psfleet.sigma.TestRules.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadErrorTest {
  @Test
  void malformedYamlIsRejectedWithItsLine() {
    LoadResult r =
        SigmaLoader.loadText("bad.yml", "title: x\ndetection:\n  sel: [a, b\n  condition: sel\n");
    assertThat(r.report().rejected()).hasSize(1);
    RuleOutcome o = r.report().rejected().get(0);
    assertThat(o.source()).isEqualTo("bad.yml");
    assertThat(o.line()).isGreaterThan(0);
    assertThat(o.detail()).startsWith("malformed YAML");
  }

  @Test
  void unknownModifierIsRejectedNamingIt() {
    RuleOutcome o = rejection("sel:\n    Image|endswitch: x\ncondition: sel");
    assertThat(o.detail()).contains("unknown modifier 'endswitch'");
    assertThat(o.id()).isEqualTo(TestRules.ID);
    assertThat(o.title()).isEqualTo("Test rule");
    assertThat(o.line()).isEqualTo(10);
  }

  @Test
  void invalidRegexIsRejected() {
    assertThat(rejection("sel:\n    CommandLine|re: 'a(b'\ncondition: sel").detail())
        .contains("invalid regular expression");
  }

  @Test
  void regexFeaturesRe2CannotRunAreRejected() {
    assertThat(rejection("sel:\n    CommandLine|re: '(?=x)y'\ncondition: sel").detail())
        .contains("invalid regular expression");
  }

  @Test
  void unknownConditionIdentifierIsRejected() {
    assertThat(rejection("sel:\n    Image: x\ncondition: sel and filter").detail())
        .contains("unknown search identifier 'filter'");
  }

  @Test
  void patternMatchingNothingIsRejected() {
    assertThat(rejection("sel:\n    Image: x\ncondition: sel and not 1 of filter_*").detail())
        .contains("matches no search identifier");
  }

  @Test
  void conditionSyntaxErrorsAreRejected() {
    assertThat(rejection("sel:\n    Image: x\ncondition: sel and").detail())
        .contains("unexpected end");
    assertThat(rejection("sel:\n    Image: x\ncondition: (sel").detail()).contains("missing ')'");
    assertThat(rejection("sel:\n    Image: x\ncondition: sel | count() > 5").detail())
        .contains("aggregation");
    assertThat(rejection("sel:\n    Image: x\ncondition: 2 of sel").detail())
        .contains("not supported");
  }

  @Test
  void invalidModifierCombinationsAreRejected() {
    assertThat(rejection("sel:\n    Image|i: x\ncondition: sel").detail())
        .contains("only valid after |re");
    assertThat(rejection("sel:\n    Image|contains|all: x\ncondition: sel").detail())
        .contains("|all needs");
    assertThat(rejection("sel:\n    Image|base64: 'a*b'\ncondition: sel").detail())
        .contains("wildcards");
    assertThat(rejection("sel:\n    Image|exists: maybe\ncondition: sel").detail())
        .contains("true or false");
    assertThat(rejection("sel:\n    Count|gt: many\ncondition: sel").detail())
        .contains("needs a number");
    assertThat(rejection("sel:\n    Ip|cidr: 10.0.0.0/40\ncondition: sel").detail())
        .contains("CIDR");
    assertThat(rejection("sel:\n    Image|expand: '%Servers%'\ncondition: sel").detail())
        .contains("placeholders");
    assertThat(rejection("sel:\n    Image|hour: 3\ncondition: sel").detail())
        .contains("time modifier");
  }

  @Test
  void nullInAValueListIsRejected() {
    assertThat(rejection("sel:\n    Image:\n        - ''\n        - null\ncondition: sel").detail())
        .contains("null cannot be part of a value list");
  }

  @Test
  void missingConditionIsRejected() {
    assertThat(rejection("sel:\n    Image: x").detail()).contains("no condition");
  }

  @Test
  void unknownLevelIsRejected() {
    String yaml =
        TestRules.ruleYaml("sel:\n    Image: x\ncondition: sel")
            .replace("level: high", "level: severe");
    assertThat(SigmaLoader.loadText("t.yml", yaml).report().rejected().get(0).detail())
        .contains("unknown level");
  }

  @Test
  void nonSigmaYamlIsRejected() {
    LoadResult r = SigmaLoader.loadText("pom.yml", "name: my-app\nversion: 3\n");
    assertThat(r.report().rejected())
        .singleElement()
        .satisfies(o -> assertThat(o.detail()).contains("not a Sigma rule"));
    LoadResult list = SigmaLoader.loadText("list.yml", "- a\n- b\n");
    assertThat(list.report().rejected())
        .singleElement()
        .satisfies(o -> assertThat(o.detail()).contains("not a Sigma rule"));
    LoadResult empty = SigmaLoader.loadText("empty.yml", "");
    assertThat(empty.report().rejected())
        .singleElement()
        .satisfies(o -> assertThat(o.detail()).contains("no YAML document"));
  }

  @Test
  void duplicateIdIsRejected() {
    String rule = TestRules.ruleYaml("sel:\n    Image: x\ncondition: sel");
    LoadResult r = SigmaLoader.loadText("two.yml", rule + "---\n" + rule);
    assertThat(r.report().loaded()).hasSize(1);
    assertThat(r.report().rejected())
        .singleElement()
        .satisfies(o -> assertThat(o.detail()).contains("duplicate rule id"));
  }

  @Test
  void filterDocumentsAreCountedAsUnsupportedAndCorrelationsLoad() {
    String yaml =
        TestRules.ruleYaml("sel:\n    Image: x\ncondition: sel")
            + "---\ntitle: Many\nid: c0000000-0000-0000-0000-000000000000\ncorrelation:\n  type: event_count\n  rules: [00000000-0000-0000-0000-000000000001]\n  group-by: [User]\n  timespan: 1h\n  condition:\n    gte: 10\n"
            + "---\ntitle: Filter\nfilter:\n  rules: [x]\n  selection:\n    User: admin\n  condition: not selection\nlogsource:\n  product: windows\n";
    LoadResult r = SigmaLoader.loadText("multi.yml", yaml);
    assertThat(r.report().loaded()).hasSize(2);
    assertThat(r.report().rejected()).isEmpty();
    assertThat(r.report().correlations())
        .singleElement()
        .extracting(RuleOutcome::id)
        .isEqualTo("c0000000-0000-0000-0000-000000000000");
    assertThat(r.report().unsupported())
        .extracting(RuleOutcome::detail)
        .containsExactly("filter rules are not supported yet");
  }

  @Test
  void otherLogsourcesAreNotApplicable() {
    String yaml =
        TestRules.ruleYaml("sel:\n    Image: x\ncondition: sel")
            .replace("category: process_creation", "category: network_connection");
    LoadResult r = SigmaLoader.loadText("net.yml", yaml);
    assertThat(r.report().notApplicable())
        .singleElement()
        .satisfies(o -> assertThat(o.detail()).contains("windows/network_connection/-"));
    assertThat(r.ruleSet().size()).isZero();
  }

  @Test
  void foldersAreReadRecursivelyAndBadFilesDoNotStopTheLoad(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(
        dir.resolve("a/b/good.yml"), TestRules.ruleYaml("sel:\n    Image: x\ncondition: sel"));
    Files.writeString(dir.resolve("a/broken.yml"), "title: [\n");
    Files.writeString(dir.resolve("a/notes.txt"), "ignored");
    Files.write(dir.resolve("a/latin1.yaml"), new byte[] {'t', ':', ' ', (byte) 0xE9});
    LoadResult r = SigmaLoader.load(dir, dir.resolve("missing.yml"));
    assertThat(r.report().loaded()).hasSize(1);
    assertThat(r.report().rejected())
        .extracting(RuleOutcome::detail)
        .anySatisfy(d -> assertThat(d).startsWith("malformed YAML"))
        .anySatisfy(d -> assertThat(d).isEqualTo("not UTF-8 text"))
        .anySatisfy(d -> assertThat(d).isEqualTo("no such file or folder"));
    assertThat(r.report().fileCount()).isEqualTo(3);
    assertThat(r.report().format()).contains("1 rules loaded, 3 rejected");
  }

  @Test
  void checkReportsEveryFileWithItsOutcomes(@TempDir Path dir) throws IOException {
    String good = TestRules.ruleYaml("sel:\n    Image: x\ncondition: sel");
    Files.writeString(dir.resolve("a.yml"), good);
    Files.writeString(
        dir.resolve("b.yml"),
        TestRules.ruleYaml("sel:\n    Image|nope: x\ncondition: sel")
            .replace(TestRules.ID, "00000000-0000-0000-0000-000000000002"));
    LoadReport report = SigmaLoader.check(java.util.List.of(dir));
    assertThat(report.byFile()).hasSize(2);
    assertThat(report.byFile().get(dir.resolve("a.yml").toString()))
        .extracting(RuleOutcome::status)
        .containsExactly(RuleOutcome.Status.LOADED);
    assertThat(report.byFile().get(dir.resolve("b.yml").toString()))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.status()).isEqualTo(RuleOutcome.Status.REJECTED);
              assertThat(o.describe())
                  .contains("b.yml:10: [00000000-0000-0000-0000-000000000002] Test rule: ");
            });
    assertThat(report.loadedByKind()).containsEntry(EventKind.PROCESS_CREATION, 1);
    assertThat(report.byLogsource()).containsEntry("windows/process_creation/-", 2);
  }

  @Test
  void absurdlyNestedConditionIsRejectedNotACrash() {
    String deep = "(".repeat(5000) + "sel" + ")".repeat(5000);
    assertThat(rejection("sel:\n    Image: x\ncondition: '" + deep + "'").detail())
        .contains("nested deeper");
    String nots = "not ".repeat(5000) + "sel";
    assertThat(rejection("sel:\n    Image: x\ncondition: " + nots).detail())
        .contains("nested deeper");
  }
}
