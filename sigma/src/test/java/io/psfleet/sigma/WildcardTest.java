package io.psfleet.sigma;

import static io.psfleet.sigma.TestRules.compile;
import static io.psfleet.sigma.TestRules.fields;
import static io.psfleet.sigma.TestRules.fires;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WildcardTest {
  @Test
  void plainValueMatchesWholeValueCaseInsensitively() {
    String d = "sel:\n    Image: 'C:\\Windows\\System32\\cmd.exe'\ncondition: sel";
    assertThat(fires(d, "Image", "c:\\windows\\system32\\CMD.EXE")).isTrue();
    assertThat(fires(d, "Image", "C:\\Windows\\System32\\cmd.exe.bak")).isFalse();
    assertThat(fires(d, "Other", "C:\\Windows\\System32\\cmd.exe")).isFalse();
  }

  @Test
  void starMatchesAnyRunIncludingEmpty() {
    String d = "sel:\n    CommandLine: 'net * user'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "net  user")).isTrue();
    assertThat(fires(d, "CommandLine", "NET localgroup admins USER")).isTrue();
    assertThat(fires(d, "CommandLine", "net user")).isFalse();
  }

  @Test
  void questionMarkMatchesExactlyOneCharacter() {
    String d = "sel:\n    Image: 'prog?.exe'\ncondition: sel";
    assertThat(fires(d, "Image", "progA.exe")).isTrue();
    assertThat(fires(d, "Image", "prog.exe")).isFalse();
    assertThat(fires(d, "Image", "progAB.exe")).isFalse();
  }

  @Test
  void escapedStarAndQuestionMarkArePlainCharacters() {
    String d = "sel:\n    CommandLine: 'a\\*b\\?c'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "a*b?c")).isTrue();
    assertThat(fires(d, "CommandLine", "axxbyc")).isFalse();
  }

  @Test
  void singleBackslashNotBeforeWildcardIsPlain() {
    String d = "sel:\n    Image|endswith: '\\cmd.exe'\ncondition: sel";
    assertThat(fires(d, "Image", "C:\\x\\cmd.exe")).isTrue();
  }

  @Test
  void doubleBackslashIsOneBackslash() {
    String d = "sel:\n    Image: 'C:\\\\Windows\\\\x.exe'\ncondition: sel";
    assertThat(fires(d, "Image", "C:\\Windows\\x.exe")).isTrue();
  }

  @Test
  void escapedBackslashBeforeStarKeepsTheWildcard() {
    String d = "sel:\n    Image: 'C:\\Temp\\\\*'\ncondition: sel";
    assertThat(fires(d, "Image", "C:\\Temp\\anything.exe")).isTrue();
    assertThat(fires(d, "Image", "C:\\Temp")).isFalse();
  }

  @Test
  void threeBackslashesBeforeStarAreBackslashAndPlainStar() {
    String d = "sel:\n    Image: 'C:\\Temp\\\\\\*'\ncondition: sel";
    assertThat(fires(d, "Image", "C:\\Temp\\*")).isTrue();
    assertThat(fires(d, "Image", "C:\\Temp\\x")).isFalse();
  }

  @Test
  void fourBackslashesAreTwoBackslashes() {
    String d = "sel:\n    Image: '\\\\\\\\server'\ncondition: sel";
    assertThat(fires(d, "Image", "\\\\server")).isTrue();
    assertThat(fires(d, "Image", "\\server")).isFalse();
  }

  @Test
  void valueListIsOr() {
    SigmaRuleSet r =
        compile(
            "sel:\n    Image|endswith:\n        - '\\a.exe'\n        - '\\b.exe'\ncondition: sel");
    assertThat(fires(r, fields("Image", "c:\\b.exe"))).isTrue();
    assertThat(fires(r, fields("Image", "c:\\c.exe"))).isFalse();
  }

  @Test
  void mapIsAndListOfMapsIsOrOfAnds() {
    SigmaRuleSet r =
        compile(
            "sel:\n    - Image|endswith: '\\a.exe'\n      CommandLine|contains: x\n"
                + "    - Image|endswith: '\\b.exe'\ncondition: sel");
    assertThat(fires(r, fields("Image", "c:\\a.exe", "CommandLine", "-x-"))).isTrue();
    assertThat(fires(r, fields("Image", "c:\\a.exe", "CommandLine", "-y-"))).isFalse();
    assertThat(fires(r, fields("Image", "c:\\b.exe"))).isTrue();
  }

  @Test
  void numberMatchesDecimalText() {
    String d = "sel:\n    EventID: 1\n    IntegrityLevel: 'High'\ncondition: sel";
    assertThat(fires(d, "IntegrityLevel", "high")).isTrue();
    assertThat(fires(d, "EventID", "01", "IntegrityLevel", "high")).isTrue();
    assertThat(fires(d, "EventID", "4", "IntegrityLevel", "high")).isFalse();
  }

  @Test
  void severalStarsMatchSegmentsInOrder() {
    String d = "sel:\n    CommandLine: 'a*b*c'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "abc")).isTrue();
    assertThat(fires(d, "CommandLine", "axxbxxc")).isTrue();
    assertThat(fires(d, "CommandLine", "acb")).isFalse();
    assertThat(fires(d, "CommandLine", "abcx")).isFalse();
    assertThat(fires(d, "CommandLine", "ab")).isFalse();
    String overlap = "sel:\n    CommandLine: 'ab*ba'\ncondition: sel";
    assertThat(fires(overlap, "CommandLine", "aba")).isFalse();
    assertThat(fires(overlap, "CommandLine", "abba")).isTrue();
    String ends = "sel:\n    CommandLine|endswith: 'password*.txt'\ncondition: sel";
    assertThat(fires(ends, "CommandLine", "notepad C:\\passwords-2024.TXT")).isTrue();
    assertThat(fires(ends, "CommandLine", "notepad C:\\passwords-2024.txt.bak")).isFalse();
  }

  @Test
  void starsAndQuestionMarksTogether() {
    String d = "sel:\n    CommandLine: '*a?c*d'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "xxabcyyd")).isTrue();
    assertThat(fires(d, "CommandLine", "xxacyyd")).isFalse();
  }
}
