package io.psfleet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.kafka.security.Role;
import io.psfleet.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** simulate against a broker that authenticates and authorises, as an agent should reach it. */
class SecureSimulateTest {
  private static EmbeddedKafka kafka;

  @TempDir static Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(EmbeddedKafka.Config.defaults().secured());
    kafka.createTopics(TopicSetup.projectTopics());
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private int simulate(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "simulate",
                "--hosts",
                "3",
                "--duration",
                "2m",
                "--speedup",
                "0",
                "--quiet",
                "--bootstrap",
                kafka.bootstrapServers()));
    args.addAll(List.of(more));
    return PsfleetApp.run(
        args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static long telemetryRecords() {
    Map<String, Object> settings = new HashMap<>(kafka.adminSettings());
    settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.TELEMETRY).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Test
  void anAgentsClientPropertiesLetSimulatePublish() {
    Path agent =
        kafka.writeClientProperties(
            kafka.provision(Role.AGENT, "unused"), dir.resolve("agent.properties"));
    long before = telemetryRecords();

    int exit = simulate("--kafka-config", agent.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(telemetryRecords() - before).isPositive();
  }

  @Test
  void theSocsPropertiesCannotWriteTelemetry() {
    Path soc =
        kafka.writeClientProperties(
            kafka.provision(Role.SOC, "soc"), dir.resolve("soc.properties"));

    int exit = simulate("--kafka-config", soc.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString() + err.toString()).containsIgnoringCase("authoriz");
  }
}
