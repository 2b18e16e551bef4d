package io.psfleet.cli;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetSummary;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.kafka.TopicReader;
import io.psfleet.schema.Topics;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The pipeline's pieces for tests: simulate into Kafka, run the job over it, read the topics. */
final class PipelineRun {
  static final long START = FleetConfig.Builder.DEFAULT_START_NANOS;

  private PipelineRun() {}

  static FleetConfig fleet(
      int hosts, Duration duration, Map<String, Integer> scenarios, long seed) {
    return FleetConfig.builder()
        .hosts(hosts)
        .seed(seed)
        .startNanos(START)
        .duration(duration)
        .bootWindow(Duration.ofSeconds(30))
        .scenarios(scenarios)
        .campaign(new CampaignShape(6, Duration.ofMinutes(5)))
        .threads(2)
        .build();
  }

  static FleetSummary simulate(String bootstrap, FleetConfig config) {
    try (KafkaTelemetryPublisher publisher =
        new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap))) {
      return new Fleet(config, FleetAssets.create(), publisher, null, RecordFormat.AVRO, p -> {})
          .run();
    }
  }

  /** Runs the detection job over the telemetry topic up to its current end, then returns. */
  static void detectBounded(JobConfig config) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a broken job fails, never hangs
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    FleetDetectionJob.defineOnKafka(env, config.withBounded(true));
    env.execute("psfleet detection (test)");
  }

  static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
    return TopicReader.readAll(bootstrap, topic);
  }

  static List<AlertRecord> alerts(String bootstrap, String topic) throws Exception {
    List<AlertRecord> alerts = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : read(bootstrap, topic)) {
      alerts.add(AlertRecord.parse(record.value(), record.timestamp()));
    }
    return alerts;
  }

  static List<GroundTruthJoin.Truth> truths(String bootstrap) throws Exception {
    SingleObjectCodec<io.psfleet.schema.GroundTruth> codec = SingleObjectCodec.groundTruth();
    List<GroundTruthJoin.Truth> truths = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : read(bootstrap, Topics.GROUND_TRUTH)) {
      truths.add(new GroundTruthJoin.Truth(codec.decode(record.value()), record.timestamp()));
    }
    return truths;
  }
}
