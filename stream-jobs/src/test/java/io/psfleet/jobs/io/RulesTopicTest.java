package io.psfleet.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.jobs.sigma.RuleSetAck;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaRuleText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules topic's and the acknowledgements topic's records, as the job and the pusher see them.
 */
class RulesTopicTest {
  static final List<SigmaRuleText> FILES =
      List.of(
          new SigmaRuleText("a.yml", "title: A\n"), new SigmaRuleText("b/c.yml", "title: C ü\n"));

  @Test
  void aPushedSetReadsBackWithItsFilesAndTheVersionOfItsOffset() {
    byte[] value = RulesTopic.encode(FILES, Instant.parse("2026-12-02T03:00:00Z"));

    RuleSetVersion read = RulesTopic.decode(41, value);

    assertThat(read.version()).isEqualTo(42);
    assertThat(read.unreadable()).isNull();
    assertThat(read.files()).containsExactlyElementsOf(FILES);
  }

  @Test
  void aLargeSetIsGzippedToAFractionOfItsText() {
    String rule = "title: Rule\ndetection:\n  selection:\n    Image|endswith: '\\\\x.exe'\n";
    List<SigmaRuleText> many =
        java.util.stream.IntStream.range(0, 2_000)
            .mapToObj(i -> new SigmaRuleText("r" + i + ".yml", rule.replace("Rule", "Rule " + i)))
            .toList();

    byte[] value = RulesTopic.encode(many, Instant.EPOCH);

    assertThat(value.length).isLessThan(2_000 * rule.length() / 5);
    assertThat(RulesTopic.decode(0, value).files()).hasSize(2_000);
  }

  @Test
  void aRecordThatHoldsNoRuleSetIsARefusedVersionSayingWhy() {
    assertThat(RulesTopic.decode(0, "not json".getBytes(StandardCharsets.UTF_8)).unreadable())
        .startsWith("not JSON");
    assertThat(RulesTopic.decode(0, "{}".getBytes(StandardCharsets.UTF_8)).unreadable())
        .contains("no \"files\" array");
    assertThat(RulesTopic.decode(0, null).unreadable()).contains("tombstone");
    assertThat(
            RulesTopic.decode(0, "{\"format\": 9, \"files\": []}".getBytes(StandardCharsets.UTF_8))
                .unreadable())
        .contains("upgrade the job");
  }

  @Test
  void anAcknowledgementReadsBackAsWritten() throws IOException {
    RuleSetAck ack =
        new RuleSetAck(3, "job-1", 1, 2, 30, 2, new String[] {"a.yml:3: [x] X: bad"}, null);

    RuleSetAck read = RulesTopic.decodeAck(RulesTopic.encodeAck(ack));

    assertThat(read).usingRecursiveComparison().isEqualTo(ack);
    assertThat(read.taken()).isTrue();
    assertThatThrownBy(() -> RulesTopic.decodeAck("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }
}
