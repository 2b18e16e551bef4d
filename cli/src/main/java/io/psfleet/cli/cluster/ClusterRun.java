package io.psfleet.cli.cluster;

import io.psfleet.commandline.Durations;
import io.psfleet.harness.FlinkRestException;
import io.psfleet.harness.Settling;
import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.DetectionReport;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.harness.report.ReportFiles;
import io.psfleet.harness.report.RunFacts;
import io.psfleet.harness.report.TelemetryScan;
import io.psfleet.kafka.TopicReader;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import io.psfleet.schema.Topics;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * One end-to-end run on a real multi-process cluster: three KRaft brokers, a standalone Flink
 * cluster with the job jar submitted over REST, simulator shards as separate processes; optionally
 * one broker killed mid-run. When the shards have ended and the last alerts are in, it checks that
 * nothing was lost (every shard's delivered records on the topic, sequence numbers without gaps or
 * duplicates, every injected attack alerted exactly once per alert id), writes the detection
 * report, and stops every process it started.
 */
public final class ClusterRun {
  private static final String MARKER = ".psfleet-cluster";
  private static final Duration GRACE = Duration.ofSeconds(15);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  /**
   * What a finished run saw.
   *
   * @param report the detection report (also written to the settings' out folder)
   * @param shards each shard's publisher summary
   * @param restarts how often the job restarted (a killed broker may cost one)
   * @param duplicateAlerts alert records whose id was already seen (exactly-once broken)
   * @param killedBroker the broker killed mid-run, or 0
   * @param afterKill the attacks injected after the kill and what became of them
   * @param problems what failed the run; empty when it passed
   */
  public record Outcome(
      DetectionReport report,
      List<ShardSummary> shards,
      long restarts,
      int duplicateAlerts,
      int killedBroker,
      AfterKill afterKill,
      List<String> problems) {
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  /**
   * Attacks whose ground-truth record was produced (Kafka create time) after the broker died, and
   * how many of them were alerted.
   */
  public record AfterKill(int injected, int detected) {}

  private final ClusterHome home;
  private final ClusterSettings settings;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private final List<Daemon> shards = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile ProcessLedger ledger;
  private volatile KafkaCluster kafka;
  private volatile FlinkCluster flink;
  private volatile boolean interrupted;
  private long killedAtMillis;

  public ClusterRun(Path checkout, ClusterSettings settings, PrintStream out) {
    this.home = ClusterHome.locate(checkout);
    this.settings = settings;
    this.out = out;
  }

  /** Ends the processes an earlier run left behind (its orchestrator was killed). */
  public static List<String> stopLeftovers(Path dir) throws InterruptedException {
    return ProcessLedger.stopAll(dir.resolve("pids"), GRACE).stream()
        .map(e -> e.name() + " (pid " + e.pid() + ")")
        .toList();
  }

  public Outcome run() throws Exception {
    Path dir = settings.dir();
    prepare(dir);
    ledger = new ProcessLedger(dir.resolve("pids"));
    Thread onCtrlC = new Thread(this::stopQuietly, "psfleet-cluster-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    boolean passed = false;
    try {
      Outcome outcome = runCluster(dir);
      passed = outcome.passed();
      return outcome;
    } catch (RuntimeException e) {
      if (interrupted) {
        // What failed is the processes Ctrl-C stopped under the run: say that, not the symptom.
        throw new ClusterException("interrupted (Ctrl-C); every process it started is stopped", e);
      }
      throw e;
    } finally {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is stopping everything
      }
      if (passed && !settings.keep()) {
        delete(dir);
        say("stopped every process; removed " + dir);
      } else {
        say("stopped every process; logs and data kept in " + dir);
      }
    }
  }

  private Outcome runCluster(Path dir) throws Exception {
    Path log4j = writeLog4j(dir);
    say("starting " + settings.brokers() + " Kafka brokers (KRaft, separate JVMs) ...");
    kafka =
        KafkaCluster.start(home, ledger, dir, settings.brokers(), log4j, settings.startTimeout());
    String bootstrap = kafka.bootstrap();
    say(
        "Kafka up at %s: topics with replication factor %d, min.insync.replicas %d (pids %s)",
        bootstrap,
        settings.brokers(),
        Math.min(KafkaCluster.MIN_IN_SYNC_REPLICAS, settings.brokers()),
        pids(kafka.daemons()));

    say("starting Flink: a JobManager and %d TaskManager(s) ...", settings.taskManagers());
    flink =
        FlinkCluster.start(
            home,
            ledger,
            dir.resolve("flink"),
            settings.taskManagers(),
            settings.slots(),
            log4j,
            settings.startTimeout());
    say("Flink up: web UI and REST at %s (pids %s)", flink.rest().base(), pids(flink.daemons()));

    String jobId = submitJob(bootstrap, dir);
    startShards(bootstrap, dir);
    int killed = watchShards(bootstrap, jobId);
    List<ShardSummary> summaries = shardSummaries();

    List<GroundTruthJoin.Truth> truths = readTruths(bootstrap);
    long attacks =
        truths.stream()
            .filter(t -> t.record().getLabel() == GroundTruthLabel.ATTACK)
            .map(t -> t.record().getScenarioId().toString())
            .distinct()
            .count();
    List<AlertRecord> alerts = settle(bootstrap, truths, attacks);
    GroundTruthJoin.Result result = GroundTruthJoin.join(truths, alerts);
    long restarts = flink.rest().restarts(jobId);
    String failure = flink.rest().rootException(jobId);
    Set<String> evidence = new HashSet<>();
    alerts.forEach(a -> evidence.addAll(a.evidenceEventIds()));
    TelemetryScan scan = TelemetryScan.read(bootstrap, Topics.TELEMETRY, evidence);
    DetectionReport report =
        DetectionReport.build(
            configuration(), result, alerts, scan.evidenceTimes(), scan.hosts(), hostHours());
    ReportFiles.write(report, settings.out());
    out.println();
    ReportFiles.printTable(report, out);

    int duplicateAlerts =
        alerts.size() - (int) alerts.stream().map(AlertRecord::uid).distinct().count();
    AfterKill afterKill = attacksAfterKill(result, truths);
    List<String> problems =
        ClusterVerdict.problems(
            summaries,
            scan.hosts(),
            report,
            duplicateAlerts,
            settings.killBroker(),
            settings.killAfter(),
            killed,
            afterKill);
    printVerdict(
        summaries, scan.hosts(), alerts.size(), duplicateAlerts, restarts, killed, afterKill);
    if (restarts > 0 && !failure.isEmpty()) {
      out.println("the job's latest failure (it recovered from its last checkpoint):");
      out.println("  " + failure.lines().findFirst().orElse(""));
    }
    problems.forEach(p -> out.println("PROBLEM: " + p));
    out.printf(
        "%s Report: %s and %s%n",
        problems.isEmpty() ? "PASSED." : "FAILED.",
        settings.out().resolve("report.json"),
        settings.out().resolve("report.html"));
    flink.rest().cancel(jobId);
    return new Outcome(report, summaries, restarts, duplicateAlerts, killed, afterKill, problems);
  }

  private String submitJob(String bootstrap, Path dir) throws Exception {
    say("uploading %s to the JobManager ...", home.jobJar().getFileName());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap",
                bootstrap,
                "--parallelism",
                Integer.toString(settings.parallelism()),
                "--checkpoint-interval",
                settings.checkpointInterval().toMillis() + "ms",
                "--checkpoint-dir",
                dir.resolve("checkpoints").toUri().toString()));
    args.addAll(settings.jobExtraArgs());
    try {
      String jobId =
          flink.rest().submit(home.jobJar(), args, settings.parallelism(), settings.startTimeout());
      say("job %s RUNNING with parallelism %d", jobId, settings.parallelism());
      return jobId;
    } catch (ClusterException | FlinkRestException e) {
      throw new ClusterException(e.getMessage() + "\nlogs: " + dir.resolve("flink/logs"), e);
    }
  }

  private void startShards(String bootstrap, Path dir) {
    // Every shard must simulate the same fleet: one start instant for all, fixed here.
    String start = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    for (int k = 1; k <= settings.shards(); k++) {
      List<String> args = new ArrayList<>(List.of("simulate", "--bootstrap", bootstrap));
      args.addAll(List.of("--shard", k + "/" + settings.shards(), "--start", start));
      args.addAll(List.of("--summary", summaryFile(k).toString()));
      args.addAll(settings.fleetArgs());
      shards.add(
          Daemon.start(
              "simulator-" + k,
              home.javaCommand(
                  home.agentJar(),
                  dir.resolve("tmp"),
                  List.of("-XX:+UseParallelGC", "-Xmx768m"),
                  "io.psfleet.agent.cli.PsfleetApp",
                  args),
              dir.resolve("simulator-" + k + ".log"),
              ledger));
    }
    say("started %d simulator shards (pids %s)", settings.shards(), pids(shards));
  }

  /** Progress every few seconds until every shard has ended; kills the broker when it is time. */
  private int watchShards(String bootstrap, String jobId) throws Exception {
    long killAt = System.nanoTime() + settings.killAfter().toNanos();
    int killed = 0;
    try (Admin admin = KafkaCluster.admin(bootstrap)) {
      while (shards.stream().anyMatch(Daemon::alive)) {
        if (settings.killBroker() > 0 && killed == 0 && System.nanoTime() >= killAt) {
          Daemon victim = kafka.kill(settings.killBroker());
          killed = settings.killBroker();
          killedAtMillis = System.currentTimeMillis();
          say("KILLED %s with SIGKILL: the pipeline must carry on without it", victim);
        }
        long telemetry = records(admin, Topics.TELEMETRY);
        say(
            "shards running %d of %d | telemetry records %s | alerts %s | job %s",
            shards.stream().filter(Daemon::alive).count(),
            shards.size(),
            telemetry < 0 ? "? (no answer)" : String.format(Locale.ROOT, "%,d", telemetry),
            alertCount(bootstrap),
            jobProgress(jobId));
        // Wake for the kill on time, not at the next progress line.
        long untilKill =
            settings.killBroker() > 0 && killed == 0
                ? Math.max(0, killAt - System.nanoTime())
                : Long.MAX_VALUE;
        Duration wait = Duration.ofNanos(Math.min(untilKill, PROGRESS_EVERY.toNanos()));
        for (Daemon shard : shards) {
          if (shard.alive()) {
            shard.awaitExit(wait);
            break;
          }
        }
      }
    }
    return killed;
  }

  /** The job's state and restarts for a progress line; a busy JobManager may not answer. */
  private String jobProgress(String jobId) {
    try {
      return flink.rest().job(jobId).path("state").asText()
          + ", "
          + flink.rest().restarts(jobId)
          + " restarts";
    } catch (IOException | RuntimeException e) {
      return "? (JobManager did not answer)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private List<ShardSummary> shardSummaries() throws InterruptedException {
    List<ShardSummary> summaries = new ArrayList<>();
    for (int k = 1; k <= shards.size(); k++) {
      Daemon shard = shards.get(k - 1);
      Integer exit = shard.awaitExit(Duration.ZERO);
      if (exit == null || exit != 0) {
        throw new ClusterException(
            shard
                + " ended with exit code "
                + exit
                + "; the end of "
                + shard.log()
                + ":\n"
                + shard.tail(20));
      }
      summaries.add(ShardSummary.read(shard.name(), summaryFile(k)));
    }
    return summaries;
  }

  private Path summaryFile(int shard) {
    return settings.dir().resolve("simulator-" + shard + ".summary.json");
  }

  private List<GroundTruthJoin.Truth> readTruths(String bootstrap) {
    SingleObjectCodec<GroundTruth> codec = SingleObjectCodec.groundTruth();
    List<GroundTruthJoin.Truth> truths = new ArrayList<>();
    TopicReader.readToEnd(
        bootstrap,
        Topics.GROUND_TRUTH,
        r -> {
          try {
            truths.add(new GroundTruthJoin.Truth(codec.decode(r.value()), r.timestamp()));
          } catch (DecodeException e) {
            throw new ClusterException("unreadable ground-truth record: " + e.getMessage(), e);
          }
        });
    return truths;
  }

  /** The fleet's simulated host-hours, from the options every shard got. */
  private double hostHours() {
    List<String> args = settings.fleetArgs();
    int hosts = Integer.parseInt(args.get(args.indexOf("--hosts") + 1));
    return hosts * (Durations.parse(args.get(args.indexOf("--duration") + 1)).toSeconds() / 3600.0);
  }

  /** Reads the alerts until every attack has one, or the settle time is over. */
  private List<AlertRecord> settle(
      String bootstrap, List<GroundTruthJoin.Truth> truths, long attacks)
      throws InterruptedException {
    long deadline = System.nanoTime() + settings.settle().toNanos();
    while (true) {
      List<AlertRecord> alerts = readAlerts(bootstrap);
      GroundTruthJoin.Result partial = GroundTruthJoin.join(truths, alerts);
      say(
          "settling: attacks detected %d of %d, alerts %d",
          Settling.attacksDetected(partial), attacks, alerts.size());
      if (Settling.settled(partial, attacks, false) || System.nanoTime() > deadline) {
        return alerts;
      }
      TimeUnit.SECONDS.sleep(2);
    }
  }

  private static String alertCount(String bootstrap) {
    try {
      return Integer.toString(readAlerts(bootstrap).size());
    } catch (RuntimeException e) {
      return "? (no answer)"; // progress only: a broker in failover may not answer for a moment
    }
  }

  /** The committed alerts (read_committed: what a SOC consumer sees). */
  private static List<AlertRecord> readAlerts(String bootstrap) {
    List<AlertRecord> alerts = new ArrayList<>();
    TopicReader.readToEnd(
        bootstrap,
        Topics.ALERTS,
        r -> {
          try {
            alerts.add(AlertRecord.parse(r.value(), r.timestamp()));
          } catch (IOException e) {
            throw new UncheckedIOException("unreadable alert at offset " + r.offset(), e);
          }
        });
    return alerts;
  }

  /** Of the attacks whose ground truth reached Kafka after the kill: how many, how many alerted. */
  private AfterKill attacksAfterKill(
      GroundTruthJoin.Result result, List<GroundTruthJoin.Truth> truths) {
    if (killedAtMillis == 0) {
      return new AfterKill(0, 0);
    }
    Set<String> late = new HashSet<>();
    for (GroundTruthJoin.Truth t : truths) {
      if (t.record().getLabel() == GroundTruthLabel.ATTACK
          && t.kafkaTimestampMillis() > killedAtMillis) {
        late.add(t.record().getScenarioId().toString());
      }
    }
    int detected =
        (int)
            result.instances().stream()
                .filter(i -> late.contains(i.scenarioId()) && i.alerted())
                .count();
    return new AfterKill(late.size(), detected);
  }

  private void printVerdict(
      List<ShardSummary> summaries,
      DetectionReport.HostTelemetry seen,
      int alerts,
      int duplicateAlerts,
      long restarts,
      int killed,
      AfterKill afterKill) {
    out.println();
    out.printf(
        Locale.ROOT,
        "Telemetry: %d shards generated %,d events; the topic holds %,d distinct from %d hosts, %,d missing, %,d duplicates%n",
        summaries.size(),
        summaries.stream().mapToLong(ShardSummary::events).sum(),
        seen.seen(),
        seen.hosts(),
        seen.missing(),
        seen.duplicates());
    out.printf(
        Locale.ROOT,
        "Alerts: %d (%d delivered twice); job restarts: %d%n",
        alerts,
        duplicateAlerts,
        restarts);
    if (killed > 0) {
      out.printf(
          Locale.ROOT,
          "Broker %d was killed mid-run: %d of %d attacks injected after the kill were alerted%n",
          killed,
          afterKill.detected(),
          afterKill.injected());
    }
  }

  private Map<String, String> configuration() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("mode", "cluster (separate JVMs on loopback)");
    c.put("brokers", Integer.toString(settings.brokers()));
    c.put("task managers", settings.taskManagers() + " x " + settings.slots() + " slots");
    c.put("parallelism", Integer.toString(settings.parallelism()));
    c.put("shards", Integer.toString(settings.shards()));
    c.put("fleet", String.join(" ", settings.fleetArgs()));
    c.put("checkpoint interval", settings.checkpointInterval().toString());
    c.put(
        "broker killed",
        settings.killBroker() == 0
            ? "none"
            : settings.killBroker() + " after " + settings.killAfter().toSeconds() + " s");
    c.putAll(RunFacts.environment());
    return c;
  }

  private static void prepare(Path dir) throws IOException {
    if (Files.exists(dir)) {
      List<ProcessLedger.Entry> live = ProcessLedger.live(dir.resolve("pids"));
      if (!live.isEmpty()) {
        throw new ClusterException(
            "a cluster from an earlier run still runs in "
                + dir
                + " ("
                + live.size()
                + " processes); stop it with ./psfleet cluster stop --dir "
                + dir);
      }
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent() && !Files.exists(dir.resolve(MARKER))) {
          throw new ClusterException(
              dir + " is not empty and not a psfleet cluster folder: choose another --dir");
        }
      }
      delete(dir);
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "psfleet cluster working folder\n");
  }

  private static Path writeLog4j(Path dir) throws IOException {
    Path file = dir.resolve("log4j2.properties");
    Files.writeString(
        file,
        """
        # Every daemon of the cluster logs to its own file (-Dlog.file), as Flink's scripts do.
        appender.file.type = File
        appender.file.name = file
        appender.file.fileName = ${sys:log.file}
        appender.file.layout.type = PatternLayout
        appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
        rootLogger.level = INFO
        rootLogger.appenderRef.file.ref = file
        """,
        StandardCharsets.UTF_8);
    return file;
  }

  private static long records(Admin admin, String topic) {
    try {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(5, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).values().stream()
          .mapToLong(o -> o.offset())
          .sum();
    } catch (Exception e) {
      // Progress only: a broker in failover may not answer for a moment.
      return -1;
    }
  }

  private void stopQuietly() {
    interrupted = true;
    out.println("psfleet cluster: interrupted; stopping every process it started ...");
    stopAll();
    out.println("psfleet cluster: stopped; logs and data kept in " + settings.dir());
  }

  /**
   * Stops the shards, then Flink, then Kafka, each on its own so one failure does not leave the
   * rest running; then closes the ledger, which ends anything started but not yet handed over (a
   * part still coming up) and refuses every later start.
   */
  private synchronized void stopAll() {
    List<Runnable> parts = new ArrayList<>();
    parts.add(() -> stop(() -> Daemon.stopAll(List.copyOf(shards), GRACE)));
    FlinkCluster f = flink;
    if (f != null) {
      parts.add(() -> stop(() -> f.stop(GRACE)));
    }
    KafkaCluster k = kafka;
    if (k != null) {
      parts.add(() -> stop(() -> k.stop(GRACE)));
    }
    parts.add(() -> stop(() -> ledger.close(GRACE)));
    parts.forEach(Runnable::run);
  }

  private interface Stopping {
    void run() throws InterruptedException;
  }

  private void stop(Stopping part) {
    try {
      part.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      out.println("psfleet cluster: while stopping: " + e.getMessage());
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String pids(List<Daemon> daemons) {
    return daemons.stream()
        .map(d -> Long.toString(d.pid()))
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private void say(String format, Object... args) {
    out.printf(
        Locale.ROOT,
        "[%6.1fs] %s%n",
        (System.nanoTime() - started) / 1e9,
        args.length == 0 ? format : String.format(Locale.ROOT, format, args));
  }
}
