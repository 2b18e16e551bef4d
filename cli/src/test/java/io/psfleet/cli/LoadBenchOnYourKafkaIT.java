package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.KafkaClientConfig;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.kafka.security.Role;
import io.psfleet.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --bootstrap} against a broker it did not start (an embedded one the test starts as a
 * stand-in for yours) with a plain Kafka consumer in its own group as "your pipeline": a consumer
 * that reads at most about 600 records/s keeps up with a 300/s step and falls behind a 3,000/s one,
 * and the report says so from that group's lag.
 */
class LoadBenchOnYourKafkaIT {
  static final String GROUP = "your-pipeline";

  @Test
  void lagOfYourConsumerGroupFindsTheSaturatedStep(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong consumed = new AtomicLong();
      AtomicLong winlogbeat = new AtomicLong();
      Thread consumer =
          new Thread(
              () -> consume(bootstrap, Map.of(), running, consumed, winlogbeat), "your-pipeline");
      consumer.start();
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      int exit;
      try {
        PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
        exit =
            Commands.execute(
                new LoadBenchCommand(print),
                new String[] {
                  "--bootstrap", bootstrap,
                  "--observe-group", GROUP,
                  "--format", "ecs",
                  "--rates", "1000,6000",
                  "--step-seconds", "8",
                  "--hosts", "200",
                  "--out", dir.toString()
                },
                print,
                System.err);
      } finally {
        running.set(false);
        consumer.join(10_000);
      }

      String printed = console.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(printed).isZero();
      JsonNode report = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
      JsonNode steps = report.path("steps");
      assertThat(steps.size()).as(printed).isEqualTo(2);
      JsonNode first = steps.get(0);
      JsonNode second = steps.get(1);
      assertThat(first.path("saturated").isNull()).as(printed).isTrue();
      assertThat(first.path("lagStart").asLong()).isNotNegative();
      assertThat(second.path("achieved").asDouble()).as(printed).isGreaterThan(0.8 * 6000);
      assertThat(second.path("lagEnd").asLong())
          .as(printed)
          .isGreaterThan(second.path("lagStart").asLong() + 2 * 6000);
      assertThat(report.path("firstSaturation").asText())
          .isEqualTo("consumer group " + GROUP + ": consumer lag grows");
      assertThat(report.path("highestUnsaturatedEventsPerSecond").asDouble()).isPositive();
      assertThat(report.path("configuration").path("format").asText()).isEqualTo("ecs");
      assertThat(printed).contains("observing group " + GROUP);
      // What the consumer read is Winlogbeat's JSON, not psfleet's Avro.
      assertThat(consumed.get()).isPositive();
      assertThat(winlogbeat.get()).isEqualTo(consumed.get());
    }
  }

  /**
   * On a broker that authenticates and authorises, {@code --kafka-config} connects the benchmark
   * (here as the admin, who may read the group's offsets) while your pipeline reads as its own
   * principal with its own group.
   */
  @Test
  void onASecureClusterTheKafkaConfigConnectsEveryClient(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Config.defaults().secured())) {
      String bootstrap = kafka.bootstrapServers();
      Path admin = kafka.writeClientProperties(kafka.admin(), dir.resolve("admin.properties"));
      Path pipeline =
          kafka.writeClientProperties(
              kafka.provision(Role.JOB, GROUP), dir.resolve("pipeline.properties"));
      TopicSetup.ensureTopics(
          bootstrap,
          KafkaClientConfig.read(admin).clientSettings(),
          Duration.ofSeconds(30),
          TopicSetup.projectTopics());
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong consumed = new AtomicLong();
      AtomicLong winlogbeat = new AtomicLong();
      Map<String, Object> security = KafkaClientConfig.read(pipeline).clientSettings();
      Thread consumer =
          new Thread(
              () -> consume(bootstrap, security, running, consumed, winlogbeat), "your-pipeline");
      consumer.start();
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      int exit;
      try {
        PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
        exit =
            Commands.execute(
                new LoadBenchCommand(print),
                new String[] {
                  "--bootstrap",
                  bootstrap,
                  "--kafka-config",
                  admin.toString(),
                  "--observe-group",
                  GROUP,
                  "--format",
                  "ocsf",
                  "--rates",
                  "1000",
                  "--step-seconds",
                  "6",
                  "--hosts",
                  "200",
                  "--out",
                  dir.resolve("report").toString()
                },
                print,
                System.err);
      } finally {
        running.set(false);
        consumer.join(10_000);
      }

      String printed = console.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(printed).isZero();
      JsonNode report =
          new ObjectMapper().readTree(dir.resolve("report").resolve("bench.json").toFile());
      JsonNode step = report.path("steps").get(0);
      assertThat(step.path("achieved").asDouble()).as(printed).isPositive();
      assertThat(step.path("lagEnd").asLong()).as(printed).isNotNegative();
      assertThat(report.path("deliveryFailures").isMissingNode()).as(printed).isTrue();
      assertThat(consumed.get()).as("records your pipeline read").isPositive();
    }
  }

  /**
   * A slow pipeline: at most 100 records per poll and a pause after each (at most about 2,000
   * records/s), committing as it goes.
   */
  private static void consume(
      String bootstrap,
      Map<String, Object> security,
      AtomicBoolean running,
      AtomicLong consumed,
      AtomicLong winlogbeat) {
    Map<String, Object> settings = new HashMap<>(security);
    settings.put("bootstrap.servers", bootstrap);
    settings.put("group.id", GROUP);
    settings.put("auto.offset.reset", "earliest");
    settings.put("enable.auto.commit", "true");
    settings.put("auto.commit.interval.ms", "500");
    settings.put("max.poll.records", "100");
    settings.put("key.deserializer", StringDeserializer.class.getName());
    settings.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings)) {
      c.subscribe(List.of(Topics.TELEMETRY));
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
          consumed.incrementAndGet();
          if (new String(r.value(), StandardCharsets.UTF_8).contains("\"winlog\":{")) {
            winlogbeat.incrementAndGet();
          }
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
