package io.psfleet.cli.cluster;

import io.psfleet.agent.cli.Options;
import io.psfleet.agent.cli.PsfleetApp;
import io.psfleet.agent.cli.UsageException;
import io.psfleet.cli.FleetOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./psfleet cluster} (via {@code deploy/cluster.sh}): the pipeline on a real multi-process
 * cluster on this machine, and {@code ./psfleet cluster stop} for what an interrupted run left.
 */
public final class ClusterCommand {
  private static final String DEFAULT_DIR =
      Path.of(System.getProperty("java.io.tmpdir"), "psfleet-cluster").toString();

  private ClusterCommand() {}

  static Options options() {
    return FleetOptions.addTo(
            new Options(
                "cluster",
                "Runs the pipeline on a real cluster of separate processes on this machine (loopback\n"
                    + "only): three Kafka brokers in KRaft mode (replication factor 3, min.insync.replicas\n"
                    + "2), a standalone Flink cluster (JobManager and TaskManagers) with the job jar submitted\n"
                    + "over REST, and simulator shards as separate processes. Waits for the alerts, checks\n"
                    + "that nothing was lost, prints a summary and writes report.json/report.html, then stops\n"
                    + "everything it started. --kill-broker kills a broker mid-run to show failover.\n"
                    + "'./psfleet cluster stop [--dir DIR]' ends the processes of an interrupted run."),
            "attacks:1")
        .option("shards", "N", "2", "simulator processes (shard k of N each)")
        .option("brokers", "N", "3", "Kafka brokers, each also a KRaft controller")
        .option("task-managers", "N", "1", "Flink TaskManager processes")
        .option("slots", "N", "2", "task slots per TaskManager")
        .option("parallelism", "N", "2", "the detection job's parallelism")
        .option(
            "checkpoint-interval",
            "D",
            "5s",
            "the job's checkpoint interval; exactly-once alerts appear at checkpoints")
        .option("kill-broker", "ID", "0", "broker to kill with SIGKILL mid-run (0: none)")
        .option("kill-after", "D", "10s", "when to kill it, counted from the shards' start")
        .option("settle", "D", "60s", "how long to wait after the shards end for the last alerts")
        .option("start-timeout", "D", "3m", "how long each part may take to come up")
        .option("dir", "DIR", DEFAULT_DIR, "working folder: data, logs, checkpoints, process ids")
        .option("out", "DIR", "cluster-report", "folder for report.json and report.html")
        .flag("keep", "keep the working folder after a successful run (a failed run keeps it)");
  }

  /** Runs the command; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    boolean stop = args.length > 0 && args[0].equals("stop");
    String[] rest = stop ? Arrays.copyOfRange(args, 1, args.length) : args;
    Options options = options();
    try {
      if (!options.parse(rest)) {
        out.print(options.help());
        return 0;
      }
      Path dir = Path.of(options.string("dir"));
      if (stop) {
        List<String> stopped = ClusterRun.stopLeftovers(dir);
        out.println(
            stopped.isEmpty()
                ? "psfleet cluster: nothing running from " + dir
                : "psfleet cluster: stopped " + String.join(", ", stopped));
        return 0;
      }
      Path checkout = Path.of(System.getProperty("psfleet.home", "."));
      ClusterRun.Outcome outcome = new ClusterRun(checkout, settings(options), out).run();
      return outcome.passed() ? 0 : 1;
    } catch (UsageException e) {
      err.println("psfleet cluster: " + e.getMessage());
      return 2;
    } catch (ClusterException e) {
      err.println("psfleet cluster: " + e.getMessage());
      return 1;
    }
  }

  static ClusterSettings settings(Options options) {
    List<String> fleet = new ArrayList<>();
    // Every shard gets the same fleet options unchanged: only --shard differs.
    for (String name : FleetOptions.NAMES) {
      fleet.add("--" + name);
      fleet.add(options.string(name));
    }
    // A mistake in the fleet options is reported now, not by every shard once the cluster is up.
    List<String> firstShard = new ArrayList<>(fleet);
    firstShard.addAll(List.of("--shard", "1/" + options.intValue("shards", 1, 32)));
    PsfleetApp.checkSimulateArgs(firstShard.toArray(String[]::new));
    return new ClusterSettings(
        options.intValue("brokers", 1, 9),
        options.intValue("task-managers", 1, 8),
        options.intValue("slots", 1, 32),
        options.intValue("parallelism", 1, 256),
        options.intValue("shards", 1, 32),
        fleet,
        options.duration("checkpoint-interval"),
        options.intValue("kill-broker", 0, 9),
        options.duration("kill-after"),
        options.duration("settle"),
        options.duration("start-timeout"),
        Path.of(options.string("dir")).toAbsolutePath(),
        Path.of(options.string("out")),
        options.flag("keep"));
  }
}
