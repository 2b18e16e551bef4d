package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.commandline.Commands;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * detect-test against a broker that authenticates and authorises, every client of the run (topic
 * set-up, simulator, job, recorder, telemetry scan) connecting with {@code --kafka-config}.
 */
class SecureDetectTestIT {
  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA =
      new EmbeddedKafkaExtension(EmbeddedKafka.Config.defaults().secured());

  @Test
  void aRunOnASecureClusterDetectsItsAttack(@TempDir Path dir) throws Exception {
    EmbeddedKafka kafka = KAFKA.kafka();
    Path admin = kafka.writeClientProperties(kafka.admin(), dir.resolve("admin.properties"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int exit =
        Commands.execute(
            new DetectTestCommand(new PrintStream(console, true, StandardCharsets.UTF_8)),
            new String[] {
              "--bootstrap", KAFKA.bootstrapServers(),
              "--kafka-config", admin.toString(),
              "--out", dir.resolve("report").toString(),
              "--hosts", "6",
              "--duration", "6m",
              "--speedup", "0",
              "--scenarios", "dll-injection:1",
              "--settle", "20s",
              "--checkpoint-interval", "2s"
            },
            new PrintStream(console, true, StandardCharsets.UTF_8),
            System.err);

    String output = console.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    JsonNode report =
        new ObjectMapper().readTree(dir.resolve("report").resolve("report.json").toFile());
    assertThat(report.at("/totals/injected").asInt()).isEqualTo(1);
    assertThat(report.at("/totals/detected").asInt()).isEqualTo(1);
  }
}
