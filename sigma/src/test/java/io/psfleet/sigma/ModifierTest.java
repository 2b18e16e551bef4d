package io.psfleet.sigma;

import static io.psfleet.sigma.TestRules.compile;
import static io.psfleet.sigma.TestRules.fields;
import static io.psfleet.sigma.TestRules.fires;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ModifierTest {
  @Test
  void containsMatchesAnywhere() {
    String d = "sel:\n    CommandLine|contains: 'DownloadString'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "iex (new-object net.webclient).downloadstring('x')"))
        .isTrue();
    assertThat(fires(d, "CommandLine", "Download String")).isFalse();
  }

  @Test
  void startswithAndEndswithAnchorOneSide() {
    assertThat(
            fires(
                "sel:\n    Image|startswith: 'C:\\Temp\\'\ncondition: sel",
                "Image",
                "c:\\temp\\a.exe"))
        .isTrue();
    assertThat(
            fires(
                "sel:\n    Image|startswith: 'C:\\Temp\\'\ncondition: sel",
                "Image",
                "d:\\c:\\temp\\a.exe"))
        .isFalse();
    assertThat(fires("sel:\n    Image|endswith: '.exe'\ncondition: sel", "Image", "a.EXE"))
        .isTrue();
    assertThat(fires("sel:\n    Image|endswith: '.exe'\ncondition: sel", "Image", "a.exe.txt"))
        .isFalse();
  }

  @Test
  void containsKeepsInnerWildcards() {
    String d = "sel:\n    CommandLine|contains: 'net*user'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "cmd /c NET localgroup USER x")).isTrue();
  }

  @Test
  void allRequiresEveryValue() {
    SigmaRuleSet r =
        compile(
            "sel:\n    CommandLine|contains|all:\n        - ' -a '\n        - ' -b '\ncondition: sel");
    assertThat(fires(r, fields("CommandLine", "x -b  -a y"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "x -a y"))).isFalse();
  }

  @Test
  void windashMatchesEveryDashVariantOfFlags() {
    SigmaRuleSet r =
        compile("sel:\n    CommandLine|windash|contains: ' -exec bypass'\ncondition: sel");
    assertThat(fires(r, fields("CommandLine", "powershell -exec bypass"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "powershell /exec bypass"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "powershell \u2013exec bypass"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "powershell \u2014exec bypass"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "powershell \u2015exec bypass"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "powershell +exec bypass"))).isFalse();
  }

  @Test
  void windashLeavesDashesInsideWordsAlone() {
    SigmaRuleSet r = compile("sel:\n    CommandLine|windash|contains: 'x-y'\ncondition: sel");
    assertThat(fires(r, fields("CommandLine", "x-y"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "x/y"))).isFalse();
  }

  @Test
  void reSearchesCaseSensitivelyByDefault() {
    String d = "sel:\n    CommandLine|re: 'ab+c'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "xxabbbcxx")).isTrue();
    assertThat(fires(d, "CommandLine", "xxABBCxx")).isFalse();
  }

  @Test
  void reSubModifierIIgnoresCase() {
    assertThat(fires("sel:\n    CommandLine|re|i: 'ab+c'\ncondition: sel", "CommandLine", "ABBC"))
        .isTrue();
  }

  @Test
  void reSubModifierMAnchorsAtLines() {
    String d = "sel:\n    CommandLine|re|m: '^second$'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "first\nsecond\nthird")).isTrue();
    assertThat(
            fires(
                "sel:\n    CommandLine|re: '^second$'\ncondition: sel",
                "CommandLine",
                "first\nsecond\nthird"))
        .isFalse();
  }

  @Test
  void reSubModifierSLetsDotMatchNewline() {
    assertThat(fires("sel:\n    CommandLine|re|s: 'a.b'\ncondition: sel", "CommandLine", "a\nb"))
        .isTrue();
    assertThat(fires("sel:\n    CommandLine|re: 'a.b'\ncondition: sel", "CommandLine", "a\nb"))
        .isFalse();
  }

  @Test
  void base64MatchesTheEncodedValue() {
    String enc = b64("secret");
    String d = "sel:\n    CommandLine|base64: 'secret'\ncondition: sel";
    assertThat(fires(d, "CommandLine", enc)).isTrue();
    assertThat(
            fires(
                "sel:\n    CommandLine|base64|contains: 'secret'\ncondition: sel",
                "CommandLine",
                "-enc " + enc + " x"))
        .isTrue();
  }

  @Test
  void base64offsetFindsTheValueAtAnyOffset() {
    SigmaRuleSet r =
        compile("sel:\n    CommandLine|base64offset|contains: 'http://'\ncondition: sel");
    for (String prefix : new String[] {"", "a", "ab", "abc", "abcd"}) {
      assertThat(fires(r, fields("CommandLine", "-e " + b64(prefix + "http://evil.example/x"))))
          .as("prefix '%s'", prefix)
          .isTrue();
    }
    assertThat(fires(r, fields("CommandLine", "-e " + b64("https://evil.example/x")))).isFalse();
  }

  @Test
  void wideBase64offsetFindsUtf16leEncodedText() {
    SigmaRuleSet r =
        compile("sel:\n    CommandLine|wide|base64offset|contains: 'ping'\ncondition: sel");
    for (String prefix : new String[] {"", "a", "ab"}) {
      byte[] utf16 = (prefix + "cmd /c ping 1.2.3.4").getBytes(StandardCharsets.UTF_16LE);
      assertThat(
              fires(
                  r,
                  fields(
                      "CommandLine",
                      "powershell -enc " + Base64.getEncoder().encodeToString(utf16))))
          .as("prefix '%s'", prefix)
          .isTrue();
    }
  }

  @Test
  void wideAndUtf16VariantsEncodeTheValue() {
    assertThat(fires("sel:\n    Data|wide|contains: 'cmd'\ncondition: sel", "Data", "xc\0m\0d\0y"))
        .isTrue();
    assertThat(fires("sel:\n    Data|utf16le|contains: 'cmd'\ncondition: sel", "Data", "c\0m\0d\0"))
        .isTrue();
    assertThat(fires("sel:\n    Data|utf16be|contains: 'cmd'\ncondition: sel", "Data", "\0c\0m\0d"))
        .isTrue();
    assertThat(
            fires(
                "sel:\n    Data|utf16|startswith: 'cmd'\ncondition: sel",
                "Data",
                "\u00ff\u00fec\0m\0d\0"))
        .isTrue();
    assertThat(fires("sel:\n    Data|utf16be|contains: 'cmd'\ncondition: sel", "Data", "cmd"))
        .isFalse();
  }

  @Test
  void casedMatchesCaseSensitively() {
    String d = "sel:\n    CommandLine|cased|contains: 'Invoke-Mimikatz'\ncondition: sel";
    assertThat(fires(d, "CommandLine", "x Invoke-Mimikatz y")).isTrue();
    assertThat(fires(d, "CommandLine", "x invoke-mimikatz y")).isFalse();
  }

  @Test
  void existsTestsPresenceOnly() {
    assertThat(fires("sel:\n    Hashes|exists: true\ncondition: sel", "Hashes", "")).isTrue();
    assertThat(fires("sel:\n    Hashes|exists: true\ncondition: sel", "Image", "x")).isFalse();
    assertThat(fires("sel:\n    Hashes|exists: false\ncondition: sel", "Image", "x")).isTrue();
  }

  @Test
  void fieldrefComparesWithAnotherField() {
    String d = "sel:\n    ParentImage|fieldref: Image\ncondition: sel";
    assertThat(fires(d, "Image", "C:\\a.exe", "ParentImage", "c:\\A.EXE")).isTrue();
    assertThat(fires(d, "Image", "C:\\a.exe", "ParentImage", "c:\\b.exe")).isFalse();
    assertThat(fires(d, "ParentImage", "c:\\b.exe")).isFalse();
    assertThat(
            fires(
                "sel:\n    CommandLine|fieldref|contains: Image\ncondition: sel",
                "Image",
                "a.exe",
                "CommandLine",
                "run a.exe now"))
        .isTrue();
  }

  @Test
  void fieldrefWithNeqMatchesDifferentValues() {
    String d = "sel:\n    ParentImage|fieldref|neq: Image\ncondition: sel";
    assertThat(fires(d, "Image", "a", "ParentImage", "b")).isTrue();
    assertThat(fires(d, "Image", "a", "ParentImage", "A")).isFalse();
  }

  @Test
  void cidrMatchesAddressesInTheNetwork() {
    SigmaRuleSet r =
        compile(
            "sel:\n    DestinationIp|cidr:\n        - '10.0.0.0/8'\n        - 'fe80::/10'\ncondition: sel");
    assertThat(fires(r, fields("DestinationIp", "10.20.30.40"))).isTrue();
    assertThat(fires(r, fields("DestinationIp", "11.0.0.1"))).isFalse();
    assertThat(fires(r, fields("DestinationIp", "fe80::1"))).isTrue();
    assertThat(fires(r, fields("DestinationIp", "2001:db8::1"))).isFalse();
    assertThat(fires(r, fields("DestinationIp", "not an ip"))).isFalse();
  }

  @Test
  void numericComparisons() {
    assertThat(fires("sel:\n    Count|gt: 10\ncondition: sel", "Count", "11")).isTrue();
    assertThat(fires("sel:\n    Count|gt: 10\ncondition: sel", "Count", "10")).isFalse();
    assertThat(fires("sel:\n    Count|gte: 10\ncondition: sel", "Count", "10")).isTrue();
    assertThat(fires("sel:\n    Count|lt: 10\ncondition: sel", "Count", "9")).isTrue();
    assertThat(fires("sel:\n    Count|lte: 10\ncondition: sel", "Count", "11")).isFalse();
    assertThat(fires("sel:\n    Count|lt: 10\ncondition: sel", "Count", "abc")).isFalse();
  }

  @Test
  void neqMatchesOtherValuesAndAbsentFields() {
    String d = "sel:\n    IntegrityLevel|neq:\n        - High\n        - System\ncondition: sel";
    assertThat(fires(d, "IntegrityLevel", "Medium")).isTrue();
    assertThat(fires(d, "IntegrityLevel", "high")).isFalse();
    assertThat(fires(d, "IntegrityLevel", "System")).isFalse();
    assertThat(fires(d, "Image", "x")).isTrue();
  }

  @Test
  void nullMatchesAbsentOrEmptyField() {
    String d = "sel:\n    Image: x\nfilter:\n    ParentImage: null\ncondition: sel and filter";
    assertThat(fires(d, "Image", "x")).isTrue();
    assertThat(fires(d, "Image", "x", "ParentImage", "")).isTrue();
    assertThat(fires(d, "Image", "x", "ParentImage", "y")).isFalse();
  }

  @Test
  void emptyStringMatchesOnlyAPresentEmptyField() {
    String d = "sel:\n    ParentImage: ''\ncondition: sel";
    assertThat(fires(d, "ParentImage", "")).isTrue();
    assertThat(fires(d, "Image", "x")).isFalse();
  }

  @Test
  void keywordListMatchesAnyFieldValueContainingAKeyword() {
    SigmaRuleSet r =
        compile("keywords:\n    - 'event::clear'\n    - 'event::drop'\ncondition: keywords");
    assertThat(fires(r, fields("CommandLine", "mimikatz EVENT::Drop exit"))).isTrue();
    assertThat(fires(r, fields("Image", "x", "ParentCommandLine", "event::clear"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "event::list"))).isFalse();
  }

  @Test
  void keywordAllNeedsEveryKeywordSomewhere() {
    SigmaRuleSet r =
        compile(
            "keywords:\n    '|all':\n        - 'OabVirtualDirectory'\n        - ' -ExternalUrl '\ncondition: keywords");
    assertThat(fires(r, fields("CommandLine", "Set-OabVirtualDirectory -ExternalUrl x"))).isTrue();
    assertThat(fires(r, fields("A", "OabVirtualDirectory", "B", "y -externalurl z"))).isTrue();
    assertThat(fires(r, fields("CommandLine", "Set-OabVirtualDirectory"))).isFalse();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
