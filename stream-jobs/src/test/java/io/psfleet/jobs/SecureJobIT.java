package io.psfleet.jobs;

import static io.psfleet.jobs.DetectionWorkflowTest.CMD;
import static io.psfleet.jobs.DetectionWorkflowTest.EXPLORER;
import static io.psfleet.jobs.DetectionWorkflowTest.WINLOGON;
import static io.psfleet.jobs.DetectionWorkflowTest.WORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.DetectionWorkflowTest.Host;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.kafka.security.KafkaUser;
import io.psfleet.kafka.security.Role;
import io.psfleet.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a broker that authenticates and authorises: with the job principal's client properties
 * ({@code --kafka-config}) its real Kafka source and exactly-once sink read the telemetry an agent
 * wrote and publish an alert the SOC principal reads.
 */
class SecureJobIT {
  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA =
      new EmbeddedKafkaExtension(EmbeddedKafka.Config.defaults().secured());

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final String GROUP = "psfleet-detection";

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void theJobReadsAsTheJobPrincipalAndTheSocReadsItsAlert() throws Exception {
    EmbeddedKafka kafka = KAFKA.kafka();
    kafka.createTopics(TopicSetup.projectTopics());
    KafkaUser agent = kafka.provision(Role.AGENT, "unused");
    KafkaUser job = kafka.provision(Role.JOB, GROUP);
    KafkaUser soc = kafka.provision(Role.SOC, "soc");

    Host host = new Host("host-secure");
    Map<String, Object> producer = settings(kafka, agent);
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> agentProducer = new KafkaProducer<>(producer)) {
      for (byte[] value :
          List.of(
              host.encode(host.create(1, EXPLORER, WINLOGON)),
              host.encode(host.create(2, WORD, EXPLORER)),
              host.encode(host.create(3, CMD, WORD)))) {
        agentProducer
            .send(
                new ProducerRecord<>(
                    Topics.TELEMETRY, 0, host.hostId.getBytes(StandardCharsets.UTF_8), value))
            .get();
      }
    }

    Path jobProperties = kafka.writeClientProperties(job, dir.resolve("job.properties"));
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {
              "--bootstrap",
              kafka.bootstrapServers(),
              "--kafka-config",
              jobProperties.toString(),
              "--parallelism",
              "2",
              "--checkpoint-interval",
              "1s",
              "--transaction-timeout",
              "1m",
              "--checkpoint-dir",
              Files.createTempDirectory(dir, "cp").toUri().toString()
            });
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FleetDetectionJob.defineOnKafka(env, config);
    JobClient running = env.executeAsync("secure job");
    try {
      Map<String, Object> consumer = settings(kafka, soc);
      consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "soc");
      consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      List<String> rules = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> socConsumer =
          new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        socConsumer.subscribe(List.of(Topics.ALERTS));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (rules.isEmpty() && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : socConsumer.poll(Duration.ofMillis(500))) {
            rules.add(OcsfDetectionFinding.read(r.value()).ruleId());
          }
        }
      }
      assertThat(rules).as("alerts the SOC read").contains("psfleet-004");
    } finally {
      running.cancel().get();
    }
  }

  private static Map<String, Object> settings(EmbeddedKafka kafka, KafkaUser user) {
    Map<String, Object> s = new HashMap<>(kafka.clientSettings(user.name(), user.password()));
    s.put("bootstrap.servers", kafka.bootstrapServers());
    return s;
  }
}
