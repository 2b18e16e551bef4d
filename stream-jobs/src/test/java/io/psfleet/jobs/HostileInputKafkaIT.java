package io.psfleet.jobs;

import static io.psfleet.jobs.DetectionWorkflowTest.CMD;
import static io.psfleet.jobs.DetectionWorkflowTest.EXPLORER;
import static io.psfleet.jobs.DetectionWorkflowTest.WINLOGON;
import static io.psfleet.jobs.DetectionWorkflowTest.WORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.DetectionWorkflowTest.Host;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.alert.ReadFinding;
import io.psfleet.jobs.io.FieldBounds;
import io.psfleet.jobs.io.InputBounds;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.kafka.TopicReader;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What used to put the job into a crash loop, through a real broker and the job's real Kafka source
 * and sinks: a 1 MiB value (the broker takes it, lz4-compressed) whose dead-letter copy the job's
 * producer would refuse, and a valid record whose 2 MB command line would make an alert the alert
 * sink's producer refuses. Restarts are allowed here, as in production, so a failure shows as a
 * restart instead of failing the test: the job must reach both outputs with no restart at all.
 */
class HostileInputKafkaIT {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final String TELEMETRY = "hostile.telemetry";
  static final String ALERTS = "hostile.alerts";
  static final String DEAD_LETTERS = "hostile.dlq";
  static final String RULES = "hostile.rules";
  static final String RULE_ACKS = "hostile.rules.acks";
  static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  @Timeout(180)
  void oversizedRecordsReachTheirTopicsCutToSizeAndTheJobNeverRestarts(
      @InjectMiniCluster MiniCluster flink) throws Exception {
    KAFKA.kafka().createTopics(2, TELEMETRY, ALERTS, DEAD_LETTERS);
    KAFKA.kafka().createTopics(1, RULES, RULE_ACKS);
    Host host = new Host("host-big");
    byte[] mebibyte = new byte[1024 * 1024]; // zeros: no single-object marker
    byte[] explorer = host.encode(host.create(1, EXPLORER, WINLOGON));
    byte[] word = host.encode(host.create(2, WORD, EXPLORER));
    TelemetryEvent cmd = host.create(3, CMD, WORD);
    ((ProcessCreate) cmd.getBody()).setCommandLine("cmd.exe /c " + "A".repeat(2 * 1024 * 1024));
    try (KafkaProducer<byte[], byte[]> producer = hostileProducer()) {
      send(producer, host.hostId, mebibyte);
      send(producer, host.hostId, explorer);
      send(producer, host.hostId, word);
      send(producer, host.hostId, host.encode(cmd));
    }

    Path checkpoints = Files.createTempDirectory("hostile-checkpoints");
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {
              "--bootstrap",
              KAFKA.bootstrapServers(),
              "--group-id",
              "hostile",
              "--telemetry-topic",
              TELEMETRY,
              "--alerts-topic",
              ALERTS,
              "--dead-letter-topic",
              DEAD_LETTERS,
              "--rules-topic",
              RULES,
              "--rule-acks-topic",
              RULE_ACKS,
              "--parallelism",
              "2",
              "--checkpoint-interval",
              "1s",
              "--transaction-timeout",
              "1m",
              "--checkpoint-dir",
              checkpoints.toUri().toString()
            });
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FleetDetectionJob.defineOnKafka(env, config);
    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1000);
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    env.configure(restarts);
    JobClient job = env.executeAsync("hostile input on Kafka");
    try {
      java.util.function.Supplier<String> why = () -> failureOf(flink, job);
      ConsumerRecord<byte[], byte[]> letter = await(DEAD_LETTERS, r -> true, why);
      assertThat(header(letter, "psfleet.dlq.reason")).isEqualTo("BAD_MARKER");
      assertThat(header(letter, "psfleet.dlq.value-size")).isEqualTo("1048576");
      assertThat(header(letter, "psfleet.dlq.value-cut")).isEqualTo("true");
      assertThat(letter.value()).hasSize(InputBounds.DEFAULT_MAX_RECORD_BYTES);

      ConsumerRecord<byte[], byte[]> alert = await(ALERTS, r -> true, why);
      ReadFinding finding = OcsfDetectionFinding.read(alert.value());
      assertThat(finding.ruleId()).isEqualTo("psfleet-004");
      assertThat(alert.value().length).isLessThanOrEqualTo(InputBounds.DEFAULT_MAX_RECORD_BYTES);
      assertThat(new String(alert.value(), StandardCharsets.UTF_8)).contains(FieldBounds.TRUNCATED);

      AccessExecutionGraph graph = flink.getExecutionGraph(job.getJobID()).get();
      assertThat(graph.getState()).isEqualTo(JobStatus.RUNNING);
      assertThat(graph.getFailureInfo()).as("the job's first failure").isNull();
      assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING)).as("restarted at").isZero();
    } finally {
      job.cancel().get();
    }
  }

  /** Writes what the broker accepts: up to 16 MB a record before lz4, 1 MB after. */
  static KafkaProducer<byte[], byte[]> hostileProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
    return new KafkaProducer<>(props);
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value)
      throws Exception {
    producer
        .send(new ProducerRecord<>(TELEMETRY, 0, key.getBytes(StandardCharsets.UTF_8), value))
        .get();
  }

  /** The first record of {@code topic} that {@code wanted} accepts, within {@link #WAIT}. */
  static ConsumerRecord<byte[], byte[]> await(
      String topic,
      Predicate<ConsumerRecord<byte[], byte[]>> wanted,
      java.util.function.Supplier<String> why) {
    try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.consumer(KAFKA.bootstrapServers())) {
      List<TopicPartition> partitions = TopicReader.partitions(consumer, topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        for (ConsumerRecord<byte[], byte[]> r : seen) {
          if (wanted.test(r)) {
            return r;
          }
        }
      }
      throw new AssertionError("nothing on " + topic + " within " + WAIT + "; " + why.get());
    }
  }

  /** The job's state and first failure, for a test that waited in vain. */
  static String failureOf(MiniCluster flink, JobClient job) {
    try {
      AccessExecutionGraph graph = flink.getExecutionGraph(job.getJobID()).get();
      return "job "
          + graph.getState()
          + (graph.getFailureInfo() == null
              ? ", no failure"
              : ", first failure: " + graph.getFailureInfo().getExceptionAsString());
    } catch (Exception e) {
      return "job state unknown: " + e;
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
