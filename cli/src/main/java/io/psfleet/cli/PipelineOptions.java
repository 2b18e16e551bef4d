package io.psfleet.cli;

import io.psfleet.agent.cli.FleetOptions;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.KafkaConfigOption;
import io.psfleet.commandline.UnreachableException;
import io.psfleet.commandline.UsageException;
import io.psfleet.harness.FlinkRest;
import io.psfleet.jobs.JobCommand;
import io.psfleet.jobs.JobConfig;
import io.psfleet.jobs.RulesOption;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every local pipeline run takes ({@code demo}, {@code detect-test}): the fleet, the job's
 * run-time settings, and where Kafka and Flink are.
 */
public final class PipelineOptions {
  /** How long a run waits after the simulation for the last alerts. */
  public static final Duration SETTLE = Duration.ofSeconds(40);

  @Mixin FleetOptions fleet = new FleetOptions(FleetOptions.PIPELINE);

  @Mixin RulesOption rules = new RulesOption();
  @Mixin KafkaConfigOption kafka = new KafkaConfigOption();

  @Option(names = "--parallelism", paramLabel = "N", description = "Flink operator parallelism")
  int parallelism = JobConfig.builder().bootstrapServers("unset:0").build().parallelism();

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "checkpoint interval; exactly-once alerts appear at checkpoints")
  Duration checkpointInterval = JobConfig.INTERACTIVE_CHECKPOINT_INTERVAL;

  @Option(
      names = "--delivery",
      paramLabel = "MODE",
      converter = JobCommand.DeliveryConverter.class,
      description = "alert delivery: exactly-once or at-least-once")
  DeliveryGuarantee delivery = DeliveryGuarantee.EXACTLY_ONCE;

  @Option(
      names = "--web-ui-port",
      paramLabel = "PORT",
      description = "first port to try for the MiniCluster's web UI (1024-65000; not with --flink)")
  int webUiPort = 8081;

  @Option(
      names = "--settle",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description =
          "how long to wait for the last alerts once the simulation is done and the job has"
              + " caught up with the telemetry (waiting goes on while the job's lag shrinks)")
  Duration settle = SETTLE;

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description =
          "an existing Kafka cluster to use instead of the embedded broker (topics are created if"
              + " missing; records older than the run are ignored)")
  String bootstrap;

  @Option(
      names = "--flink",
      paramLabel = "URL",
      description =
          "a running Flink cluster's REST address (e.g. http://127.0.0.1:8081): the job jar is"
              + " submitted there instead of to a MiniCluster in this JVM; it must reach Kafka")
  String flink;

  @Option(
      names = "--job-jar",
      paramLabel = "FILE",
      description = "the job jar --flink uploads (used with --flink only)")
  Path jobJar = DEFAULT_JOB_JAR;

  /** The job jar {@code --flink} uploads unless {@code --job-jar} names another. */
  static final Path DEFAULT_JOB_JAR =
      Path.of(System.getProperty("psfleet.home", "."), "stream-jobs/target/psfleet-jobs.jar");

  /** The job's options, checked now as the job will check them. */
  List<String> jobOptions() {
    if (parallelism < 1 || parallelism > 64) {
      throw new UsageException("--parallelism must be between 1 and 64, got " + parallelism);
    }
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--parallelism",
                Integer.toString(parallelism),
                "--checkpoint-interval",
                Durations.format(checkpointInterval),
                "--delivery",
                delivery == DeliveryGuarantee.EXACTLY_ONCE ? "exactly-once" : "at-least-once"));
    if (kafka.config().source() != null) {
      args.addAll(List.of("--kafka-config", kafka.config().source().toString()));
    }
    try {
      args.addAll(rules.jobArgs());
      List<String> probe = new java.util.ArrayList<>(List.of("--bootstrap", "127.0.0.1:9092"));
      probe.addAll(args);
      JobConfig.fromArgs(probe.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return List.copyOf(args);
  }

  /** The Flink REST address, or null for a MiniCluster here. */
  URI flinkUri() {
    return flinkUri(flink, jobJar);
  }

  /**
   * {@code --flink}'s REST address, checked: a Flink REST API answers there and {@code jobJar},
   * which it will upload, exists. Null when {@code flink} is.
   */
  static URI flinkUri(String flink, Path jobJar) {
    if (flink == null) {
      return null;
    }
    URI uri = flinkAddress(flink);
    if (!Files.isRegularFile(jobJar)) {
      throw new UsageException(
          "--flink uploads the job jar, but "
              + jobJar
              + " does not exist: build it (./mvnw -B -DskipTests install) or pass --job-jar");
    }
    try {
      new FlinkRest(uri).overview();
    } catch (java.io.IOException e) {
      throw new UnreachableException("no Flink REST API answers at " + uri + " (--flink): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while reaching Flink at " + uri, e);
    }
    return uri;
  }

  /** {@code --flink}'s value as a REST address, checked for its form only. */
  static URI flinkAddress(String flink) {
    URI uri;
    try {
      uri = new URI(flink);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !List.of("http", "https").contains(uri.getScheme())) {
      throw new UsageException(
          "--flink must be a REST address such as http://127.0.0.1:8081, got '" + flink + "'");
    }
    return uri;
  }

  int webUiPort() {
    if (webUiPort < 1024 || webUiPort > 65000) {
      throw new UsageException("--web-ui-port must be between 1024 and 65000, got " + webUiPort);
    }
    return webUiPort;
  }

  /** The options as a report records them. */
  Map<String, String> describe() {
    Map<String, String> c = new LinkedHashMap<>(fleet.describe());
    c.put("parallelism", Integer.toString(parallelism));
    c.put("checkpoint-interval", Durations.format(checkpointInterval));
    c.put(
        "delivery", delivery == DeliveryGuarantee.EXACTLY_ONCE ? "exactly-once" : "at-least-once");
    c.put("settle", Durations.format(settle));
    if (!rules.paths().isEmpty()) {
      c.put("sigma rules", rules.paths().toString());
    }
    c.put("kafka cluster", bootstrap == null ? "embedded broker" : bootstrap);
    c.put("flink cluster", flink == null ? "MiniCluster in this JVM" : flink);
    return c;
  }
}
