package io.psfleet.cli.cluster;

import io.psfleet.commandline.UsageException;
import io.psfleet.jobs.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One cluster run's shape: how many of each part, the fleet every shard simulates, the fault to
 * inject, and where things go.
 *
 * @param brokers Kafka nodes (each broker and controller)
 * @param taskManagers TaskManager JVMs
 * @param slots task slots per TaskManager
 * @param parallelism the detection job's parallelism (at most taskManagers x slots)
 * @param shards simulator processes; shard k of n simulates every n-th block of hosts
 * @param fleetArgs the {@code psfleet simulate} options every shard gets (hosts, duration, seed,
 *     scenarios...): the same fleet, split by {@code --shard}
 * @param checkpointInterval the job's checkpoint interval (alerts become visible at checkpoints)
 * @param killBroker the broker to kill with SIGKILL mid-run, or 0 for none
 * @param killAfter how long after the shards start the broker dies
 * @param settle how long to wait after the shards end for the last alerts
 * @param startTimeout how long each part may take to come up
 * @param dir the working folder: data, logs, checkpoints, the process ledger
 * @param out where report.json and report.html go
 * @param keep keep {@code dir} after a successful run (a failed run always keeps it)
 * @param jobExtraArgs further options of the detection job, checked here: {@code --rules} with
 *     absolute paths (the JobManager runs the job's main and reads them there)
 */
public record ClusterSettings(
    int brokers,
    int taskManagers,
    int slots,
    int parallelism,
    int shards,
    List<String> fleetArgs,
    Duration checkpointInterval,
    int killBroker,
    Duration killAfter,
    Duration settle,
    Duration startTimeout,
    Path dir,
    Path out,
    boolean keep,
    List<String> jobExtraArgs) {

  public ClusterSettings {
    fleetArgs = List.copyOf(fleetArgs);
    jobExtraArgs = List.copyOf(jobExtraArgs);
    require(
        parallelism >= 1 && parallelism <= taskManagers * slots,
        "--parallelism must be 1.." + taskManagers * slots + " (task managers x slots)");
    require(
        killBroker >= 0 && killBroker <= brokers,
        "--kill-broker must be 0 (none) or 1.." + brokers);
    require(
        killBroker == 0 || brokers >= 3,
        "--kill-broker needs at least 3 brokers: with fewer, writes need every broker");
    try {
      // The job checks its own options too, but only once the cluster is up: check them now.
      List<String> probe =
          new java.util.ArrayList<>(
              List.of(
                  "--bootstrap",
                  "127.0.0.1:9092",
                  "--parallelism",
                  Integer.toString(parallelism),
                  "--checkpoint-interval",
                  checkpointInterval.toMillis() + "ms"));
      probe.addAll(jobExtraArgs);
      JobConfig.fromArgs(probe.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new UsageException(message);
    }
  }
}
