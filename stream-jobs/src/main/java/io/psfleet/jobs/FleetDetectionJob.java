package io.psfleet.jobs;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.io.DeadLetter;
import io.psfleet.jobs.io.DeadLetterSerializer;
import io.psfleet.jobs.io.Envelope;
import io.psfleet.jobs.io.EventTimeWatermarks;
import io.psfleet.jobs.io.OcsfAlertSerializer;
import io.psfleet.jobs.io.RawTelemetry;
import io.psfleet.jobs.io.RuleAckSerializer;
import io.psfleet.jobs.io.RuleSetDeserializationSchema;
import io.psfleet.jobs.io.SplitDeadLetters;
import io.psfleet.jobs.io.TelemetryDecoder;
import io.psfleet.jobs.io.TelemetryDeserializationSchema;
import io.psfleet.jobs.lineage.LineageFunction;
import io.psfleet.jobs.sigma.RuleSetAck;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaFunction;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The detection job: telemetry topic in, OCSF alerts out.
 *
 * <p>Graph: Kafka source (reads each record's header only; event time from it, bounded
 * out-of-orderness, idle partitions ignored) -> dead letters to their topic -> the raw records
 * keyed by host -> lineage, which decodes each record once (what does not decode is a dead letter
 * too), with the Sigma rules in the same operator (psfleet's pack and {@code --rules}, then each
 * version pushed to the rules topic, through broadcast state; their correlation rules per host
 * without a shuffle, fleet-wide keyed by group) -> alerts sink (exactly-once by default: a Kafka
 * transaction per checkpoint). One detection engine: psfleet's own detections are Sigma content.
 *
 * <p>{@link #main} builds the real Kafka source and sinks; {@link #defineWorkflow} builds the graph
 * from any source and sinks and does no I/O, which is what the tests call.
 */
public final class FleetDetectionJob {
  public static final String SOURCE_UID = "telemetry-source";
  public static final String ALERT_SINK_UID = "alert-sink";
  public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";
  public static final String ANOMALY_LETTERS_UID = "sequence-anomaly-letters";
  public static final String RULES_SOURCE_UID = "rules-source";
  public static final String RULE_ACKS_SINK_UID = "rule-acks-sink";
  public static final String RULE_WATERMARKS_UID = "rules-watermarks";

  /** The operator that keeps the hosts' process tables and runs the Sigma rules on each event. */
  public static final String DETECTION_NAME = "Lineage + Sigma rules: per-host process table";

  /**
   * Where a running job takes new rule sets from and answers them: the rules topic and the
   * acknowledgements topic in production, anything in tests.
   */
  public record RuleChannel(Source<RuleSetVersion, ?, ?> versions, Sink<RuleSetAck> acks) {}

  private FleetDetectionJob() {}

  /** The job jar's entry point: parses {@link JobCommand}'s options and runs the job. */
  public static void main(String[] args) {
    int code = JobCommand.run(args, System.out, System.err);
    if (code != 0) {
      // Only on failure: a job main that exits on success would end a Flink session's JobManager.
      System.exit(code);
    }
  }

  /**
   * The job as it runs in production: {@link #configure}s {@code env} and defines the workflow
   * between the Kafka topics the config names. Tests and benchmarks that swap a source or a sink
   * call {@link #defineWorkflow} themselves. A bounded job (read to the topic's end, then finish)
   * keeps the rules it was defined with: the rules topic never ends, so following it would keep the
   * job from finishing.
   */
  public static void defineOnKafka(StreamExecutionEnvironment env, JobConfig config) {
    configure(env, config);
    defineWorkflow(
        env,
        config,
        kafkaSource(config),
        alertSink(config),
        deadLetterSink(config),
        config.bounded() ? null : new RuleChannel(rulesSource(config), ruleAcksSink(config)));
  }

  /**
   * Parallelism and checkpointing as the config says, and object reuse: every record type of the
   * job is immutable and built fresh per event, so chained operators may pass the same object on
   * instead of copying it (a deep copy of each enriched event otherwise).
   */
  public static void configure(StreamExecutionEnvironment env, JobConfig config) {
    env.setParallelism(config.parallelism());
    env.enableCheckpointing(config.checkpointInterval().toMillis());
    env.getConfig().enableObjectReuse();
    if (!config.checkpointDirectory().isEmpty()) {
      Configuration storage = new Configuration();
      storage.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      storage.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDirectory());
      env.configure(storage);
    }
  }

  /**
   * Builds the job's graph with the rules it was defined with for good (no rule channel): what
   * tests and benchmarks of the detections call. For bounded telemetry only: the fixed rules are an
   * input that ends at once, at the end of time, so an idle unbounded telemetry source would let
   * event time run ahead to it. No I/O happens here.
   */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      JobConfig config,
      Source<Envelope, ?, ?> source,
      Sink<Alert> alerts,
      Sink<DeadLetter> deadLetters) {
    defineWorkflow(env, config, source, alerts, deadLetters, null);
  }

  /**
   * Builds the job's graph; with a {@code rules} channel (else null) its Sigma rule set follows the
   * versions that come on it, without a restart. No I/O happens here.
   */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      JobConfig config,
      Source<Envelope, ?, ?> source,
      Sink<Alert> alerts,
      Sink<DeadLetter> deadLetters,
      RuleChannel rules) {
    Duration outOfOrderness = config.outOfOrderness(); // the strategy is serialized: no config
    WatermarkStrategy<Envelope> watermarks =
        WatermarkStrategy.<Envelope>forGenerator(context -> new EventTimeWatermarks(outOfOrderness))
            .withTimestampAssigner(
                (envelope, kafkaTimestamp) ->
                    envelope.record() != null ? envelope.eventMillis() : kafkaTimestamp)
            .withIdleness(config.idleness());
    SingleOutputStreamOperator<RawTelemetry> records =
        env.fromSource(source, watermarks, "Telemetry source")
            .uid(SOURCE_UID)
            .process(new SplitDeadLetters())
            .uid(SplitDeadLetters.UID)
            .name(SplitDeadLetters.NAME);
    BroadcastStream<RuleSetVersion> versions = ruleSetVersions(env, config, rules);
    SingleOutputStreamOperator<Alert> detected =
        records
            .keyBy(RawTelemetry::hostId)
            .connect(versions)
            .process(
                new LineageFunction<>(
                    config.ancestryDepth(),
                    config.lineageGrace(),
                    config.inputBounds().maxSequenceJump(),
                    config.inputBounds().maxProcessesPerHost(),
                    config.inputBounds().hostIdle(),
                    new TelemetryDecoder(config.inputBounds()),
                    // With no rules at all (--no-default-rules and no --rules) it matches nothing:
                    // the graph keeps its shape, so a rule set can be pushed later or added from
                    // the same savepoint.
                    new SigmaFunction(config.sigmaRules())))
            .returns(Alert.class)
            // The lineage uid of the versions before the Sigma rules moved in: their process
            // tables restore into it.
            .uid(LineageFunction.UID)
            .name(DETECTION_NAME);
    DataStream<DeadLetter> anomalies =
        detected
            .getSideOutput(LineageFunction.SEQUENCE_ANOMALIES)
            .map(DeadLetter::of)
            .returns(DeadLetter.class)
            .uid(ANOMALY_LETTERS_UID)
            .name("Sequence anomalies as dead letters");
    records
        .getSideOutput(SplitDeadLetters.DEAD_LETTERS)
        .union(detected.getSideOutput(TelemetryDecoder.DEAD_LETTERS), anomalies)
        .sinkTo(deadLetters)
        .uid(DEAD_LETTER_SINK_UID)
        .name("Dead-letter topic");
    if (rules != null) {
      detected
          .getSideOutput(SigmaFunction.ACKS)
          .sinkTo(rules.acks())
          .uid(RULE_ACKS_SINK_UID)
          .name("Rule set acknowledgements")
          .setParallelism(1);
    }
    DataStream<Alert> correlations =
        Correlations.define(
            detected, config.sigmaRules(), versions, rules != null, config.allowedLateness());
    (correlations == null ? detected : detected.union(correlations))
        .sinkTo(alerts)
        .uid(ALERT_SINK_UID)
        .name("Alerts topic (OCSF)");
  }

  /**
   * The broadcast of rule set versions that the detection operator and the correlation operators
   * follow: the channel's, or for rules fixed at definition one version, the start set again.
   */
  private static BroadcastStream<RuleSetVersion> ruleSetVersions(
      StreamExecutionEnvironment env, JobConfig config, RuleChannel rules) {
    DataStream<RuleSetVersion> versions =
        rules == null
            // The one version the job has: its start set again, which the operators already run
            // (an empty collection source fails on its first, missing, element).
            ? env.fromData(
                    List.of(RuleSetVersion.startedWith(config.sigmaRules())),
                    TypeInformation.of(RuleSetVersion.class))
                .uid(RULES_SOURCE_UID)
                .name("Rules: fixed at definition")
            : env.fromSource(rules.versions(), WatermarkStrategy.noWatermarks(), "Rules topic")
                .uid(RULES_SOURCE_UID)
                .setParallelism(1)
                // Rule sets have no event time, and an operator with a broadcast input runs at
                // the lower of its inputs' watermarks: the rules must not hold the telemetry's
                // back, nor, at the end of time, push it ahead while the telemetry is idle (all
                // lineage and correlation state would fire and every later event be late). Idle
                // is neither: the operators follow the telemetry alone. A push wakes the rules
                // for a second, in which event time waits.
                .assignTimestampsAndWatermarks(
                    WatermarkStrategy.<RuleSetVersion>noWatermarks()
                        .withIdleness(Duration.ofSeconds(1)))
                .uid(RULE_WATERMARKS_UID)
                .name("Rules: no event time")
                .setParallelism(1);
    return versions.broadcast(SigmaFunction.RULE_SET);
  }

  /**
   * The rules topic, read without a consumer group: its position is kept in the job's checkpoints
   * with the broadcast state it feeds. A job without state reads the sets pushed from when it was
   * defined on, so it starts with its {@code --rules} and follows every push after that.
   */
  public static Source<RuleSetVersion, ?, ?> rulesSource(JobConfig config) {
    KafkaSourceBuilder<RuleSetVersion> builder =
        KafkaSource.<RuleSetVersion>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setTopics(config.rulesTopic())
            .setDeserializer(new RuleSetDeserializationSchema());
    config.kafkaProperties().forEach(builder::setProperty);
    return builder
        .setProperty("commit.offsets.on.checkpoint", "false")
        .setProperty("partition.discovery.interval.ms", "-1")
        .setStartingOffsets(OffsetsInitializer.timestamp(System.currentTimeMillis()))
        .build();
  }

  public static Sink<RuleSetAck> ruleAcksSink(JobConfig config) {
    KafkaSinkBuilder<RuleSetAck> builder =
        KafkaSink.<RuleSetAck>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setRecordSerializer(new RuleAckSerializer(config.ruleAcksTopic()))
            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
    config.kafkaProperties().forEach(builder::setProperty);
    return builder.build();
  }

  public static Source<Envelope, ?, ?> kafkaSource(JobConfig config) {
    KafkaSourceBuilder<Envelope> builder =
        KafkaSource.<Envelope>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setTopics(config.telemetryTopic())
            .setGroupId(config.groupId())
            .setDeserializer(new TelemetryDeserializationSchema(config.inputBounds()));
    config.kafkaProperties().forEach(builder::setProperty);
    builder.setProperty("isolation.level", "read_committed");
    if (config.bounded()) {
      builder
          .setStartingOffsets(OffsetsInitializer.earliest())
          .setBounded(OffsetsInitializer.latest());
    } else {
      builder.setStartingOffsets(
          switch (config.startFrom().kind()) {
            case EARLIEST -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case LATEST -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST);
            case INSTANT ->
                OffsetsInitializer.timestamp(config.startFrom().instant().toEpochMilli());
          });
    }
    return builder.build();
  }

  public static Sink<Alert> alertSink(JobConfig config) {
    KafkaSinkBuilder<Alert> builder =
        KafkaSink.<Alert>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setRecordSerializer(
                new OcsfAlertSerializer(
                    config.alertsTopic(), config.inputBounds().maxRecordBytes()))
            .setDeliveryGuarantee(config.deliveryGuarantee())
            .setTransactionalIdPrefix(config.groupId() + "-alerts");
    config.kafkaProperties().forEach(builder::setProperty);
    return builder
        .setProperty(
            "transaction.timeout.ms", Long.toString(config.transactionTimeout().toMillis()))
        .build();
  }

  public static Sink<DeadLetter> deadLetterSink(JobConfig config) {
    KafkaSinkBuilder<DeadLetter> builder =
        KafkaSink.<DeadLetter>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setRecordSerializer(new DeadLetterSerializer(config.deadLetterTopic()))
            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
    config.kafkaProperties().forEach(builder::setProperty);
    return builder.build();
  }
}
