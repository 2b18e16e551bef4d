package io.psfleet.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaLifecycleTest {
  @Test
  void restartKeepsPortAndDataAndCloseDeletesTheDirectory() {
    Path directory;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      directory = kafka.directory();
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopics(2, "durable");
      Records.produce(bootstrap, "durable", 100, Map.of());

      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      kafka.restart();

      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(Records.consume(bootstrap, "durable", 100, Map.of())).hasSize(100);
      assertThat(directory).isDirectory();
    }
    assertThat(Files.exists(directory)).isFalse();
  }

  @Test
  void portInUseFailsTheStartAndLeavesNoDirectory() throws IOException {
    Level kafkaLevel = LogManager.getLogger("kafka").getLevel();
    // The broker logs the failed bind with stack traces: expected here, so not shown.
    Configurator.setLevel("kafka", Level.OFF);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Set<Path> before = kafkaTempDirectories();

      assertThatThrownBy(
              () ->
                  EmbeddedKafka.start(
                      EmbeddedKafka.Config.defaults().withPort(taken.getLocalPort())))
          .isInstanceOf(RuntimeException.class)
          .hasStackTraceContaining("Address already in use");

      assertThat(kafkaTempDirectories()).isEqualTo(before);
    } finally {
      Configurator.setLevel("kafka", kafkaLevel);
    }
  }

  @Test
  void badConfigIsRejectedWithTheValue() {
    assertThatThrownBy(() -> EmbeddedKafka.Config.defaults().withPort(70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
  }

  private static Set<Path> kafkaTempDirectories() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("psfleet-kafka-"))
          .collect(Collectors.toSet());
    }
  }
}
