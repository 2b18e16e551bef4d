package io.psfleet.bench;

import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.io.DeadLetter;
import io.psfleet.jobs.io.InputBounds;
import io.psfleet.jobs.io.RawTelemetry;
import io.psfleet.jobs.io.SplitDeadLetters;
import io.psfleet.jobs.io.TelemetryDecoder;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The reference a detection job is measured against: the same Kafka source and header read, the
 * dead-letter split, the same whole decode the detection job does after its keyBy (here chained,
 * without the keyBy), and nothing after it. Reads the topic to its current end, then stops.
 */
public final class FloorJob {
  /** The keyed floor's operator after the keyBy (a task, hence a thread, of its own). */
  static final String DECODE_NAME = "Decode after keyBy";

  private FloorJob() {}

  /**
   * Events per second of Flink's net runtime (job start excluded) over {@code events} records;
   * {@code keyed} puts the detection job's exchange before the decode (the raw records keyed by
   * host), so that the cost of the shuffle alone shows beside the floor.
   */
  public static double run(JobConfig config, long events, boolean keyed) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(config.parallelism());
    env.getConfig().enableObjectReuse(); // as the full job does
    DataStream<RawTelemetry> records =
        env.fromSource(
                FleetDetectionJob.kafkaSource(config.withBounded(true)),
                WatermarkStrategy.noWatermarks(),
                "Telemetry source")
            .process(new SplitDeadLetters());
    if (keyed) {
      records = records.keyBy(RawTelemetry::hostId);
    }
    records
        .flatMap(new Decode(config.inputBounds()))
        .name(keyed ? DECODE_NAME : "Decode")
        .sinkTo(new DiscardingSink<>());
    JobExecutionResult result =
        env.execute(keyed ? "floor: read, key by host, decode" : "floor: read and decode");
    return events * 1000.0 / result.getNetRuntime();
  }

  /** The detection job's decode; the floor drops what does not decode, as it drops the rest. */
  private static final class Decode implements FlatMapFunction<RawTelemetry, Telemetry> {
    private static final long serialVersionUID = 1L;
    private static final Consumer<DeadLetter> DROP = letter -> {};
    private final TelemetryDecoder decoder;

    Decode(InputBounds bounds) {
      decoder = new TelemetryDecoder(bounds);
    }

    @Override
    public void flatMap(RawTelemetry record, Collector<Telemetry> out) {
      Telemetry event = decoder.decode(record, DROP);
      if (event != null) {
        out.collect(event);
      }
    }
  }
}
