package io.psfleet.bench;

import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.jobs.io.SplitDeadLetters;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The reference a detection job is measured against: the same Kafka source and decoder, the
 * dead-letter split, and nothing after it. Reads the topic to its current end, then stops.
 */
public final class FloorJob {
  private FloorJob() {}

  /** Events per second of Flink's net runtime (job start excluded) over {@code events} records. */
  public static double run(JobConfig config, long events) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(config.parallelism());
    env.getConfig().enableObjectReuse(); // as the full job does
    env.fromSource(
            FleetDetectionJob.kafkaSource(config.withBounded(true)),
            WatermarkStrategy.noWatermarks(),
            "Telemetry source")
        .process(new SplitDeadLetters())
        .sinkTo(new DiscardingSink<>());
    JobExecutionResult result = env.execute("floor: read and decode");
    return events * 1000.0 / result.getNetRuntime();
  }
}
