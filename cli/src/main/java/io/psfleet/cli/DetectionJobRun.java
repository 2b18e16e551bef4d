package io.psfleet.cli;

import io.psfleet.cli.cluster.FlinkRest;
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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The detection job of a pipeline run: in this JVM's Flink MiniCluster (the default), or submitted
 * over REST to a running Flink cluster ({@code --flink URL}), the same arguments either way.
 */
final class DetectionJobRun {
  /** Stops the job at the end of the run. */
  @FunctionalInterface
  interface Cancel {
    void cancel() throws Exception;
  }

  private final String where;
  private final Cancel cancel;

  private DetectionJobRun(String where, Cancel cancel) {
    this.where = where;
    this.cancel = cancel;
  }

  /** Where the job runs, for the console: the web UI's address. */
  String where() {
    return where;
  }

  void cancel() throws Exception {
    cancel.cancel();
  }

  /** The job in a MiniCluster of this JVM, its web UI on {@code webUiPort}. */
  static DetectionJobRun local(List<String> args, String checkpointUri, int webUiPort)
      throws Exception {
    JobConfig config = JobConfig.fromArgs(args.toArray(String[]::new));
    config = config.withCheckpointDirectory(checkpointUri);
    Configuration flinkConf = new Configuration();
    flinkConf.set(RestOptions.PORT, webUiPort);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConf);
    FleetDetectionJob.defineOnKafka(env, config);
    JobClient job = env.executeAsync("psfleet detection");
    return new DetectionJobRun(
        "Flink MiniCluster web UI at http://localhost:" + webUiPort,
        () -> job.cancel().get(30, TimeUnit.SECONDS));
  }

  /** The job jar uploaded to the Flink cluster at {@code flink} and run there. */
  static DetectionJobRun remote(URI flink, Path jobJar, List<String> args, int parallelism)
      throws Exception {
    FlinkRest rest = new FlinkRest(flink);
    String jobId = rest.submit(jobJar, args, parallelism, Duration.ofMinutes(3));
    return new DetectionJobRun(
        "job " + jobId + " on the Flink cluster at " + flink, () -> rest.cancel(jobId));
  }
}
