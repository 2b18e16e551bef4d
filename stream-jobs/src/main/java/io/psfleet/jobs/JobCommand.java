package io.psfleet.jobs;

import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.KafkaConfigOption;
import io.psfleet.jobs.io.InputBounds;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The detection job's command line: {@code ./psfleet job}, and the job jar's {@code main} on a
 * Flink cluster. Every option's default is {@link JobConfig.Builder}'s.
 */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description =
        "Runs the psfleet detection job (in a local Flink here; the same main runs on a cluster"
            + " from the job jar) against any Kafka: telemetry in, OCSF alerts and dead letters"
            + " out.")
public final class JobCommand implements Callable<Integer> {
  private static final JobConfig DEFAULTS = JobConfig.defaults("unset:0");
  private static final InputBounds BOUNDS = DEFAULTS.inputBounds();

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers")
  String bootstrap;

  @Option(
      names = "--group-id",
      paramLabel = "ID",
      description = "consumer group of the telemetry source")
  String groupId = DEFAULTS.groupId();

  @Option(
      names = "--telemetry-topic",
      paramLabel = "TOPIC",
      description = "topic to read telemetry from")
  String telemetryTopic = DEFAULTS.telemetryTopic();

  @Option(
      names = "--alerts-topic",
      paramLabel = "TOPIC",
      description = "topic to write OCSF alerts to")
  String alertsTopic = DEFAULTS.alertsTopic();

  @Option(
      names = "--dead-letter-topic",
      paramLabel = "TOPIC",
      description = "topic for records that cannot be decoded")
  String deadLetterTopic = DEFAULTS.deadLetterTopic();

  @Option(
      names = "--rules-topic",
      paramLabel = "TOPIC",
      description =
          "compacted topic of the Sigma rule sets that replace --rules while the job runs (rules"
              + " push)")
  String rulesTopic = DEFAULTS.rulesTopic();

  @Option(
      names = "--rule-acks-topic",
      paramLabel = "TOPIC",
      description = "topic the job acknowledges each rule set version on")
  String ruleAcksTopic = DEFAULTS.ruleAcksTopic();

  @Option(names = "--parallelism", paramLabel = "N", description = "operator parallelism")
  int parallelism = DEFAULTS.parallelism();

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "checkpoint interval (exactly-once alerts commit at checkpoints)")
  Duration checkpointInterval = DEFAULTS.checkpointInterval();

  @Option(
      names = "--delivery",
      paramLabel = "MODE",
      converter = DeliveryConverter.class,
      description = "alert delivery: exactly-once or at-least-once")
  DeliveryGuarantee delivery = DEFAULTS.deliveryGuarantee();

  @Option(
      names = "--transaction-timeout",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "Kafka transaction timeout, above the checkpoint interval and at most 15m")
  Duration transactionTimeout = DEFAULTS.transactionTimeout();

  @Option(
      names = "--out-of-orderness",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "event-time disorder tolerated across hosts")
  Duration outOfOrderness = DEFAULTS.outOfOrderness();

  @Option(
      names = "--idleness",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "a partition quiet this long stops holding the watermark back")
  Duration idleness = DEFAULTS.idleness();

  @Option(
      names = "--allowed-lateness",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description =
          "how far behind the watermark correlation rules still judge an event (a sensor's"
              + " spool, a stalled partition); their windows are kept this much longer")
  Duration allowedLateness = DEFAULTS.allowedLateness();

  @Option(
      names = "--ancestry-depth",
      paramLabel = "N",
      description = "ancestors carried by each event (1-64)")
  int ancestryDepth = DEFAULTS.ancestryDepth();

  @Option(
      names = "--lineage-grace",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "how long an exited process stays in the process table")
  Duration lineageGrace = DEFAULTS.lineageGrace();

  @Option(names = "--bounded", description = "read the topic to its current end, then finish")
  boolean bounded = DEFAULTS.bounded();

  @Option(
      names = "--start-from",
      paramLabel = "WHERE",
      converter = StartFromConverter.class,
      description =
          "with no committed offsets: earliest or latest; or an instant (2026-11-24T08:00:00Z):"
              + " from there, committed offsets ignored")
  StartFrom startFrom = DEFAULTS.startFrom();

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "URI",
      description = "checkpoint directory URI (empty: the cluster's setting)")
  String checkpointDir = DEFAULTS.checkpointDirectory();

  @Mixin RulesOption rules = new RulesOption();
  @Mixin KafkaConfigOption kafka = new KafkaConfigOption();

  @Option(
      names = "--max-record-bytes",
      paramLabel = "N",
      description =
          "largest value the job writes (an alert, a dead letter's copy of a bad record);"
              + " 131072-1000000, below the producers' max.request.size")
  int maxRecordBytes = BOUNDS.maxRecordBytes();

  @Option(
      names = "--max-event-time-ahead",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description =
          "an event dated further ahead of its record's Kafka timestamp is a dead letter"
              + " (FUTURE_TIME)")
  Duration maxEventTimeAhead = BOUNDS.maxEventTimeAhead();

  @Option(
      names = "--max-sequence-jump",
      paramLabel = "N",
      description =
          "a host's sequence number leaping further is an anomaly, reported and not believed")
  long maxSequenceJump = BOUNDS.maxSequenceJump();

  @Option(
      names = "--max-processes-per-host",
      paramLabel = "N",
      description = "most processes one host's process table holds; past it the oldest go, counted")
  int maxProcessesPerHost = BOUNDS.maxProcessesPerHost();

  @Option(
      names = "--host-idle",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description =
          "a host that sends nothing for this long (wall-clock) is forgotten, all its state"
              + " cleared; at least 1h")
  Duration hostIdle = BOUNDS.hostIdle();

  /**
   * The configuration these options describe.
   *
   * @throws IllegalArgumentException naming the option whose value is out of range
   */
  public JobConfig toConfig() {
    return DEFAULTS.toBuilder()
        .bootstrapServers(bootstrap)
        .kafkaProperties(kafka.config().properties())
        .groupId(groupId)
        .telemetryTopic(telemetryTopic)
        .alertsTopic(alertsTopic)
        .deadLetterTopic(deadLetterTopic)
        .rulesTopic(rulesTopic)
        .ruleAcksTopic(ruleAcksTopic)
        .parallelism(parallelism)
        .checkpointInterval(checkpointInterval)
        .deliveryGuarantee(delivery)
        .transactionTimeout(transactionTimeout)
        .outOfOrderness(outOfOrderness)
        .idleness(idleness)
        .allowedLateness(allowedLateness)
        .ancestryDepth(ancestryDepth)
        .lineageGrace(lineageGrace)
        .bounded(bounded)
        .startFrom(startFrom)
        .checkpointDirectory(checkpointDir)
        .sigmaRules(rules.read())
        .inputBounds(
            new InputBounds(
                maxRecordBytes, maxEventTimeAhead, maxSequenceJump, maxProcessesPerHost, hostIdle))
        .build();
  }

  @Override
  public Integer call() throws Exception {
    JobConfig config;
    try {
      config = toConfig();
    } catch (IllegalArgumentException e) {
      throw new io.psfleet.commandline.UsageException(e.getMessage());
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FleetDetectionJob.defineOnKafka(env, config);
    env.execute("psfleet detection");
    return Commands.OK;
  }

  /**
   * Parses a job command line without running it.
   *
   * @throws IllegalArgumentException with picocli's or the config's one-line message
   */
  public static JobConfig parse(String[] args) {
    JobCommand command = new JobCommand();
    CommandLine cl = new CommandLine(command);
    cl.setErr(new PrintWriter(new StringWriter()));
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return command.toConfig();
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Commands.execute(new JobCommand(), args, out, err);
  }

  /** {@code exactly-once} or {@code at-least-once}. */
  public static final class DeliveryConverter implements ITypeConverter<DeliveryGuarantee> {
    @Override
    public DeliveryGuarantee convert(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
        case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
        default ->
            throw new IllegalArgumentException(
                "expected exactly-once or at-least-once, got '" + text + "'");
      };
    }
  }

  /** {@link StartFrom#parse}. */
  public static final class StartFromConverter implements ITypeConverter<StartFrom> {
    @Override
    public StartFrom convert(String text) {
      return StartFrom.parse(text);
    }
  }
}
