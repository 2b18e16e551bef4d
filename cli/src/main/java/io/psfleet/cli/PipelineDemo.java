package io.psfleet.cli;

import io.psfleet.agent.cli.TransplantSpecs;
import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetProgress;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.UnreachableException;
import io.psfleet.commandline.UsageException;
import io.psfleet.harness.DetectionJobRun;
import io.psfleet.harness.GracefulStop;
import io.psfleet.harness.GroupLag;
import io.psfleet.harness.Recorder;
import io.psfleet.harness.RunLateness;
import io.psfleet.harness.ScratchDirectory;
import io.psfleet.harness.Settling;
import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.jobs.JobConfig;
import io.psfleet.jobs.io.InputBounds;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.kafka.TopicSetupException;
import io.psfleet.schema.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./psfleet demo}: the whole pipeline on one machine. An embedded Kafka broker, the
 * detection job in a Flink MiniCluster (web UI on a printed local address), and the simulator with
 * every scenario; live progress while it runs, then alerts by rule and technique and, for each
 * injected scenario, whether and how fast it was detected.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Runs the whole pipeline on this machine: an embedded Kafka broker, the detection job in a"
          + " Flink MiniCluster (with its web UI), and the simulator with every attack and"
          + " look-alike injected.",
      "Shows progress, then alerts by rule and, for each scenario, whether and how fast it was"
          + " detected. The defaults take about a minute."
    })
final class PipelineDemo implements Callable<Integer> {
  /** How soon the job of a run finds a telemetry partition idle (no host of the run writes it). */
  static final Duration RUN_IDLENESS = Duration.ofSeconds(3);

  /** The longest a busy machine is expected to hold part of a run's telemetry back. */
  static final Duration RUN_STALL = Duration.ofMinutes(1);

  private final PrintStream out;

  @Mixin PipelineOptions options = new PipelineOptions();

  PipelineDemo(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    boolean[] interrupted = {false};
    runPipeline(
        options,
        "demo",
        (bootstrap, since, result, alerts, stopped) -> {
          interrupted[0] = stopped;
          printSummary(result, alerts);
        });
    return interrupted[0] ? Commands.INTERRUPTED : Commands.OK;
  }

  /** What a caller does with a finished run while the broker still holds its topics. */
  @FunctionalInterface
  interface Observer {
    /**
     * @param sinceMillis when the run began: on an external cluster, older records belong to
     *     earlier runs
     * @param interrupted Ctrl-C ended the run early: the outcome covers what was injected so far
     */
    void finished(
        String bootstrap,
        long sinceMillis,
        GroundTruthJoin.Result result,
        List<AlertRecord> alerts,
        boolean interrupted)
        throws Exception;
  }

  /**
   * Starts the broker and the job, runs the simulator, waits for the last alerts, then hands the
   * joined outcome to {@code observer} before everything stops. Ctrl-C stops the simulator and
   * still hands over the outcome so far (with a shorter wait for the last alerts).
   */
  void runPipeline(PipelineOptions options, String command, Observer observer) throws Exception {
    try (GracefulStop stop = GracefulStop.install(out, command)) {
      runPipeline(options, command, observer, stop);
    }
  }

  private void runPipeline(
      PipelineOptions options, String command, Observer observer, GracefulStop stop)
      throws Exception {
    FleetAssets assets = FleetAssets.create();
    FleetConfig fleetConfig;
    try {
      fleetConfig =
          options.fleet.toBuilder(assets.scenarios()).start(Instant.now()).threads(1).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    TransplantSpecs.describe(fleetConfig.transplants(), out);
    int parallelism = options.parallelism;
    List<String> jobOptions = new ArrayList<>(options.jobOptions());
    // The fleet starts now and, flat out or sped up, its event time runs ahead of the wall clock
    // (the records' Kafka timestamps) by up to its whole span: the job must not take its own
    // fleet's later events for forged future ones (FUTURE_TIME dead letters).
    jobOptions.addAll(
        List.of(
            "--max-event-time-ahead",
            Durations.format(
                InputBounds.DEFAULT_MAX_EVENT_TIME_AHEAD.plus(fleetConfig.duration()))));
    // Correlation rules judge events once the watermark passes them, and a telemetry partition
    // none of the run's hosts writes to holds the watermark back until it is found idle: found
    // after the job's usual 30 s, a short run would end before any correlation could alert.
    jobOptions.addAll(List.of("--idleness", Durations.format(RUN_IDLENESS)));
    // A stall of the busy machine makes the sped-up fleet's events late by many times as much.
    jobOptions.addAll(
        List.of(
            "--allowed-lateness",
            Durations.format(
                RunLateness.of(
                    fleetConfig.speedup(),
                    fleetConfig.duration(),
                    RUN_STALL,
                    JobConfig.DEFAULT_ALLOWED_LATENESS))));
    String externalKafka = options.bootstrap;
    // --kafka-config: every client of the run (topic set-up, publisher, job, recorder) uses it.
    Map<String, Object> clientSettings = options.kafka.config().clientSettings();
    URI flink = options.flinkUri();
    int webUiPort = options.webUiPort();
    out.println(
        "psfleet "
            + command
            + ": "
            + (externalKafka == null
                ? "starting an embedded Kafka broker (KRaft) ..."
                : "using Kafka at " + externalKafka));
    // Records from earlier runs on an external cluster are no part of this one.
    long since = System.currentTimeMillis();
    String group = "psfleet-" + command + "-" + since;
    // Checkpoints on disk: Flink's in-memory fallback refuses state above 5 MB (large fleets).
    try (ScratchDirectory checkpoints = new ScratchDirectory("psfleet-demo-checkpoints");
        EmbeddedKafka kafka =
            externalKafka != null
                ? null
                : EmbeddedKafka.start(EmbeddedKafka.Config.defaults().withoutDeleteOnExit())) {
      String bootstrap = kafka != null ? kafka.bootstrapServers() : externalKafka;
      try {
        TopicSetup.ensureTopics(
            bootstrap,
            clientSettings,
            Duration.ofSeconds(externalKafka == null ? 30 : 10),
            TopicSetup.projectTopics());
      } catch (TopicSetupException e) {
        if (externalKafka == null) {
          throw e;
        }
        throw new UnreachableException(e.getMessage() + " (--bootstrap)", e);
      }
      List<String> jobArgs =
          new ArrayList<>(
              List.of(
                  "--bootstrap",
                  bootstrap,
                  "--group-id",
                  group,
                  "--start-from",
                  // On a topic with history, this run's records only.
                  externalKafka == null ? "earliest" : Instant.ofEpochMilli(since).toString()));
      jobArgs.addAll(jobOptions);
      try (DetectionJobRun job =
          flink == null
              ? DetectionJobRun.local(jobArgs, checkpoints.uri(), freePort(webUiPort))
              : DetectionJobRun.remote(
                  flink, options.jobJar, jobArgs, parallelism, checkpoints.uri())) {
        out.printf("psfleet %s: Kafka at %s; %s%n", command, bootstrap, job.where());
        try (Recorder recorder = new Recorder(bootstrap, clientSettings, since, out)) {
          Fleet fleet;
          try (KafkaTelemetryPublisher publisher =
              new KafkaTelemetryPublisher(
                  KafkaPublisherConfig.of(bootstrap)
                      .withOverrides(options.kafka.config().properties()))) {
            fleet =
                new Fleet(
                    fleetConfig,
                    assets,
                    publisher,
                    null,
                    RecordFormat.AVRO,
                    p -> out.println(progress(p, recorder.alertsByRule())));
            stop.onStop(fleet::stop);
            out.printf(
                "psfleet "
                    + command
                    + ": %d hosts, %s simulated at %sx, %d scenario instances (%s)%n",
                fleetConfig.hosts(),
                Durations.format(fleetConfig.duration()),
                fleetConfig.speedup(),
                fleet.plan().instances(),
                fleet.plan().injections().stream()
                    .map(i -> i.scenario().name())
                    .distinct()
                    .collect(Collectors.joining(", ")));
            fleet.run();
          }
          boolean interrupted = stop.requested();
          if (interrupted) {
            TimeUnit.SECONDS.sleep(1); // the ground truth of the last tick reaches its reader
          }
          long planned =
              fleet.plan().injections().stream()
                  .filter(i -> i.scenario().attack())
                  .map(i -> i.scenarioId())
                  .distinct()
                  .count();
          Settling.Deadline deadline =
              new Settling.Deadline(
                  Settling.waitFor(options.settle, interrupted), System.nanoTime());
          try (Admin admin = Admin.create(adminSettings(bootstrap, clientSettings))) {
            while (true) {
              GroundTruthJoin.Result partial = recorder.join();
              // After Ctrl-C the wait is short and fixed: the job's lag extends nothing.
              long lag = interrupted ? -1 : jobLag(admin, group);
              out.printf(
                  "[settling] attacks detected %d of %d | job behind by %s | alerts %s%n",
                  Settling.attacksDetected(partial),
                  Settling.attacksExpected(partial, planned, interrupted),
                  lag < 0 ? "?" : String.format(Locale.ROOT, "%,d records", lag),
                  alertSummary(recorder.alertsByRule()));
              if (Settling.settled(partial, planned, interrupted)
                  || !deadline.waiting(lag, System.nanoTime())) {
                break;
              }
              TimeUnit.SECONDS.sleep(2);
            }
          }
          try {
            String warning = job.end(externalKafka != null);
            if (warning != null) {
              out.println("psfleet " + command + ": " + warning);
            }
          } catch (Exception e) {
            if (!stop.requested()) {
              throw e;
            }
            // Ctrl-C: Flink's own shutdown hooks may have ended the MiniCluster already.
          }
          observer.finished(bootstrap, since, recorder.join(), recorder.alerts(), stop.requested());
        }
      }
    }
  }

  /** The job's lag on the telemetry, or -1 when Kafka does not say (the wait is then fixed). */
  private static long jobLag(Admin admin, String group) {
    try {
      return GroupLag.of(admin, group, Topics.TELEMETRY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private static Map<String, Object> adminSettings(
      String bootstrap, Map<String, Object> clientSettings) {
    Map<String, Object> settings = new java.util.HashMap<>(clientSettings);
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return settings;
  }

  private static String progress(FleetProgress p, Map<String, Long> byRule) {
    long sim = p.simulatedNanos() / 1_000_000_000L;
    return String.format(
        Locale.ROOT,
        "[%6.1fs] simulated %02d:%02d | events %,d (%,.0f/s) | ground truth %d | alerts %s",
        p.wallNanos() / 1e9,
        sim / 60,
        sim % 60,
        p.events(),
        p.eventsPerSecond(),
        p.groundTruths(),
        alertSummary(byRule));
  }

  /** The alerts by rule, or with many rules (a Sigma rule set) their count and the top few. */
  static String alertSummary(Map<String, Long> byRule) {
    if (byRule.isEmpty()) {
      return "none yet";
    }
    if (byRule.size() <= 8) {
      return byRule.toString();
    }
    long total = byRule.values().stream().mapToLong(Long::longValue).sum();
    return total
        + " from "
        + byRule.size()
        + " rules, most "
        + byRule.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(3)
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
  }

  private void printSummary(GroundTruthJoin.Result result, List<AlertRecord> alerts) {
    out.println();
    out.println("Alerts by rule and technique:");
    Map<String, Long> counts = new TreeMap<>();
    for (AlertRecord alert : alerts) {
      counts.merge(alert.ruleId() + "  " + alert.technique(), 1L, Long::sum);
    }
    if (counts.isEmpty()) {
      out.println("  (none)");
    }
    counts.forEach((rule, n) -> out.printf("  %-28s %5d%n", rule, n));
    out.println();
    out.println("Injected scenarios:");
    out.printf(
        "  %-40s %-10s %-8s %-10s %s%n",
        "scenario", "technique", "kind", "result", "time to alert");
    int missed = 0;
    int falsePositives = 0;
    for (GroundTruthJoin.Instance i : result.instances()) {
      String verdict;
      if (i.attack()) {
        verdict = i.alerted() ? "DETECTED" : "MISSED";
        missed += i.alerted() ? 0 : 1;
      } else {
        verdict = i.alerted() ? "FALSE POS" : "quiet";
        falsePositives += i.alerted() ? 1 : 0;
      }
      out.printf(
          Locale.ROOT,
          "  %-40s %-10s %-8s %-10s %s%n",
          i.scenarioId(),
          i.technique(),
          i.attack() ? "attack" : "benign",
          verdict,
          i.timeToAlertMillis() == null
              ? ""
              : String.format(Locale.ROOT, "%.1f s", i.timeToAlertMillis() / 1000.0));
    }
    out.println();
    out.printf(
        "%d attacks missed, %d look-alikes alerted, %d alerts explained by no attack%n",
        missed, falsePositives, result.unexplainedAlerts().size());
  }

  private static int freePort(int from) {
    for (int port = from; port < from + 50; port++) {
      try (ServerSocket socket = new ServerSocket(port)) {
        return port;
      } catch (IOException e) {
        // taken; try the next
      }
    }
    throw new UsageException(
        "no free port for the Flink web UI in "
            + from
            + ".."
            + (from + 49)
            + "; pass --web-ui-port");
  }
}
