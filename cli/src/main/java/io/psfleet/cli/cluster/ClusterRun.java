package io.psfleet.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.KafkaClientConfig;
import io.psfleet.harness.FlinkRestException;
import io.psfleet.harness.Settling;
import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.DetectionReport;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.harness.report.ReportFiles;
import io.psfleet.harness.report.RunFacts;
import io.psfleet.harness.report.TelemetryScan;
import io.psfleet.jobs.JobConfig;
import io.psfleet.kafka.TopicReader;
import io.psfleet.kafka.security.Role;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * One end-to-end run on a real multi-process cluster: three KRaft brokers, a standalone Flink
 * cluster with the job jar submitted over REST, simulator shards as separate processes; optionally
 * secured (every part authenticated as its own principal) and with {@linkplain Fault faults}
 * injected mid-run, each noted on the run's timeline. When the shards have ended and the last
 * alerts are in, it checks that nothing was lost (every shard's delivered records on the topic,
 * sequence numbers without gaps or duplicates, every injected attack alerted exactly once per alert
 * id, every fault recovered from), writes the detection report, and stops every process it started.
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
   * @param restarts how often the job restarted (a killed broker may cost one), over every job the
   *     run submitted
   * @param duplicateAlerts alert records whose id was already seen (exactly-once broken)
   * @param faults each fault asked for and what became of it
   * @param timeline what was done when, in seconds from the shards' start
   * @param problems what failed the run; empty when it passed
   */
  public record Outcome(
      DetectionReport report,
      List<ShardSummary> shards,
      long restarts,
      int duplicateAlerts,
      List<FaultOutcome> faults,
      List<TimelineEntry> timeline,
      List<String> problems) {
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  /**
   * One fault and what became of it.
   *
   * @param doneAtMillis wall-clock time it was done; 0 when the shards ended first
   * @param attacksAfter attacks whose ground-truth record reached Kafka (create time) after it
   * @param detectedAfter how many of them were alerted
   * @param recovered whether the recovery the fault calls for was seen: a job restored from a
   *     checkpoint after a lost TaskManager, from the savepoint after an upgrade, a link restored
   * @param recovery that recovery in words, or why it was not seen
   */
  public record FaultOutcome(
      Fault fault,
      long doneAtMillis,
      int attacksAfter,
      int detectedAfter,
      boolean recovered,
      String recovery) {
    public boolean done() {
      return doneAtMillis > 0;
    }
  }

  /** Something the run did to the cluster, {@code seconds} after the shards started. */
  public record TimelineEntry(double seconds, String what) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "+%.1fs %s", seconds, what);
    }
  }

  /** One thing to do at a time: a fault, or the end of a shard's cut. */
  private record Step(Duration at, Fault fault, boolean ending) {}

  /**
   * Bytes a shard must have sent through its link before the cut for the cut to have caught it
   * publishing (its topic set-up alone is a few KiB; its first second of telemetry is megabytes).
   */
  private static final long PUBLISHING_BYTES = 1 << 20;

  /** What a done fault left to check once the shards have ended. */
  private static final class Done {
    final long atMillis;
    long bytesBeforeCut;
    String jobId;
    boolean recovered;
    String recovery = "";

    Done(long atMillis) {
      this.atMillis = atMillis;
    }
  }

  private final ClusterHome home;
  private final ClusterSettings settings;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private final List<Daemon> shards = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile ProcessLedger ledger;
  private volatile KafkaCluster kafka;
  private volatile FlinkCluster flink;
  private volatile ShardLink link;
  private volatile boolean interrupted;
  private final List<String> jobIds = new ArrayList<>();
  private final List<TimelineEntry> timeline = new ArrayList<>();
  private final Map<Fault, Done> done = new LinkedHashMap<>();

  /** Faults still to do and ends of cuts, soonest first; {@link #watchShards} fills it. */
  private final List<Step> steps = new ArrayList<>();

  private long shardsStarted;
  private Path agentConfig;
  private Path jobConfig;
  private Map<String, Object> socSettings = Map.of();

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
    say(
        "starting %d Kafka brokers (KRaft, separate JVMs%s) ...",
        settings.brokers(),
        settings.secure() ? "; SASL/SCRAM-SHA-512 over TLS, ACLs, a CA made for this run" : "");
    Optional<Fault.CutShard> cut = settings.fault(Fault.CutShard.class);
    kafka =
        KafkaCluster.start(
            home,
            ledger,
            dir,
            settings.brokers(),
            settings.secure(),
            cut.isPresent(),
            log4j,
            settings.startTimeout());
    String bootstrap = kafka.bootstrap();
    say(
        "Kafka up at %s: topics with replication factor %d, min.insync.replicas %d (pids %s)",
        bootstrap,
        settings.brokers(),
        Math.min(KafkaCluster.MIN_IN_SYNC_REPLICAS, settings.brokers()),
        pids(kafka.daemons()));
    provisionPrincipals(bootstrap, dir.resolve("clients"));
    if (cut.isPresent()) {
      link = new ShardLink(kafka.relayRoutes());
      link.restore();
    }

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

    String jobId =
        submitJob(bootstrap, dir, settings.parallelism(), settings.checkpointInterval(), null);
    jobIds.add(jobId);
    startShards(bootstrap, dir);
    watchShards();
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
    long restarts = 0;
    for (String id : jobIds) {
      restarts += flink.rest().restarts(id);
    }
    String failure = flink.rest().rootException(currentJob());
    Set<String> evidence = new HashSet<>();
    alerts.forEach(a -> evidence.addAll(a.evidenceEventIds()));
    TelemetryScan scan =
        TelemetryScan.read(
            bootstrap, kafka.adminSettings(), Topics.TELEMETRY, evidence, Long.MIN_VALUE);
    DetectionReport report =
        DetectionReport.build(
            configuration(), result, alerts, scan.evidenceTimes(), scan.hosts(), hostHours());
    ReportFiles.write(report, settings.out());
    out.println();
    ReportFiles.printTable(report, out);

    int duplicateAlerts =
        alerts.size() - (int) alerts.stream().map(AlertRecord::uid).distinct().count();
    List<FaultOutcome> faults = faultOutcomes(result, truths);
    List<String> problems =
        ClusterVerdict.problems(summaries, scan.hosts(), report, duplicateAlerts, faults);
    printVerdict(summaries, scan.hosts(), alerts.size(), duplicateAlerts, restarts, faults);
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
    flink.rest().cancel(currentJob());
    return new Outcome(
        report, summaries, restarts, duplicateAlerts, faults, List.copyOf(timeline), problems);
  }

  /**
   * Creates a user per principal with its ACLs and writes its client properties into {@code
   * clients}: agents (the shards), the job, the SOC (the verdict reads the alerts as the SOC does);
   * the verdict's reads of telemetry and ground truth are the operator's, as the super user. On a
   * plaintext cluster the files are empty and every part starts the same way.
   */
  private void provisionPrincipals(String bootstrap, Path clients) {
    agentConfig =
        kafka.clientProperties(Role.AGENT, Role.AGENT.user(), clients.resolve("agent.properties"));
    jobConfig =
        kafka.clientProperties(
            Role.JOB, JobConfig.defaults(bootstrap).groupId(), clients.resolve("job.properties"));
    Path soc = kafka.clientProperties(Role.SOC, Role.SOC.user(), clients.resolve("soc.properties"));
    socSettings = KafkaClientConfig.read(soc).clientSettings();
    if (kafka.secure()) {
      kafka.adminProperties(clients.resolve("admin.properties"));
      say(
          "users %s, %s, %s created with least-privilege ACLs; client properties per principal in %s"
              + " (admin.properties: the operator's super user)",
          Role.AGENT.user(), Role.JOB.user(), Role.SOC.user(), clients);
    }
  }

  private String currentJob() {
    return jobIds.get(jobIds.size() - 1);
  }

  private String submitJob(
      String bootstrap, Path dir, int parallelism, Duration checkpointInterval, String savepoint)
      throws Exception {
    say("uploading %s to the JobManager ...", home.jobJar().getFileName());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap",
                bootstrap,
                "--kafka-config",
                jobConfig.toString(),
                "--parallelism",
                Integer.toString(parallelism),
                "--checkpoint-interval",
                checkpointInterval.toMillis() + "ms",
                "--checkpoint-dir",
                dir.resolve("checkpoints").toUri().toString()));
    args.addAll(settings.jobExtraArgs());
    try {
      String jobId =
          flink.rest().submit(home.jobJar(), args, parallelism, settings.startTimeout(), savepoint);
      say(
          "job %s RUNNING with parallelism %d, checkpoint interval %s%s",
          jobId,
          parallelism,
          Durations.format(checkpointInterval),
          savepoint == null ? "" : ", resumed from " + savepoint);
      return jobId;
    } catch (ClusterException | FlinkRestException e) {
      throw new ClusterException(e.getMessage() + "\nlogs: " + dir.resolve("flink/logs"), e);
    }
  }

  private void startShards(String bootstrap, Path dir) {
    // Every shard must simulate the same fleet: one start instant for all, fixed here.
    String start = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    int cutShard = settings.fault(Fault.CutShard.class).map(Fault.CutShard::shard).orElse(0);
    for (int k = 1; k <= settings.shards(); k++) {
      // The shard to be cut off reaches Kafka only through its link, which can be cut.
      String reach = k == cutShard ? kafka.relayBootstrap() : bootstrap;
      List<String> args = new ArrayList<>(List.of("simulate", "--bootstrap", reach));
      args.addAll(List.of("--kafka-config", agentConfig.toString()));
      // Brokers that have just come up on a busy machine may take longer than an interactive
      // run's 10 s to answer a shard starting beside six other JVMs.
      args.addAll(List.of("--connect-timeout", "60s"));
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
    shardsStarted = System.nanoTime();
    say("started %d simulator shards (pids %s)", settings.shards(), pids(shards));
  }

  /** Progress every few seconds until every shard has ended; injects each fault when it is due. */
  private void watchShards() throws Exception {
    steps.clear();
    for (Fault fault : settings.faults()) {
      steps.add(new Step(fault.at(), fault, false));
      if (fault instanceof Fault.CutShard c) {
        steps.add(new Step(c.at().plus(c.length()), fault, true));
      }
    }
    steps.sort(Comparator.comparing(Step::at));
    try (Admin admin = kafka.admin()) {
      while (shards.stream().anyMatch(Daemon::alive)) {
        performDueSteps(false);
        long telemetry = records(admin, Topics.TELEMETRY);
        say(
            "shards running %d of %d | telemetry records %s | alerts %s | job %s",
            shards.stream().filter(Daemon::alive).count(),
            shards.size(),
            telemetry < 0 ? "? (no answer)" : String.format(Locale.ROOT, "%,d", telemetry),
            alertCount(kafka.bootstrap()),
            jobProgress(currentJob()));
        // Wake for the next step on time, not at the next progress line.
        long untilStep =
            steps.isEmpty()
                ? Long.MAX_VALUE
                : Math.max(0, steps.get(0).at().minus(elapsed()).toNanos());
        Duration wait = Duration.ofNanos(Math.min(untilStep, PROGRESS_EVERY.toNanos()));
        for (Daemon shard : shards) {
          if (shard.alive()) {
            shard.awaitExit(wait);
            break;
          }
        }
      }
    }
    // A shard may end while cut off (it waits for its spool to drain): the link comes back.
    for (Step step : steps) {
      if (step.ending()) {
        perform(step);
      }
    }
  }

  /**
   * Performs every step that is due, in order; with {@code cutsOnly}, only the cut of a shard and
   * its end. Those are what a fault that blocks (an upgrade waiting for a job that restarts after a
   * lost TaskManager, which took over a minute on a busy machine) must not hold back: a cut that
   * began that much later found the shards done, with no attack left to prove it, and a cut that
   * ended that much later would outlast what the shard's spool holds.
   */
  private void performDueSteps(boolean cutsOnly) throws Exception {
    for (Step step = nextDue(cutsOnly); step != null; step = nextDue(cutsOnly)) {
      steps.remove(step);
      if (step.fault() instanceof Fault.CutShard
          && !step.ending()
          && link.bytesToBrokers() <= PUBLISHING_BYTES) {
        // A shard JVM on a busy machine may take a while to publish: a cut before that
        // would test nothing. Wait for it, and keep the cut as long.
        postpone(steps, step, Duration.ofSeconds(1));
        continue;
      }
      perform(step);
      if (step.fault() instanceof Fault.CutShard c && !step.ending()) {
        // The cut lasts as long as asked from when it really began, late or not.
        Duration end = elapsed().plus(c.length());
        steps.replaceAll(s -> s.fault() == c ? new Step(end, c, true) : s);
        steps.sort(Comparator.comparing(Step::at));
      }
    }
  }

  /** The first due step (with {@code cutsOnly}, the first due step of a cut), or null. */
  private Step nextDue(boolean cutsOnly) {
    Duration now = elapsed();
    for (Step step : steps) {
      if (step.at().compareTo(now) > 0) {
        return null;
      }
      if (!cutsOnly || step.fault() instanceof Fault.CutShard) {
        return step;
      }
    }
    return null;
  }

  /** Moves {@code step}, and the end of its fault if it has one, {@code by} later. */
  private static void postpone(List<Step> steps, Step step, Duration by) {
    steps.replaceAll(
        s -> s.fault() == step.fault() ? new Step(s.at().plus(by), s.fault(), s.ending()) : s);
    steps.add(new Step(step.at().plus(by), step.fault(), false));
    steps.sort(Comparator.comparing(Step::at));
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - shardsStarted);
  }

  private void perform(Step step) throws Exception {
    Fault fault = step.fault();
    if (step.ending()) {
      link.restore();
      Done d = done.get(fault);
      d.recovered = d.bytesBeforeCut > PUBLISHING_BYTES;
      d.recovery =
          d.recovered
              ? String.format(
                  Locale.ROOT,
                  "the shard had sent %,d KiB before the cut; link restored after %s",
                  d.bytesBeforeCut >> 10,
                  Durations.format(Duration.ofMillis(System.currentTimeMillis() - d.atMillis)))
              : "the shard had sent only "
                  + d.bytesBeforeCut
                  + " bytes when it was cut: it was not publishing yet; make --cut-after later";
      note(
          "restored shard %d's link to Kafka: its spool forwards",
          ((Fault.CutShard) fault).shard());
      return;
    }
    Done d = new Done(System.currentTimeMillis());
    done.put(fault, d);
    if (fault instanceof Fault.KillBroker k) {
      Daemon victim = kafka.kill(k.broker());
      d.recovered = true;
      note("KILLED broker %s with SIGKILL: the pipeline must carry on without it", victim);
    } else if (fault instanceof Fault.KillTaskManager k) {
      d.jobId = currentJob();
      List<Daemon> swap = flink.killTaskManager(k.taskManager());
      note(
          "KILLED %s with SIGKILL; started %s in its place: the job must restart from its last"
              + " checkpoint",
          swap.get(0), swap.get(1));
    } else if (fault instanceof Fault.UpgradeJob u) {
      upgrade(u, d);
    } else if (fault instanceof Fault.CutShard c) {
      link.cut();
      d.bytesBeforeCut = link.bytesToBrokers();
      d.recovery = "the link was never restored";
      note(
          "CUT shard %d off every broker for %s: its sensors spool",
          c.shard(), Durations.format(c.length()));
    }
  }

  /** Stops the job with a savepoint and resubmits it, changed, resuming from the savepoint. */
  private void upgrade(Fault.UpgradeJob u, Done d) throws Exception {
    String old = currentJob();
    awaitRunning(old);
    String target = settings.dir().resolve("savepoints").toUri().toString();
    String savepoint = flink.rest().stopWithSavepoint(old, target, settings.startTimeout());
    note("stopped job %s with a savepoint: %s", old, savepoint);
    String upgraded =
        submitJob(
            kafka.bootstrap(), settings.dir(), u.parallelism(), u.checkpointInterval(), savepoint);
    jobIds.add(upgraded);
    d.jobId = upgraded;
    note(
        "resubmitted as job %s with parallelism %d, checkpoint interval %s, from the savepoint",
        upgraded, u.parallelism(), Durations.format(u.checkpointInterval()));
  }

  /**
   * Waits until every task of {@code jobId} runs (a restart in progress cannot take a savepoint).
   */
  private void awaitRunning(String jobId) throws Exception {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode job = flink.rest().job(jobId);
      boolean running = job.path("state").asText().equals("RUNNING");
      for (JsonNode vertex : job.path("vertices")) {
        running &= vertex.path("status").asText().equals("RUNNING");
      }
      if (running) {
        return;
      }
      performDueSteps(true);
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new ClusterException(
        "job " + jobId + " was not running within " + settings.startTimeout() + " for its upgrade");
  }

  private void note(String format, Object... args) {
    String what = String.format(Locale.ROOT, format, args);
    timeline.add(new TimelineEntry((System.nanoTime() - shardsStarted) / 1e9, what));
    say(what);
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
        kafka.adminSettings(),
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

  private String alertCount(String bootstrap) {
    try {
      return Integer.toString(readAlerts(bootstrap).size());
    } catch (RuntimeException e) {
      return "? (no answer)"; // progress only: a broker in failover may not answer for a moment
    }
  }

  /** The committed alerts, read as the SOC principal (read_committed: what a SOC sees). */
  private List<AlertRecord> readAlerts(String bootstrap) {
    List<AlertRecord> alerts = new ArrayList<>();
    TopicReader.readToEnd(
        bootstrap,
        socSettings,
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

  /** Each fault: whether it happened, the attacks after it and their alerts, its recovery. */
  private List<FaultOutcome> faultOutcomes(
      GroundTruthJoin.Result result, List<GroundTruthJoin.Truth> truths) throws Exception {
    List<FaultOutcome> outcomes = new ArrayList<>();
    for (Fault fault : settings.faults()) {
      Done d = done.get(fault);
      if (d == null) {
        outcomes.add(new FaultOutcome(fault, 0, 0, 0, false, "never happened"));
        continue;
      }
      if (fault instanceof Fault.KillTaskManager) {
        long restored = flink.rest().latestRestoredCheckpoint(d.jobId);
        long restarts = flink.rest().restarts(d.jobId);
        d.recovered = restarts > 0 && restored >= 0;
        d.recovery =
            d.recovered
                ? "the job restarted " + restarts + " time(s), from checkpoint " + restored
                : "the job did not restart from a checkpoint (restarts "
                    + restarts
                    + ", restored checkpoint "
                    + (restored < 0 ? "none" : restored)
                    + ")";
      } else if (fault instanceof Fault.UpgradeJob) {
        long restored = flink.rest().latestRestoredCheckpoint(d.jobId);
        d.recovered = restored >= 0;
        d.recovery =
            d.recovered
                ? "the upgraded job " + d.jobId + " resumed from the savepoint"
                : "the upgraded job " + d.jobId + " restored no savepoint";
      }
      Set<String> late = new HashSet<>();
      for (GroundTruthJoin.Truth t : truths) {
        if (t.record().getLabel() == GroundTruthLabel.ATTACK
            && t.kafkaTimestampMillis() > d.atMillis) {
          late.add(t.record().getScenarioId().toString());
        }
      }
      int detected =
          (int)
              result.instances().stream()
                  .filter(i -> late.contains(i.scenarioId()) && i.alerted())
                  .count();
      outcomes.add(
          new FaultOutcome(fault, d.atMillis, late.size(), detected, d.recovered, d.recovery));
    }
    return outcomes;
  }

  private void printVerdict(
      List<ShardSummary> summaries,
      DetectionReport.HostTelemetry seen,
      int alerts,
      int duplicateAlerts,
      long restarts,
      List<FaultOutcome> faults) {
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
    if (!faults.isEmpty()) {
      out.println("Faults (seconds from the shards' start):");
      timeline.forEach(e -> out.println("  " + e));
      for (FaultOutcome f : faults) {
        out.printf(
            Locale.ROOT,
            "  %s: %s; %d of %d attacks injected after it alerted%s%n",
            f.fault().describe(),
            f.done() ? "done" : "NOT DONE",
            f.detectedAfter(),
            f.attacksAfter(),
            f.recovery().isEmpty() ? "" : "; " + f.recovery());
      }
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
    c.put("kafka security", settings.secure() ? "SASL/SCRAM-SHA-512 over TLS, ACLs" : "none");
    c.put(
        "faults",
        settings.faults().isEmpty()
            ? "none"
            : String.join("; ", settings.faults().stream().map(Fault::describe).toList()));
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
    ShardLink l = link;
    if (l != null) {
      parts.add(l::close);
    }
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
