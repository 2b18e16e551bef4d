package io.psfleet.sigma;

import static io.psfleet.sigma.TestRules.compile;
import static io.psfleet.sigma.TestRules.fields;
import static io.psfleet.sigma.TestRules.fires;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConditionTest {
  private static final String SELECTIONS =
      "sel_a:\n    A: a\nsel_b:\n    B: b\nfilter_c:\n    C: c\n_hidden:\n    H: h\n";

  private static boolean fire(String condition, String... pairs) {
    return fires(compile(SELECTIONS + "condition: " + condition), fields(pairs));
  }

  @Test
  void andOrNot() {
    assertThat(fire("sel_a and sel_b", "A", "a", "B", "b")).isTrue();
    assertThat(fire("sel_a and sel_b", "A", "a")).isFalse();
    assertThat(fire("sel_a or sel_b", "B", "b")).isTrue();
    assertThat(fire("sel_a and not filter_c", "A", "a")).isTrue();
    assertThat(fire("sel_a and not filter_c", "A", "a", "C", "c")).isFalse();
  }

  @Test
  void andBindsTighterThanOr() {
    assertThat(fire("sel_a or sel_b and filter_c", "A", "a")).isTrue();
    assertThat(fire("(sel_a or sel_b) and filter_c", "A", "a")).isFalse();
  }

  @Test
  void notBindsTighterThanAnd() {
    assertThat(fire("not sel_a and sel_b", "B", "b")).isTrue();
    assertThat(fire("not (sel_a and sel_b)", "A", "a", "B", "b")).isFalse();
  }

  @Test
  void keywordsAreCaseInsensitive() {
    assertThat(fire("sel_a AND NOT filter_c", "A", "a")).isTrue();
  }

  @Test
  void oneOfPattern() {
    assertThat(fire("1 of sel_*", "B", "b")).isTrue();
    assertThat(fire("1 of sel_*", "C", "c")).isFalse();
    assertThat(fire("any of sel_*", "A", "a")).isTrue();
  }

  @Test
  void oneOfSelectionsOnOneFieldMatchesAnyOfTheirValues() {
    // The selections' lists become one list of the field (one trie for the prefixes of both).
    String rule =
        "filter_system:\n    P|startswith: ['c:\\w\\s32\\', 'c:\\w\\wow\\', 'c:\\pf\\', 'c:\\pf86\\']\n"
            + "filter_user:\n    P|startswith: ['c:\\u\\', 'c:\\pd\\', 'c:\\t\\', '\\\\\\\\']\n"
            + "filter_exact:\n    P: 'C:\\Exact'\n"
            + "condition: not 1 of filter_*";
    var compiled = compile(rule);
    assertThat(fires(compiled, fields("P", "C:\\W\\S32\\x.dll"))).isFalse();
    assertThat(fires(compiled, fields("P", "c:\\PD\\x.dll"))).isFalse();
    assertThat(fires(compiled, fields("P", "\\\\srv\\x.dll"))).isFalse();
    assertThat(fires(compiled, fields("P", "c:\\exact"))).isFalse();
    assertThat(fires(compiled, fields("P", "c:\\exact\\x.dll"))).isTrue();
    assertThat(fires(compiled, fields("P", "\\srv\\x.dll"))).isTrue();
    assertThat(fires(compiled, fields("P", "d:\\u\\x.dll"))).isTrue();
  }

  @Test
  void allOfPattern() {
    assertThat(fire("all of sel_*", "A", "a", "B", "b")).isTrue();
    assertThat(fire("all of sel_*", "A", "a")).isFalse();
    assertThat(fire("all of sel_* and not 1 of filter_*", "A", "a", "B", "b", "C", "c")).isFalse();
  }

  @Test
  void patternWildcardAnywhere() {
    assertThat(fire("1 of *_c", "C", "c")).isTrue();
  }

  @Test
  void oneOfThemSkipsUnderscoreIdentifiers() {
    assertThat(fire("1 of them", "C", "c")).isTrue();
    assertThat(fire("1 of them", "H", "h")).isFalse();
    assertThat(fire("all of them", "A", "a", "B", "b", "C", "c")).isTrue();
    assertThat(fire("1 of _hid*", "H", "h")).isTrue();
  }

  @Test
  void conditionListIsOr() {
    SigmaRuleSet r = compile(SELECTIONS + "condition:\n    - sel_a and sel_b\n    - filter_c");
    assertThat(fires(r, fields("C", "c"))).isTrue();
    assertThat(fires(r, fields("A", "a"))).isFalse();
  }
}
