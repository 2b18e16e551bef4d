package io.psfleet.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.cli.Psfleet;
import io.psfleet.jobs.io.RulesTopic;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.kafka.TopicReader;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rules push} against a real broker with no detection job: the set is published as a version
 * the job's reader decodes, and the command says, after its timeout, that nobody took it. A push
 * into a running job is {@code RulePushIT} in stream-jobs.
 */
class RulesPushCommandIT {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  static final String RULE =
      """
      title: Whoami
      id: 11111111-1111-1111-1111-111111111111
      logsource:
        product: windows
        category: process_creation
      detection:
        selection:
          Image|endswith: '\\\\whoami.exe'
        condition: selection
      """;

  @Test
  void aPushThatNoJobAcknowledgesIsOnTheTopicAndSaysSoAfterItsTimeout(@TempDir Path dir)
      throws Exception {
    TopicSetup.ensureTopics(KAFKA.bootstrapServers(), Duration.ofSeconds(30));
    Path rule = Files.writeString(dir.resolve("whoami.yml"), RULE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit =
        Psfleet.commandLine(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(
                "rules",
                "push",
                "--bootstrap",
                KAFKA.bootstrapServers(),
                "--timeout",
                "2s",
                rule.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 rules (0 correlation rules)");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("version 1 is on psfleet.rules, but no detection job acknowledged it within 2s");
    List<ConsumerRecord<byte[], byte[]>> records =
        TopicReader.readAll(KAFKA.bootstrapServers(), Topics.RULES);
    assertThat(records).hasSize(1);
    RuleSetVersion pushed = RulesTopic.decode(records.get(0).offset(), records.get(0).value());
    assertThat(pushed.version()).isEqualTo(1);
    assertThat(pushed.unreadable()).isNull();
    assertThat(pushed.files()).singleElement().satisfies(f -> assertThat(f.yaml()).isEqualTo(RULE));
  }
}
