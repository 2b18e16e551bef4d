package io.psfleet.jobs;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.io.DeadLetter;
import io.psfleet.jobs.io.DeadLetterSerializer;
import io.psfleet.jobs.io.Envelope;
import io.psfleet.jobs.io.EventTimeWatermarks;
import io.psfleet.jobs.io.OcsfAlertSerializer;
import io.psfleet.jobs.io.SplitDeadLetters;
import io.psfleet.jobs.io.TelemetryDeserializationSchema;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.LineageFunction;
import io.psfleet.jobs.sigma.SigmaFunction;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
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
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The detection job: telemetry topic in, OCSF alerts out.
 *
 * <p>Graph: Kafka source (decodes; event time from the header, bounded out-of-orderness, idle
 * partitions ignored) -> dead letters to their topic -> lineage keyed by host -> Sigma rules
 * (psfleet's pack and {@code --rules}, chained to lineage; their correlation rules per host without
 * a shuffle, fleet-wide keyed by group) -> alerts sink (exactly-once by default: a Kafka
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
   * call {@link #defineWorkflow} themselves.
   */
  public static void defineOnKafka(StreamExecutionEnvironment env, JobConfig config) {
    configure(env, config);
    defineWorkflow(env, config, kafkaSource(config), alertSink(config), deadLetterSink(config));
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

  /** Builds the job's graph: no I/O happens here. */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      JobConfig config,
      Source<Envelope, ?, ?> source,
      Sink<Alert> alerts,
      Sink<DeadLetter> deadLetters) {
    Duration outOfOrderness = config.outOfOrderness(); // the strategy is serialized: no config
    WatermarkStrategy<Envelope> watermarks =
        WatermarkStrategy.<Envelope>forGenerator(context -> new EventTimeWatermarks(outOfOrderness))
            .withTimestampAssigner(
                (envelope, kafkaTimestamp) ->
                    envelope.event() != null
                        ? envelope.event().timeNanos() / 1_000_000L
                        : kafkaTimestamp)
            .withIdleness(config.idleness());
    SingleOutputStreamOperator<Telemetry> events =
        env.fromSource(source, watermarks, "Telemetry source")
            .uid(SOURCE_UID)
            .process(new SplitDeadLetters())
            .uid(SplitDeadLetters.UID)
            .name(SplitDeadLetters.NAME);
    SingleOutputStreamOperator<EnrichedEvent> enriched =
        events
            .keyBy(Telemetry::hostId)
            .process(
                new LineageFunction(
                    config.ancestryDepth(),
                    config.lineageGrace(),
                    config.inputBounds().maxSequenceJump(),
                    config.inputBounds().maxProcessesPerHost()))
            .uid(LineageFunction.UID)
            .name(LineageFunction.NAME);
    DataStream<DeadLetter> anomalies =
        enriched
            .getSideOutput(LineageFunction.SEQUENCE_ANOMALIES)
            .map(DeadLetter::of)
            .returns(DeadLetter.class)
            .uid(ANOMALY_LETTERS_UID)
            .name("Sequence anomalies as dead letters");
    events
        .getSideOutput(SplitDeadLetters.DEAD_LETTERS)
        .union(anomalies)
        .sinkTo(deadLetters)
        .uid(DEAD_LETTER_SINK_UID)
        .name("Dead-letter topic");
    // Chained to lineage (forward, no keyBy): the Sigma rules cost no shuffle. With no rules at
    // all (--no-default-rules and no --rules) the operator matches nothing: the graph keeps its
    // shape, so a rule set can be added later from the same savepoint.
    SingleOutputStreamOperator<Alert> sigma =
        enriched
            .process(new SigmaFunction(config.sigmaRules()))
            .uid(SigmaFunction.UID)
            .name(SigmaFunction.NAME);
    DataStream<Alert> detections = sigma;
    DataStream<Alert> correlations = Correlations.define(sigma, config.sigmaRules());
    if (correlations != null) {
      detections = detections.union(correlations);
    }
    detections.sinkTo(alerts).uid(ALERT_SINK_UID).name("Alerts topic (OCSF)");
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
