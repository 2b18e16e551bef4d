package io.psfleet.sigma.compile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegexLiteralsTest {
  @Test
  void longestTopLevelRunIsRequired() {
    assertThat(RegexLiterals.required("ipconfig\\s+/all")).isEqualTo("ipconfig");
    assertThat(RegexLiterals.required("(?i)Invoke-\\w+Expression")).isEqualTo("expression");
    assertThat(RegexLiterals.required("\"(?:\\{\\d\\})+\"\\s*-f")).isEqualTo("-f");
  }

  @Test
  void optionalCharactersAreDropped() {
    assertThat(RegexLiterals.required("abcd?")).isEqualTo("abc");
    assertThat(RegexLiterals.required("abc*def")).isEqualTo("def");
    assertThat(RegexLiterals.required("abc{0,2}de")).isEqualTo("ab");
    assertThat(RegexLiterals.required("ab+c")).isEqualTo("ab");
    assertThat(RegexLiterals.required("\\.exe?x")).isEqualTo(".ex");
  }

  @Test
  void alternationClassesAndGroupsGiveNoLiteralFromInside() {
    assertThat(RegexLiterals.required("abc|def")).isNull();
    assertThat(RegexLiterals.required("(abc|def)")).isNull();
    assertThat(RegexLiterals.required("[abc]+")).isNull();
    assertThat(RegexLiterals.required("x(abcdef)?yz")).isEqualTo("yz");
    assertThat(RegexLiterals.required("\\x41bcd")).isNull();
    assertThat(RegexLiterals.required("\\n\\n")).isNull();
  }
}
