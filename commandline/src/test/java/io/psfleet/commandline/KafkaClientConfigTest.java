package io.psfleet.commandline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {
  @TempDir Path dir;

  @Test
  void readsAClientPropertiesFile() throws Exception {
    Path file = dir.resolve("soc.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n# a comment\n"
            + "ssl.truststore.location=/run/truststore.p12 \n");

    KafkaClientConfig config = KafkaClientConfig.read(file);

    assertThat(config.source()).isEqualTo(file);
    assertThat(config.clientSettings())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/run/truststore.p12")
        .hasSize(3);
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> KafkaClientConfig.read(dir.resolve("nope.properties")))
        .hasMessageContaining("nope.properties")
        .hasMessageContaining("no such file");
  }

  @Test
  void aKeyPsfleetSetsItselfIsRefusedByName() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "bootstrap.servers=elsewhere:9092\n");

    assertThatThrownBy(() -> KafkaClientConfig.read(file))
        .hasMessageContaining("bootstrap.servers")
        .hasMessageContaining("--bootstrap");
  }
}
