package io.psfleet.jobs;

import static io.psfleet.jobs.DetectionWorkflowTest.CMD;
import static io.psfleet.jobs.DetectionWorkflowTest.EXPLORER;
import static io.psfleet.jobs.DetectionWorkflowTest.NOTEPAD;
import static io.psfleet.jobs.DetectionWorkflowTest.WINLOGON;
import static io.psfleet.jobs.DetectionWorkflowTest.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.DetectionWorkflowTest.Host;
import io.psfleet.jobs.DetectionWorkflowTest.Proc;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.alert.ReadFinding;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.io.RulePush;
import io.psfleet.jobs.sigma.RuleSetAck;
import io.psfleet.jobs.sigma.SigmaRuleText;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.kafka.TopicReader;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule set pushed into the running job, end to end: the real embedded broker, the job on a
 * MiniCluster as {@link FleetDetectionJob#defineOnKafka} builds it (exactly-once alerts), and the
 * push as {@code rules push} makes it ({@link RulePush}). The new rule alerts without a restart;
 * the rules that stayed alert on as before, each event once; a correlation that stayed keeps the
 * sighting it had before the push and completes with one after it.
 */
class RulePushIT {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final Duration WAIT = Duration.ofSeconds(60);
  static final Proc POWERSHELL =
      proc(40, 6000, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
  static final Proc CMD2 = proc(41, 6100, CMD.image());

  static final String CMD_RULE = "9d000000-0000-4000-8000-000000000001";
  static final String POWERSHELL_RULE = "9d000000-0000-4000-8000-000000000002";
  static final String TWO_LOADS = "9d000000-0000-4000-8000-000000000003";

  static final String RULES =
      """
      title: Console started
      id: %s
      logsource: {product: windows, category: process_creation}
      detection:
        selection:
          Image|endswith: '\\cmd.exe'
        condition: selection
      ---
      title: Evil module
      id: 9d000000-0000-4000-8000-0000000000e1
      name: evil_load
      logsource: {product: windows, category: image_load}
      detection:
        selection:
          ImageLoaded|endswith: '\\evil.dll'
        condition: selection
      ---
      title: Evil module loaded twice on a host
      id: %s
      level: high
      correlation:
        type: event_count
        rules: [evil_load]
        group-by: [Computer]
        timespan: 10m
        condition:
          gte: 2
      """
          .formatted(CMD_RULE, TWO_LOADS);

  static final String POWERSHELL_YAML =
      """
      title: PowerShell started
      id: %s
      logsource: {product: windows, category: process_creation}
      detection:
        selection:
          Image|endswith: '\\powershell.exe'
        condition: selection
      """
          .formatted(POWERSHELL_RULE);

  @Test
  @Timeout(240)
  void aPushedRuleAlertsWithoutARestartAndNothingIsLostOrDoubled(
      @InjectMiniCluster MiniCluster flink, @TempDir Path dir) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
    Path rules = Files.writeString(dir.resolve("rules.yml"), RULES);
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {
              "--bootstrap", bootstrap,
              "--rules", rules.toString(),
              "--parallelism", "2",
              "--checkpoint-interval", "1s",
              "--transaction-timeout", "1m",
              "--idleness", "1s",
              "--checkpoint-dir", dir.resolve("checkpoints").toUri().toString()
            });
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FleetDetectionJob.defineOnKafka(env, config);
    JobClient job = env.executeAsync("rule push");
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      Host host = new Host("host-push");
      send(producer, host, host.create(1, EXPLORER, WINLOGON));
      String firstCmd = send(producer, host, host.create(2, CMD, EXPLORER));
      String firstLoad =
          send(producer, host, host.load(3, CMD, "C:\\Users\\Public\\evil.dll", null));
      send(producer, host, host.create(4, NOTEPAD, EXPLORER));
      assertThat(awaitAlerts(bootstrap, 1, () -> HostileInputKafkaIT.failureOf(flink, job)))
          .extracting(ReadFinding::ruleId)
          .containsExactly(CMD_RULE);

      RulePush.Outcome pushed =
          RulePush.push(
              bootstrap,
              Map.of(),
              Topics.RULES,
              Topics.RULE_ACKS,
              List.of(
                  new SigmaRuleText("rules.yml", RULES),
                  new SigmaRuleText("powershell.yml", POWERSHELL_YAML)),
              WAIT);

      assertThat(pushed.complete()).as("acknowledged by every subtask").isTrue();
      assertThat(pushed.acks()).hasSize(2).allMatch(RuleSetAck::taken);
      assertThat(pushed.acks().get(0).rulesCompiled()).isEqualTo(3);
      assertThat(pushed.acks().get(0).correlations()).isEqualTo(1);
      assertThat(pushed.version()).isEqualTo(1);

      String powershell = send(producer, host, host.create(10, POWERSHELL, EXPLORER));
      String secondCmd = send(producer, host, host.create(11, CMD2, EXPLORER));
      String secondLoad =
          send(producer, host, host.load(12, CMD2, "C:\\Users\\Public\\evil.dll", null));
      // Moves the watermark past the second load, so the correlation is judged.
      send(producer, host, host.create(60, proc(42, 6200, NOTEPAD.image()), EXPLORER));

      List<ReadFinding> alerts =
          awaitAlerts(bootstrap, 4, () -> HostileInputKafkaIT.failureOf(flink, job));
      Thread.sleep(3_000); // a few more checkpoints: anything doubled would be committed by now
      alerts = awaitAlerts(bootstrap, 4, () -> HostileInputKafkaIT.failureOf(flink, job));

      assertThat(alerts)
          .extracting(f -> f.ruleId() + " v" + f.ruleSetVersion() + " " + f.evidenceEventIds())
          .containsExactlyInAnyOrder(
              CMD_RULE + " v0 [" + firstCmd + "]",
              POWERSHELL_RULE + " v1 [" + powershell + "]",
              CMD_RULE + " v1 [" + secondCmd + "]",
              TWO_LOADS + " v1 [" + firstLoad + ", " + secondLoad + "]");
    } finally {
      job.cancel().get();
    }
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static String send(KafkaProducer<byte[], byte[]> producer, Host host, TelemetryEvent event)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.TELEMETRY,
                0,
                host.hostId.getBytes(StandardCharsets.UTF_8),
                host.encode(event)))
        .get();
    return Telemetry.eventId(
        event.getHeader().getHostId(),
        event.getHeader().getBootId(),
        event.getHeader().getSequence());
  }

  /** Every committed alert once at least {@code count} are there, within {@link #WAIT}. */
  static List<ReadFinding> awaitAlerts(
      String bootstrap, int count, java.util.function.Supplier<String> why) throws Exception {
    try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.consumer(bootstrap)) {
      List<TopicPartition> partitions = TopicReader.partitions(consumer, Topics.ALERTS);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ReadFinding> seen = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          seen.add(OcsfDetectionFinding.read(r.value()));
        }
        if (seen.size() >= count && consumer.poll(Duration.ofMillis(500)).isEmpty()) {
          return seen;
        }
      }
      throw new AssertionError(
          "fewer than "
              + count
              + " alerts within "
              + WAIT
              + ": "
              + seen.size()
              + " "
              + seen
              + "; "
              + why.get());
    }
  }
}
