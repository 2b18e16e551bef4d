package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code bench --observe-topic} and {@code --match} refuse what cannot work, before connecting. */
class LoadBenchMatchOptionsTest {
  private static String refusal(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Psfleet.commandLine(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args);
    String message = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(message).isEqualTo(2);
    return message;
  }

  @Test
  void anOutputTopicNeedsAMatch() {
    assertThat(refusal("bench", "--bootstrap", "127.0.0.1:9", "--observe-topic", "out"))
        .contains("--observe-topic out needs --match");
  }

  @Test
  void aMatchNeedsAnOutputTopic() {
    assertThat(refusal("bench", "--bootstrap", "127.0.0.1:9", "--match", "key"))
        .contains("--match key needs --observe-topic");
  }

  @Test
  void anOutputTopicNeedsYourKafka() {
    assertThat(refusal("bench", "--observe-topic", "out", "--match", "key"))
        .contains("--observe-topic needs --bootstrap");
  }

  @Test
  void aFieldCannotBeFoundInAvroRecords() {
    assertThat(
            refusal(
                "bench",
                "--bootstrap",
                "127.0.0.1:9",
                "--observe-topic",
                "out",
                "--match",
                "ProcessGuid"))
        .contains("--format avro is binary: use --match key");
  }

  @Test
  void aSampleRateOutOfRangeIsRefused() {
    assertThat(
            refusal(
                "bench",
                "--bootstrap",
                "127.0.0.1:9",
                "--observe-topic",
                "out",
                "--match",
                "key",
                "--match-sample",
                "0"))
        .contains("--match-sample");
  }
}
