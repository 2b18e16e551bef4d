package io.psfleet.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetadataTest {
  @Test
  void rulesExposeWhatAlertsNeed() {
    String yaml =
        "title: Suspicious Encoded PowerShell\n"
            + "id: 11111111-2222-3333-4444-555555555555\n"
            + "status: stable\n"
            + "description: Detects encoded commands\n"
            + "references:\n    - https://example.org/a\n"
            + "author: Someone\n"
            + "tags:\n    - attack.execution\n    - attack.t1059.001\n    - attack.defense_evasion\n"
            + "    - attack.T1027\n    - attack.g0016\n    - car.2014-04-003\n"
            + "logsource:\n    product: windows\n    category: process_creation\n"
            + "detection:\n    sel:\n        CommandLine|contains: ' -enc '\n    condition: sel\n"
            + "fields:\n    - CommandLine\n"
            + "falsepositives:\n    - Admin scripts\n"
            + "level: critical\n";
    SigmaRule r = SigmaLoader.loadText("rules/x.yml", yaml).ruleSet().rules().get(0);
    assertThat(r.id()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(r.title()).isEqualTo("Suspicious Encoded PowerShell");
    assertThat(r.level()).isEqualTo(Level.CRITICAL);
    assertThat(r.severityId()).isEqualTo(5);
    assertThat(r.techniques()).containsExactly("T1059.001", "T1027");
    assertThat(r.tactics()).containsExactly("execution", "defense-evasion");
    assertThat(r.references()).containsExactly("https://example.org/a");
    assertThat(r.falsepositives()).containsExactly("Admin scripts");
    assertThat(r.fields()).containsExactly("CommandLine");
    assertThat(r.source()).isEqualTo("rules/x.yml");
    assertThat(r.line()).isEqualTo(1);
    assertThat(r.status()).isEqualTo("stable");
    assertThat(r.category()).isEqualTo("process_creation");
  }

  @Test
  void levelsMapToOcsfSeverities() {
    assertThat(Level.parse("informational").severityId()).isEqualTo(1);
    assertThat(Level.parse("low").severityId()).isEqualTo(2);
    assertThat(Level.parse("medium").severityId()).isEqualTo(3);
    assertThat(Level.parse("high").severityId()).isEqualTo(4);
    assertThat(Level.parse("critical").severityId()).isEqualTo(5);
    assertThat(Level.parse(null)).isEqualTo(Level.UNKNOWN);
    assertThat(Level.parse("severe")).isNull();
  }
}
