package io.psfleet.cli.cluster;

import io.psfleet.commandline.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * A fault a cluster run injects, at a time counted from the shards' start. After any of them the
 * run must still hold every telemetry record (by sequence numbers), alert every attack, and alert
 * none twice.
 */
sealed interface Fault {
  /** When it happens, counted from the shards' start. */
  Duration at();

  /** The option that asked for it, for messages that say what to change. */
  String option();

  /** One line for the run's timeline and report. */
  String describe();

  /** A broker killed with SIGKILL: the cluster must fail over without losing a record. */
  record KillBroker(int broker, Duration at) implements Fault {
    public KillBroker {
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String option() {
      return "--kill-broker";
    }

    @Override
    public String describe() {
      return "kill broker " + broker + " (SIGKILL) at +" + Durations.format(at);
    }
  }

  /**
   * A TaskManager killed with SIGKILL and a new one started in its place: the job must restart from
   * its last checkpoint, neither losing nor repeating an alert.
   */
  record KillTaskManager(int taskManager, Duration at) implements Fault {
    public KillTaskManager {
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String option() {
      return "--kill-task-manager";
    }

    @Override
    public String describe() {
      return "kill TaskManager "
          + taskManager
          + " (SIGKILL) at +"
          + Durations.format(at)
          + ", start a replacement";
    }
  }

  /**
   * The job upgraded in flight: stopped with a savepoint, resubmitted with another parallelism and
   * checkpoint interval, resumed from the savepoint.
   */
  record UpgradeJob(Duration at, int parallelism, Duration checkpointInterval) implements Fault {
    public UpgradeJob {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    }

    @Override
    public String option() {
      return "--upgrade-after";
    }

    @Override
    public String describe() {
      return "upgrade the job at +"
          + Durations.format(at)
          + ": stop with a savepoint, resubmit with parallelism "
          + parallelism
          + " and checkpoint interval "
          + Durations.format(checkpointInterval)
          + ", resume";
    }
  }

  /**
   * One simulator shard cut off from every broker for {@code length}: its sensors spool, and
   * forward in order once the link is back.
   */
  record CutShard(int shard, Duration at, Duration length) implements Fault {
    public CutShard {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(length, "length");
    }

    @Override
    public String option() {
      return "--cut-shard";
    }

    @Override
    public String describe() {
      return "cut shard "
          + shard
          + " off Kafka at +"
          + Durations.format(at)
          + " for "
          + Durations.format(length);
    }
  }
}
