package io.psfleet.cli.cluster;

import io.psfleet.agent.cli.FleetOptions;
import io.psfleet.agent.cli.PsfleetApp;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.UsageException;
import io.psfleet.harness.FlinkRestException;
import io.psfleet.harness.RunLateness;
import io.psfleet.jobs.JobConfig;
import io.psfleet.jobs.RulesOption;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./psfleet cluster} (via {@code deploy/cluster.sh}): the pipeline on a real multi-process
 * cluster on this machine, and {@code ./psfleet cluster stop} for what an interrupted run left.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Runs the pipeline on a real cluster of separate processes on this machine (loopback only):"
          + " three Kafka brokers in KRaft mode (replication factor 3, min.insync.replicas 2), a"
          + " standalone Flink cluster (JobManager and TaskManagers) with the job jar submitted"
          + " over REST, and simulator shards as separate processes.",
      "Waits for the alerts, checks that nothing was lost, prints a summary and writes"
          + " report.json/report.html, then stops everything it started.",
      "--secure runs Kafka with a CA made for the run, SASL/SCRAM-SHA-512 over TLS and"
          + " least-privilege ACLs per principal (agents, job, SOC); every part authenticates.",
      "Faults: --kill-broker kills a broker, --kill-task-manager a TaskManager (the job restarts"
          + " from its checkpoint), --upgrade-after stops the job with a savepoint and resubmits it"
          + " with another parallelism and checkpoint interval, --cut-shard cuts a simulator"
          + " shard off Kafka for a while (its sensors spool). After each, nothing may be lost,"
          + " every attack must be alerted and no alert twice.",
      "'./psfleet cluster stop [--dir DIR]' ends the processes of an interrupted run."
    })
public final class ClusterCommand implements Callable<Integer> {
  static final Path DEFAULT_DIR = Path.of(System.getProperty("java.io.tmpdir"), "psfleet-cluster");

  /** The cluster's fleet: the pipeline's, with the attacks only (look-alikes have their tests). */
  public static final FleetOptions.Defaults FLEET =
      new FleetOptions.Defaults(
          FleetOptions.PIPELINE.hosts(),
          FleetOptions.PIPELINE.duration(),
          FleetOptions.PIPELINE.speedup(),
          "attacks:1",
          FleetOptions.PIPELINE.campaignWindow());

  /** The longest a failover or a busy machine is expected to hold a shard's events back. */
  static final Duration FAULT_STALL = Duration.ofMinutes(2);

  /** The cluster's settle: longer than a local run's, a failover may delay the last alerts. */
  public static final Duration SETTLE = Duration.ofSeconds(60);

  private final PrintStream out;

  @Spec CommandSpec spec;

  @Mixin FleetOptions fleet = new FleetOptions(FLEET);

  @Option(
      names = "--shards",
      paramLabel = "N",
      description = "simulator processes, shard k of N each (1-32)")
  int shards = 2;

  @Option(
      names = "--brokers",
      paramLabel = "N",
      description = "Kafka brokers, each also a KRaft controller (1-9)")
  int brokers = 3;

  @Option(
      names = "--task-managers",
      paramLabel = "N",
      description = "Flink TaskManager processes (1-8)")
  int taskManagers = 1;

  @Option(names = "--slots", paramLabel = "N", description = "task slots per TaskManager (1-32)")
  int slots = 2;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "the detection job's parallelism")
  int parallelism = 2;

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "the job's checkpoint interval; exactly-once alerts appear at checkpoints")
  Duration checkpointInterval = JobConfig.INTERACTIVE_CHECKPOINT_INTERVAL;

  @Option(
      names = "--secure",
      description =
          "secure Kafka: a CA and certificates made for the run, SASL/SCRAM-SHA-512 over TLS on"
              + " every listener, ACLs per principal, one client properties file per principal in"
              + " DIR/clients")
  boolean secure;

  @Option(
      names = "--kill-broker",
      paramLabel = "ID",
      description = "broker to kill with SIGKILL mid-run (0: none)")
  int killBroker = 0;

  @Option(
      names = "--kill-after",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "when to kill it, counted from the shards' start")
  Duration killAfter = Duration.ofSeconds(10);

  @Option(
      names = "--kill-task-manager",
      paramLabel = "ID",
      description =
          "TaskManager to kill with SIGKILL mid-run (0: none); a new one takes its place and the"
              + " job restarts from its last checkpoint")
  int killTaskManager = 0;

  @Option(
      names = "--kill-task-manager-after",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "when to kill it, counted from the shards' start")
  Duration killTaskManagerAfter = Duration.ofSeconds(15);

  @Option(
      names = "--upgrade-after",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description =
          "when to upgrade the job, counted from the shards' start (0s: never): stop it with a"
              + " savepoint, resubmit it with --upgrade-parallelism and"
              + " --upgrade-checkpoint-interval, resume from the savepoint")
  Duration upgradeAfter = Duration.ZERO;

  @Option(
      names = "--upgrade-parallelism",
      paramLabel = "N",
      description =
          "the upgraded job's parallelism (0: one less than --parallelism, or 2 when that is 1)")
  int upgradeParallelism = 0;

  @Option(
      names = "--upgrade-checkpoint-interval",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "the upgraded job's checkpoint interval (0s: twice --checkpoint-interval)")
  Duration upgradeCheckpointInterval = Duration.ZERO;

  @Option(
      names = "--cut-shard",
      paramLabel = "K",
      description =
          "simulator shard to cut off from every broker mid-run (0: none); its sensors spool"
              + " and forward on reconnect")
  int cutShard = 0;

  @Option(
      names = "--cut-after",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description =
          "when to cut it off, counted from the shards' start, or later: not before the shard"
              + " has sent 1 MiB (a cut before it publishes would test nothing)")
  Duration cutAfter = Duration.ofSeconds(15);

  @Option(
      names = "--cut-for",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "how long it stays cut off")
  Duration cutFor = Duration.ofSeconds(20);

  @Option(
      names = "--settle",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "how long to wait after the shards end for the last alerts")
  Duration settle = SETTLE;

  @Option(
      names = "--start-timeout",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "how long each part may take to come up")
  Duration startTimeout = Duration.ofMinutes(3);

  @Mixin DirOption dir = new DirOption();

  @Mixin RulesOption rules = new RulesOption();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "folder for report.json and report.html")
  Path reportDir = Path.of("cluster-report");

  @Option(
      names = "--keep",
      description = "keep the working folder after a successful run (a failed run keeps it)")
  boolean keep;

  public ClusterCommand(PrintStream out) {
    this.out = out;
  }

  /** {@code --dir}, shared by the run and {@code stop}. */
  public static final class DirOption {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "working folder: data, logs, checkpoints, process ids")
    Path dir = DEFAULT_DIR;
  }

  /** {@code ./psfleet cluster stop}: ends what an interrupted run left running. */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      showDefaultValues = true,
      description = "Stops the processes an interrupted cluster run left (by its process ledger).")
  static final class Stop implements Callable<Integer> {
    private final PrintStream out;

    @Mixin DirOption dir = new DirOption();

    Stop(PrintStream out) {
      this.out = out;
    }

    @Override
    public Integer call() throws Exception {
      List<String> stopped = ClusterRun.stopLeftovers(dir.dir);
      out.println(
          stopped.isEmpty()
              ? "psfleet cluster: nothing running from " + dir.dir
              : "psfleet cluster: stopped " + String.join(", ", stopped));
      return Commands.OK;
    }
  }

  /** The {@code stop} subcommand, for the parent command line to add. */
  public Object stopCommand() {
    return new Stop(out);
  }

  @Override
  public Integer call() throws Exception {
    Path checkout = Path.of(System.getProperty("psfleet.home", "."));
    try {
      ClusterRun.Outcome outcome = new ClusterRun(checkout, settings(), out).run();
      return outcome.passed() ? Commands.OK : Commands.FAILURE;
    } catch (ClusterException | FlinkRestException e) {
      out.flush();
      spec.commandLine().getErr().println("psfleet cluster: " + e.getMessage());
      return Commands.FAILURE;
    }
  }

  ClusterSettings settings() {
    Commands.range(spec, "--shards", shards, 1, 32);
    Commands.range(spec, "--brokers", brokers, 1, 9);
    Commands.range(spec, "--task-managers", taskManagers, 1, 8);
    Commands.range(spec, "--slots", slots, 1, 32);
    Commands.range(spec, "--kill-broker", killBroker, 0, 9);
    Commands.range(spec, "--kill-task-manager", killTaskManager, 0, 8);
    Commands.range(spec, "--upgrade-parallelism", upgradeParallelism, 0, 256);
    Commands.range(spec, "--cut-shard", cutShard, 0, 32);
    // Every shard gets the same fleet options unchanged: only --shard differs.
    List<String> fleetArgs = fleet.simulateArgs();
    // A mistake in the fleet options is reported now, not by every shard once the cluster is up.
    List<String> firstShard = new ArrayList<>(fleetArgs);
    firstShard.addAll(List.of("--shard", "1/" + shards));
    PsfleetApp.checkSimulateArgs(firstShard.toArray(String[]::new));
    if (parallelism < 1) {
      throw new UsageException("--parallelism must be at least 1, got " + parallelism);
    }
    return new ClusterSettings(
        brokers,
        taskManagers,
        slots,
        parallelism,
        shards,
        fleetArgs,
        checkpointInterval,
        secure,
        faults(),
        settle,
        startTimeout,
        dir.dir.toAbsolutePath(),
        reportDir,
        keep,
        jobArgs());
  }

  /**
   * The job's options beyond the cluster's own: the rules, and an allowed lateness that covers the
   * longest stall a fault makes (a shard cut off spools for {@code --cut-for}) and a failover's, in
   * the fleet's sped-up event time.
   */
  private List<String> jobArgs() {
    List<String> args = new ArrayList<>(ruleArgs());
    Duration stall = FAULT_STALL.plus(cutShard > 0 ? cutFor : Duration.ZERO);
    Duration lateness =
        RunLateness.of(
            fleet.speedup(), fleet.duration(), stall, JobConfig.DEFAULT_ALLOWED_LATENESS);
    args.addAll(List.of("--allowed-lateness", Durations.format(lateness)));
    return args;
  }

  private List<Fault> faults() {
    List<Fault> faults = new ArrayList<>();
    if (killBroker > 0) {
      faults.add(new Fault.KillBroker(killBroker, killAfter));
    }
    if (killTaskManager > 0) {
      faults.add(new Fault.KillTaskManager(killTaskManager, killTaskManagerAfter));
    }
    if (upgradeAfter.compareTo(Duration.ZERO) > 0) {
      faults.add(
          new Fault.UpgradeJob(
              upgradeAfter,
              upgradeParallelism > 0 ? upgradeParallelism : parallelism == 1 ? 2 : parallelism - 1,
              upgradeCheckpointInterval.compareTo(Duration.ZERO) > 0
                  ? upgradeCheckpointInterval
                  : checkpointInterval.multipliedBy(2)));
    }
    if (cutShard > 0) {
      faults.add(new Fault.CutShard(cutShard, cutAfter, cutFor));
    }
    return faults;
  }

  private List<String> ruleArgs() {
    try {
      return rules.jobArgs();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
