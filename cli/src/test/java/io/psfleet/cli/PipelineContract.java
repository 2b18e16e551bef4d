package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.Shard;
import io.psfleet.agent.scenario.Scenario;
import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end on a real broker and a Flink MiniCluster: simulator -> telemetry topic ->
 * detection job -> alerts topic, joined with the ground truth; every alert must be valid OCSF 1.3.0
 * ({@link OcsfFeedCheck}). Each flavour supplies the broker (a fresh one per test, so topics start
 * empty): {@link PipelineIT} the embedded one, {@link ContainerKafkaPipelineIT} the official image
 * in a container.
 */
abstract class PipelineContract {
  /** A fresh, running broker the test owns. */
  interface Broker extends AutoCloseable {
    String bootstrapServers();

    @Override
    void close();
  }

  abstract Broker startBroker();

  @Test
  void everyInjectedAttackIsDetectedAndNoLookalikeAlerts() throws Exception {
    try (Broker kafka = startBroker()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      Map<String, Integer> all =
          FleetAssets.create().scenarios().all().stream()
              .collect(Collectors.toMap(Scenario::name, s -> 1));
      PipelineRun.simulate(bootstrap, PipelineRun.fleet(30, Duration.ofMinutes(20), all, 11));

      PipelineRun.detectBounded(
          JobConfig.defaults(bootstrap).withCheckpointInterval(Duration.ofSeconds(1)));

      GroundTruthJoin.Result result =
          GroundTruthJoin.join(
              PipelineRun.truths(bootstrap), PipelineRun.alerts(bootstrap, Topics.ALERTS));
      assertThat(result.instances())
          .extracting(GroundTruthJoin.Instance::scenario)
          .containsAll(all.keySet());
      assertThat(
              result.instances().stream()
                  .filter(i -> i.attack() && !i.alerted())
                  .map(GroundTruthJoin.Instance::scenarioId))
          .as("missed attacks")
          .isEmpty();
      assertThat(
              result.instances().stream()
                  .filter(i -> !i.attack() && i.alerted())
                  .map(GroundTruthJoin.Instance::scenarioId))
          .as("look-alikes that alerted")
          .isEmpty();
      assertThat(result.unexplainedAlerts()).as("alerts no attack explains").isEmpty();
      assertThat(OcsfFeedCheck.assertEveryAlertIsValidOcsf(bootstrap, Topics.ALERTS)).isPositive();
    }
  }

  @Test
  void corruptRecordsGoToTheDeadLetterTopicAndTheJobCarriesOn() throws Exception {
    try (Broker kafka = startBroker()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      PipelineRun.simulate(
          bootstrap, PipelineRun.fleet(6, Duration.ofMinutes(10), Map.of("dll-injection", 1), 3));
      byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
      byte[] truncated = PipelineRun.read(bootstrap, Topics.TELEMETRY).get(0).value();
      truncated = java.util.Arrays.copyOf(truncated, truncated.length / 2);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.TELEMETRY, "host-000001".getBytes(StandardCharsets.UTF_8), garbage))
            .get();
        producer
            .send(
                new ProducerRecord<>(
                    Topics.TELEMETRY, "host-000002".getBytes(StandardCharsets.UTF_8), truncated))
            .get();
      }

      PipelineRun.detectBounded(
          JobConfig.defaults(bootstrap).withCheckpointInterval(Duration.ofSeconds(1)));

      List<ConsumerRecord<byte[], byte[]>> dead = PipelineRun.read(bootstrap, Topics.DEAD_LETTER);
      assertThat(dead).hasSize(2);
      Set<String> reasons = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> record : dead) {
        reasons.add(
            new String(
                record.headers().lastHeader("psfleet.dlq.reason").value(), StandardCharsets.UTF_8));
        assertThat(record.headers().lastHeader("psfleet.dlq.source")).isNotNull();
      }
      assertThat(reasons).containsExactlyInAnyOrder("BAD_MARKER", "TRUNCATED");
      assertThat(dead).anySatisfy(r -> assertThat(r.value()).isEqualTo(garbage));
      assertThat(PipelineRun.alerts(bootstrap, Topics.ALERTS))
          .extracting(AlertRecord::technique)
          .contains("T1055.001");
      assertThat(OcsfFeedCheck.assertEveryAlertIsValidOcsf(bootstrap, Topics.ALERTS)).isPositive();
    }
  }

  @Test
  void restartFromASavepointNeitherDuplicatesNorLosesAlerts(@TempDir Path checkpoints)
      throws Exception {
    try (Broker kafka = startBroker()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      TopicSetup.ensureTopics(
          bootstrap,
          Duration.ofSeconds(30),
          List.of(
              new NewTopic("reference.alerts", Optional.of(4), Optional.empty()),
              new NewTopic("restarted.alerts", Optional.of(4), Optional.empty())));
      FleetConfig fleet =
          PipelineRun.fleet(
              12,
              Duration.ofMinutes(15),
              Map.of("dll-injection", 2, "ppid-spoofing", 2, "office-macro-chain", 2),
              21);
      PipelineRun.simulate(bootstrap, fleet.withShard(new Shard(1, 2)));
      JobConfig restarted =
          JobConfig.fromArgs(
              new String[] {
                "--bootstrap",
                bootstrap,
                "--alerts-topic",
                "restarted.alerts",
                "--group-id",
                "restarted",
                "--checkpoint-interval",
                "1s",
                "--transaction-timeout",
                "1m"
              });

      JobClient first = start(restarted, checkpoints, null);
      awaitAlerts(bootstrap, "restarted.alerts", 1);
      String savepoint =
          first
              .stopWithSavepoint(
                  false,
                  checkpoints.resolve("savepoints").toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get(60, TimeUnit.SECONDS);
      PipelineRun.simulate(bootstrap, fleet.withShard(new Shard(2, 2)));
      JobConfig reference =
          JobConfig.fromArgs(
              new String[] {
                "--bootstrap",
                bootstrap,
                "--alerts-topic",
                "reference.alerts",
                "--group-id",
                "reference",
                "--checkpoint-interval",
                "1s",
                "--transaction-timeout",
                "1m"
              });
      PipelineRun.detectBounded(reference);
      List<AlertRecord> expected = PipelineRun.alerts(bootstrap, "reference.alerts");
      assertThat(expected).isNotEmpty();

      JobClient second = start(restarted, checkpoints, savepoint);
      List<AlertRecord> got = awaitAlerts(bootstrap, "restarted.alerts", expected.size());
      TimeUnit.SECONDS.sleep(3); // a duplicate would show up within a few checkpoints
      got = PipelineRun.alerts(bootstrap, "restarted.alerts");
      second.cancel().get(30, TimeUnit.SECONDS);

      assertThat(got).extracting(AlertRecord::uid).doesNotHaveDuplicates();
      assertThat(got.stream().map(AlertRecord::uid).collect(Collectors.toSet()))
          .isEqualTo(expected.stream().map(AlertRecord::uid).collect(Collectors.toSet()));
      OcsfFeedCheck.assertEveryAlertIsValidOcsf(bootstrap, "reference.alerts");
      OcsfFeedCheck.assertEveryAlertIsValidOcsf(bootstrap, "restarted.alerts");
    }
  }

  private static JobClient start(JobConfig config, Path checkpoints, String savepoint)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        checkpoints.resolve("checkpoints").toUri().toString());
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    conf.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    FleetDetectionJob.defineOnKafka(env, config);
    return env.executeAsync("psfleet detection (restart test)");
  }

  private static List<AlertRecord> awaitAlerts(String bootstrap, String topic, int atLeast)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      List<AlertRecord> alerts = PipelineRun.alerts(bootstrap, topic);
      if (alerts.size() >= atLeast || System.nanoTime() > deadline) {
        return alerts;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }
}
