package io.psfleet.cli.cluster;

import io.psfleet.commandline.UsageException;
import io.psfleet.jobs.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One cluster run's shape: how many of each part, the fleet every shard simulates, whether Kafka is
 * secured, the faults to inject, and where things go.
 *
 * @param brokers Kafka nodes (each broker and controller)
 * @param taskManagers TaskManager JVMs
 * @param slots task slots per TaskManager
 * @param parallelism the detection job's parallelism (at most taskManagers x slots)
 * @param shards simulator processes; shard k of n simulates every n-th block of hosts
 * @param fleetArgs the {@code psfleet simulate} options every shard gets (hosts, duration, seed,
 *     scenarios...): the same fleet, split by {@code --shard}
 * @param checkpointInterval the job's checkpoint interval (alerts become visible at checkpoints)
 * @param secure SASL/SCRAM over TLS with ACLs per principal (see {@link KafkaCluster})
 * @param faults what to break mid-run, and when
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
    boolean secure,
    List<Fault> faults,
    Duration settle,
    Duration startTimeout,
    Path dir,
    Path out,
    boolean keep,
    List<String> jobExtraArgs) {

  public ClusterSettings {
    fleetArgs = List.copyOf(fleetArgs);
    jobExtraArgs = List.copyOf(jobExtraArgs);
    faults = List.copyOf(faults);
    require(
        parallelism >= 1 && parallelism <= taskManagers * slots,
        "--parallelism must be 1.." + taskManagers * slots + " (task managers x slots)");
    for (Fault fault : faults) {
      if (fault instanceof Fault.KillBroker k) {
        require(
            k.broker() >= 1 && k.broker() <= brokers,
            "--kill-broker must be 0 (none) or 1.." + brokers);
        require(
            brokers >= 3,
            "--kill-broker needs at least 3 brokers: with fewer, writes need every broker");
      } else if (fault instanceof Fault.KillTaskManager k) {
        require(
            k.taskManager() >= 1 && k.taskManager() <= taskManagers,
            "--kill-task-manager must be 0 (none) or 1.." + taskManagers);
      } else if (fault instanceof Fault.UpgradeJob u) {
        require(
            u.parallelism() >= 1 && u.parallelism() <= taskManagers * slots,
            "--upgrade-parallelism must be 1.."
                + taskManagers * slots
                + " (task managers x slots)");
        checkJobOptions(u.parallelism(), u.checkpointInterval(), jobExtraArgs);
      } else if (fault instanceof Fault.CutShard c) {
        require(
            c.shard() >= 1 && c.shard() <= shards, "--cut-shard must be 0 (none) or 1.." + shards);
      }
    }
    checkJobOptions(parallelism, checkpointInterval, jobExtraArgs);
  }

  /** The fault of {@code type} this run injects, if any. */
  <F extends Fault> Optional<F> fault(Class<F> type) {
    return faults.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  private static void checkJobOptions(
      int parallelism, Duration checkpointInterval, List<String> jobExtraArgs) {
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
