package io.psfleet.jobs;

import io.psfleet.jobs.detect.DetectionConfig;
import io.psfleet.schema.Topics;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;

/**
 * The detection job's settings, typed and checked where they are parsed.
 *
 * @param transactionTimeout the exactly-once sink's Kafka transaction timeout; must stay at or
 *     below the brokers' {@code transaction.max.timeout.ms} (15 min by default), or every
 *     transaction fails (../shared/STACK.md pitfall 2)
 * @param bounded read the telemetry topic up to its end offsets at start, then finish (benchmarks,
 *     tests); otherwise run forever
 * @param startFrom where a job without state begins reading
 * @param detection thresholds, windows and name lists of the detections
 * @param checkpointDirectory where checkpoints go (a file:// or s3:// URI), or empty for the
 *     cluster's setting; Flink's fallback keeps checkpoints in the JobManager's memory, which
 *     refuses state above 5 MB, so local runs over many hosts need a directory
 */
public record JobConfig(
    String bootstrapServers,
    String groupId,
    String telemetryTopic,
    String alertsTopic,
    String deadLetterTopic,
    int parallelism,
    Duration checkpointInterval,
    DeliveryGuarantee deliveryGuarantee,
    Duration transactionTimeout,
    Duration outOfOrderness,
    Duration idleness,
    int ancestryDepth,
    Duration lineageGrace,
    boolean bounded,
    StartFrom startFrom,
    DetectionConfig detection,
    String checkpointDirectory) {

  public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  /** Every option the job takes, with its default and meaning: the job's --help. */
  static final Map<String, String[]> OPTIONS = options();

  public JobConfig {
    require(
        bootstrapServers != null && !bootstrapServers.isBlank(),
        "--bootstrap is required (host:port of a Kafka broker)");
    require(parallelism >= 1, "--parallelism must be at least 1");
    require(
        !checkpointInterval.isNegative() && !checkpointInterval.isZero(),
        "--checkpoint-interval must be positive");
    require(
        transactionTimeout.compareTo(MAX_TRANSACTION_TIMEOUT) <= 0
            && transactionTimeout.compareTo(checkpointInterval) > 0,
        "--transaction-timeout must lie between the checkpoint interval and 15m (the brokers' transaction.max.timeout.ms)");
    require(ancestryDepth >= 1 && ancestryDepth <= 64, "--ancestry-depth must be 1..64");
    Objects.requireNonNull(startFrom, "startFrom");
  }

  /** Defaults for a job reading {@code bootstrap}. */
  public static JobConfig defaults(String bootstrap) {
    return fromArgs(new String[] {"--bootstrap", bootstrap});
  }

  public static JobConfig fromArgs(String[] args) {
    ParameterTool p = ParameterTool.fromArgs(args);
    Set<String> unknown = new java.util.TreeSet<>(p.toMap().keySet());
    unknown.removeAll(OPTIONS.keySet());
    unknown.remove("help");
    require(unknown.isEmpty(), "unknown option(s) " + unknown + "; see --help");
    return new JobConfig(
        p.get("bootstrap"),
        get(p, "group-id"),
        get(p, "telemetry-topic"),
        get(p, "alerts-topic"),
        get(p, "dead-letter-topic"),
        integer(p, "parallelism"),
        duration(p, "checkpoint-interval"),
        guarantee(get(p, "delivery")),
        duration(p, "transaction-timeout"),
        duration(p, "out-of-orderness"),
        duration(p, "idleness"),
        integer(p, "ancestry-depth"),
        duration(p, "lineage-grace"),
        Boolean.parseBoolean(get(p, "bounded")),
        StartFrom.parse(get(p, "start-from")),
        DetectionConfig.defaults()
            .withInjectionWindow(duration(p, "injection-window"))
            .withFleet(integer(p, "fleet-hosts"), duration(p, "fleet-window")),
        get(p, "checkpoint-dir"));
  }

  public JobConfig withDelivery(DeliveryGuarantee guarantee) {
    return new JobConfig(
        bootstrapServers,
        groupId,
        telemetryTopic,
        alertsTopic,
        deadLetterTopic,
        parallelism,
        checkpointInterval,
        guarantee,
        transactionTimeout,
        outOfOrderness,
        idleness,
        ancestryDepth,
        lineageGrace,
        bounded,
        startFrom,
        detection,
        checkpointDirectory);
  }

  public JobConfig withBounded(boolean isBounded) {
    return new JobConfig(
        bootstrapServers,
        groupId,
        telemetryTopic,
        alertsTopic,
        deadLetterTopic,
        parallelism,
        checkpointInterval,
        deliveryGuarantee,
        transactionTimeout,
        outOfOrderness,
        idleness,
        ancestryDepth,
        lineageGrace,
        isBounded,
        startFrom,
        detection,
        checkpointDirectory);
  }

  public JobConfig withParallelism(int p) {
    return new JobConfig(
        bootstrapServers,
        groupId,
        telemetryTopic,
        alertsTopic,
        deadLetterTopic,
        p,
        checkpointInterval,
        deliveryGuarantee,
        transactionTimeout,
        outOfOrderness,
        idleness,
        ancestryDepth,
        lineageGrace,
        bounded,
        startFrom,
        detection,
        checkpointDirectory);
  }

  public JobConfig withCheckpointInterval(Duration interval) {
    return new JobConfig(
        bootstrapServers,
        groupId,
        telemetryTopic,
        alertsTopic,
        deadLetterTopic,
        parallelism,
        interval,
        deliveryGuarantee,
        transactionTimeout,
        outOfOrderness,
        idleness,
        ancestryDepth,
        lineageGrace,
        bounded,
        startFrom,
        detection,
        checkpointDirectory);
  }

  public JobConfig withGroupId(String id) {
    return new JobConfig(
        bootstrapServers,
        id,
        telemetryTopic,
        alertsTopic,
        deadLetterTopic,
        parallelism,
        checkpointInterval,
        deliveryGuarantee,
        transactionTimeout,
        outOfOrderness,
        idleness,
        ancestryDepth,
        lineageGrace,
        bounded,
        startFrom,
        detection,
        checkpointDirectory);
  }

  public JobConfig withCheckpointDirectory(String uri) {
    return new JobConfig(
        bootstrapServers,
        groupId,
        telemetryTopic,
        alertsTopic,
        deadLetterTopic,
        parallelism,
        checkpointInterval,
        deliveryGuarantee,
        transactionTimeout,
        outOfOrderness,
        idleness,
        ancestryDepth,
        lineageGrace,
        bounded,
        startFrom,
        detection,
        uri);
  }

  /** The --help text. */
  public static String help() {
    StringBuilder out = new StringBuilder("Options of the psfleet detection job (--name value):\n");
    OPTIONS.forEach(
        (name, v) -> out.append(String.format("  --%-22s %s (default: %s)%n", name, v[1], v[0])));
    return out.toString();
  }

  private static Map<String, String[]> options() {
    Map<String, String[]> o = new TreeMap<>();
    o.put("bootstrap", new String[] {"(required)", "Kafka bootstrap servers"});
    o.put("group-id", new String[] {"psfleet-detection", "consumer group of the telemetry source"});
    o.put("telemetry-topic", new String[] {Topics.TELEMETRY, "topic to read telemetry from"});
    o.put("alerts-topic", new String[] {Topics.ALERTS, "topic to write OCSF alerts to"});
    o.put(
        "dead-letter-topic",
        new String[] {Topics.DEAD_LETTER, "topic for records that cannot be decoded"});
    o.put("parallelism", new String[] {"2", "operator parallelism"});
    o.put(
        "checkpoint-interval",
        new String[] {"10s", "checkpoint interval (alerts commit at checkpoints)"});
    o.put(
        "delivery", new String[] {"exactly-once", "alert delivery: exactly-once or at-least-once"});
    o.put("transaction-timeout", new String[] {"10m", "Kafka transaction timeout, at most 15m"});
    o.put("out-of-orderness", new String[] {"5s", "event-time disorder tolerated across hosts"});
    o.put(
        "idleness",
        new String[] {"30s", "a partition quiet this long stops holding the watermark back"});
    o.put("ancestry-depth", new String[] {"8", "ancestors carried by each event"});
    o.put(
        "lineage-grace",
        new String[] {"10m", "how long an exited process stays in the process table"});
    o.put("bounded", new String[] {"false", "read the topic to its current end, then finish"});
    o.put(
        "start-from",
        new String[] {
          "earliest",
          "with no committed offsets: earliest or latest; or an instant (2026-11-24T08:00:00Z):"
              + " from there, committed offsets ignored"
        });
    o.put(
        "injection-window",
        new String[] {"30s", "how long after a remote thread a load in its target counts"});
    o.put(
        "fleet-hosts",
        new String[] {"5", "hosts one rare module must reach to raise the fleet alert"});
    o.put("fleet-window", new String[] {"15m", "within how long those hosts must load it"});
    o.put(
        "checkpoint-dir",
        new String[] {"", "checkpoint directory URI (empty: the cluster's setting)"});
    return o;
  }

  private static String get(ParameterTool p, String name) {
    return p.get(name, OPTIONS.get(name)[0]);
  }

  private static int integer(ParameterTool p, String name) {
    String text = get(p, name);
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be a whole number, got '" + text + "'");
    }
  }

  static Duration duration(ParameterTool p, String name) {
    String text = get(p, name).trim().toLowerCase(Locale.ROOT);
    try {
      long amount =
          Long.parseLong(text.substring(0, text.length() - (text.endsWith("ms") ? 2 : 1)));
      if (text.endsWith("ms")) {
        return Duration.ofMillis(amount);
      }
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        default -> Duration.parse(text.toUpperCase(Locale.ROOT));
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be a duration such as 500ms, 10s, 5m or 1h, got '" + text + "'");
    }
  }

  private static DeliveryGuarantee guarantee(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
      case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
      default ->
          throw new IllegalArgumentException(
              "--delivery must be exactly-once or at-least-once, got '" + text + "'");
    };
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
