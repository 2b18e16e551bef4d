package io.psfleet.harness;

import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The detection job of a pipeline run: in this JVM's Flink MiniCluster (the default), or submitted
 * over REST to a running Flink cluster ({@code --flink URL}), the same arguments either way.
 * Closing it cancels a job the run did not {@link #end} (a run that failed half-way).
 */
public final class DetectionJobRun implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  /** One way of ending the job. */
  @FunctionalInterface
  private interface Ending {
    void run() throws Exception;
  }

  private final String where;
  private final Ending stopWithSavepoint;
  private final Ending cancel;
  private boolean ended;

  private DetectionJobRun(String where, Ending stopWithSavepoint, Ending cancel) {
    this.where = where;
    this.stopWithSavepoint = stopWithSavepoint;
    this.cancel = cancel;
  }

  /** Where the job runs, for the console: the web UI's address. */
  public String where() {
    return where;
  }

  /**
   * Ends the job. On a Kafka that outlives the run it stops with a savepoint, which commits the
   * job's last alert transaction: a cancelled job leaves it open, and an open transaction holds
   * every read_committed reader of the alerts topic back until the transaction times out (10
   * minutes). When the savepoint fails the job is cancelled and the reason returned.
   *
   * @return null, or why the job had to be cancelled instead
   */
  public String end(boolean kafkaOutlivesRun) throws Exception {
    ended = true;
    String warning = null;
    if (kafkaOutlivesRun) {
      try {
        stopWithSavepoint.run();
        return null;
      } catch (Exception e) {
        warning =
            "stopping the job with a savepoint failed ("
                + e.getMessage()
                + "); cancelled it: its last alert transaction stays open until it times out";
      }
    }
    cancel.run();
    return warning;
  }

  @Override
  public void close() {
    if (!ended) {
      ended = true;
      try {
        cancel.run();
      } catch (Exception e) {
        // The run is failing already; the job goes with the MiniCluster or times out remotely.
      }
    }
  }

  /** The job in a MiniCluster of this JVM, its web UI on {@code webUiPort}. */
  public static DetectionJobRun local(List<String> args, String scratchUri, int webUiPort)
      throws Exception {
    JobConfig config = JobConfig.fromArgs(args.toArray(String[]::new));
    config = config.withCheckpointDirectory(scratchUri);
    Configuration flinkConf = new Configuration();
    flinkConf.set(RestOptions.PORT, webUiPort);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConf);
    FleetDetectionJob.defineOnKafka(env, config);
    JobClient job = env.executeAsync("psfleet detection");
    return new DetectionJobRun(
        "Flink MiniCluster web UI at http://localhost:" + webUiPort,
        () ->
            job.stopWithSavepoint(false, scratchUri + "savepoints", SavepointFormatType.CANONICAL)
                .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
        () -> job.cancel().get(30, TimeUnit.SECONDS));
  }

  /** The job jar uploaded to the Flink cluster at {@code flink} and run there. */
  public static DetectionJobRun remote(
      URI flink, Path jobJar, List<String> args, int parallelism, String scratchUri)
      throws Exception {
    FlinkRest rest = new FlinkRest(flink);
    String jobId = rest.submit(jobJar, args, parallelism, Duration.ofMinutes(3));
    return new DetectionJobRun(
        "job " + jobId + " on the Flink cluster at " + flink,
        () -> rest.stopWithSavepoint(jobId, scratchUri + "savepoints", STOP_TIMEOUT),
        () -> rest.cancel(jobId));
  }
}
