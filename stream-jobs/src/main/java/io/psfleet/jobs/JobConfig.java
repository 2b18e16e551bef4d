package io.psfleet.jobs;

import io.psfleet.commandline.Durations;
import io.psfleet.jobs.io.InputBounds;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.schema.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The detection job's settings, typed and checked where they are parsed.
 *
 * @param transactionTimeout the exactly-once sink's Kafka transaction timeout; must stay at or
 *     below the brokers' {@code transaction.max.timeout.ms} (15 min by default), or every
 *     transaction fails (../shared/STACK.md pitfall 2)
 * @param bounded read the telemetry topic up to its end offsets at start, then finish (benchmarks,
 *     tests); otherwise run forever
 * @param startFrom where a job without state begins reading
 * @param allowedLateness how far behind the watermark a correlation rule still judges an event
 *     (event time): a sensor forwarding its spool after an outage, or a partition that stalled
 *     while the others drove the watermark on, delivers events late; correlation windows are kept
 *     this much longer for them
 * @param checkpointDirectory where checkpoints go (a file:// or s3:// URI), or empty for the
 *     cluster's setting; Flink's fallback keeps checkpoints in the JobManager's memory, which
 *     refuses state above 5 MB, so local runs over many hosts need a directory
 * @param rulesTopic where the job takes new Sigma rule sets from while it runs ({@code rules
 *     push}), one partition
 * @param ruleAcksTopic where the job acknowledges each rule set version it takes or refuses
 * @param sigmaRules the Sigma rules the job starts with, read where the job is defined and shipped
 *     with it: psfleet's pack ({@link SigmaRules#defaultPack()}) by default, with {@code --rules}
 *     and {@code --no-default-rules} on the command line (with none the job detects nothing); rule
 *     set version 0, until a push replaces it
 * @param inputBounds how far one telemetry record is trusted: the size of what the job writes, how
 *     far ahead of its Kafka timestamp an event may lie, how far a sequence number may leap
 * @param kafkaProperties client settings ({@code --kafka-config}: security, tuning) given to the
 *     job's Kafka source and both sinks
 */
public record JobConfig(
    String bootstrapServers,
    String groupId,
    String telemetryTopic,
    String alertsTopic,
    String deadLetterTopic,
    String rulesTopic,
    String ruleAcksTopic,
    int parallelism,
    Duration checkpointInterval,
    DeliveryGuarantee deliveryGuarantee,
    Duration transactionTimeout,
    Duration outOfOrderness,
    Duration idleness,
    Duration allowedLateness,
    int ancestryDepth,
    Duration lineageGrace,
    boolean bounded,
    StartFrom startFrom,
    String checkpointDirectory,
    SigmaRules sigmaRules,
    InputBounds inputBounds,
    Map<String, String> kafkaProperties) {

  public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  /** How far behind the watermark correlation rules judge an event unless told otherwise. */
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(10);

  /**
   * The checkpoint interval of runs that show alerts as they happen (demo, detect-test, the
   * one-machine cluster): exactly-once alerts become visible at checkpoints, so these checkpoint
   * more often than the job's production default.
   */
  public static final Duration INTERACTIVE_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

  public JobConfig {
    require(
        bootstrapServers != null && !bootstrapServers.isBlank(),
        "--bootstrap is required (host:port of a Kafka broker)");
    require(parallelism >= 1, "--parallelism must be at least 1, got " + parallelism);
    require(
        !checkpointInterval.isNegative() && !checkpointInterval.isZero(),
        "--checkpoint-interval must be positive");
    require(
        transactionTimeout.compareTo(MAX_TRANSACTION_TIMEOUT) <= 0
            && transactionTimeout.compareTo(checkpointInterval) > 0,
        "--transaction-timeout must lie between the checkpoint interval and 15m (the brokers'"
            + " transaction.max.timeout.ms), got "
            + Durations.format(transactionTimeout));
    require(
        !allowedLateness.isNegative(),
        "--allowed-lateness must be 0 or more, got " + Durations.format(allowedLateness));
    require(
        ancestryDepth >= 1 && ancestryDepth <= 64,
        "--ancestry-depth must be between 1 and 64, got " + ancestryDepth);
    Objects.requireNonNull(startFrom, "startFrom");
    Objects.requireNonNull(sigmaRules, "sigmaRules");
    Objects.requireNonNull(inputBounds, "inputBounds");
    kafkaProperties = Map.copyOf(kafkaProperties);
  }

  /** Defaults for a job reading {@code bootstrap}. */
  public static JobConfig defaults(String bootstrap) {
    return builder().bootstrapServers(bootstrap).build();
  }

  /**
   * Parses the job's command line ({@link JobCommand}).
   *
   * @throws IllegalArgumentException naming the option and value that is wrong
   */
  public static JobConfig fromArgs(String[] args) {
    return JobCommand.parse(args);
  }

  /** The job's defaults (see {@link Builder}); the bootstrap servers are required. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .bootstrapServers(bootstrapServers)
        .groupId(groupId)
        .telemetryTopic(telemetryTopic)
        .alertsTopic(alertsTopic)
        .deadLetterTopic(deadLetterTopic)
        .rulesTopic(rulesTopic)
        .ruleAcksTopic(ruleAcksTopic)
        .parallelism(parallelism)
        .checkpointInterval(checkpointInterval)
        .deliveryGuarantee(deliveryGuarantee)
        .transactionTimeout(transactionTimeout)
        .outOfOrderness(outOfOrderness)
        .idleness(idleness)
        .allowedLateness(allowedLateness)
        .ancestryDepth(ancestryDepth)
        .lineageGrace(lineageGrace)
        .bounded(bounded)
        .startFrom(startFrom)
        .checkpointDirectory(checkpointDirectory)
        .sigmaRules(sigmaRules)
        .inputBounds(inputBounds)
        .kafkaProperties(kafkaProperties);
  }

  public JobConfig withSigmaRules(SigmaRules rules) {
    return toBuilder().sigmaRules(rules).build();
  }

  public JobConfig withDelivery(DeliveryGuarantee guarantee) {
    return toBuilder().deliveryGuarantee(guarantee).build();
  }

  public JobConfig withBounded(boolean isBounded) {
    return toBuilder().bounded(isBounded).build();
  }

  public JobConfig withParallelism(int p) {
    return toBuilder().parallelism(p).build();
  }

  public JobConfig withCheckpointInterval(Duration interval) {
    return toBuilder().checkpointInterval(interval).build();
  }

  public JobConfig withGroupId(String id) {
    return toBuilder().groupId(id).build();
  }

  public JobConfig withCheckpointDirectory(String uri) {
    return toBuilder().checkpointDirectory(uri).build();
  }

  /**
   * The one home of the job's defaults: group {@code psfleet-detection}, the topics of {@link
   * Topics}, parallelism 2, 10-second checkpoints, exactly-once alerts in 10-minute transactions, 5
   * s of out-of-orderness, 30 s idleness, 10 minutes of allowed lateness, 8 ancestors, 10 minutes
   * of lineage grace, unbounded, from the earliest offset, {@link DetectionConfig#defaults()}, the
   * cluster's checkpoint directory, no Sigma rules, and {@link InputBounds#defaults()}.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String groupId = "psfleet-detection";
    private String telemetryTopic = Topics.TELEMETRY;
    private String alertsTopic = Topics.ALERTS;
    private String deadLetterTopic = Topics.DEAD_LETTER;
    private String rulesTopic = Topics.RULES;
    private String ruleAcksTopic = Topics.RULE_ACKS;
    private int parallelism = 2;
    private Duration checkpointInterval = Duration.ofSeconds(10);
    private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
    private Duration transactionTimeout = Duration.ofMinutes(10);
    private Duration outOfOrderness = Duration.ofSeconds(5);
    private Duration idleness = Duration.ofSeconds(30);
    private Duration allowedLateness = DEFAULT_ALLOWED_LATENESS;
    private int ancestryDepth = 8;
    private Duration lineageGrace = Duration.ofMinutes(10);
    private boolean bounded;
    private StartFrom startFrom = StartFrom.EARLIEST;
    private String checkpointDirectory = "";
    private SigmaRules sigmaRules = SigmaRules.defaultPack();
    private InputBounds inputBounds = InputBounds.defaults();
    private Map<String, String> kafkaProperties = Map.of();

    private Builder() {}

    public Builder bootstrapServers(String v) {
      bootstrapServers = v;
      return this;
    }

    public Builder groupId(String v) {
      groupId = v;
      return this;
    }

    public Builder telemetryTopic(String v) {
      telemetryTopic = v;
      return this;
    }

    public Builder alertsTopic(String v) {
      alertsTopic = v;
      return this;
    }

    public Builder deadLetterTopic(String v) {
      deadLetterTopic = v;
      return this;
    }

    public Builder rulesTopic(String v) {
      rulesTopic = v;
      return this;
    }

    public Builder ruleAcksTopic(String v) {
      ruleAcksTopic = v;
      return this;
    }

    public Builder parallelism(int v) {
      parallelism = v;
      return this;
    }

    public Builder checkpointInterval(Duration v) {
      checkpointInterval = v;
      return this;
    }

    public Builder deliveryGuarantee(DeliveryGuarantee v) {
      deliveryGuarantee = v;
      return this;
    }

    public Builder transactionTimeout(Duration v) {
      transactionTimeout = v;
      return this;
    }

    public Builder outOfOrderness(Duration v) {
      outOfOrderness = v;
      return this;
    }

    public Builder idleness(Duration v) {
      idleness = v;
      return this;
    }

    public Builder allowedLateness(Duration v) {
      allowedLateness = v;
      return this;
    }

    public Builder ancestryDepth(int v) {
      ancestryDepth = v;
      return this;
    }

    public Builder lineageGrace(Duration v) {
      lineageGrace = v;
      return this;
    }

    public Builder bounded(boolean v) {
      bounded = v;
      return this;
    }

    public Builder startFrom(StartFrom v) {
      startFrom = v;
      return this;
    }

    public Builder checkpointDirectory(String v) {
      checkpointDirectory = v;
      return this;
    }

    public Builder sigmaRules(SigmaRules v) {
      sigmaRules = v;
      return this;
    }

    public Builder inputBounds(InputBounds v) {
      inputBounds = v;
      return this;
    }

    public Builder kafkaProperties(Map<String, String> v) {
      kafkaProperties = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    public JobConfig build() {
      return new JobConfig(
          bootstrapServers,
          groupId,
          telemetryTopic,
          alertsTopic,
          deadLetterTopic,
          rulesTopic,
          ruleAcksTopic,
          parallelism,
          checkpointInterval,
          deliveryGuarantee,
          transactionTimeout,
          outOfOrderness,
          idleness,
          allowedLateness,
          ancestryDepth,
          lineageGrace,
          bounded,
          startFrom,
          checkpointDirectory,
          sigmaRules,
          inputBounds,
          kafkaProperties);
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
