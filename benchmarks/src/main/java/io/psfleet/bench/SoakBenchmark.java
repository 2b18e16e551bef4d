package io.psfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.Durations;
import io.psfleet.harness.FlinkRest;
import io.psfleet.harness.ScratchDirectory;
import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./psfleet bench soak}: the detection job for a long time at a steady load on an embedded
 * broker, to see whether anything grows that should not. First it measures the saturating rate (how
 * fast the job drains a backlog of the same fleet), then it runs the fleet paced at half of it (or
 * {@code --rate}) for {@code --duration}, sampling every {@code --sample-every} the JVM's heap live
 * heap (after a forced full collection), the latest checkpoint's state size, checkpointed size and
 * duration, and the job's lag. Each series is reported as flat or growing: its least-squares trend
 * over the run, relative to its mean, against {@link #FLAT_TREND}. Not a test: a benchmark that
 * prints figures.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description =
        "Runs the detection job on an embedded broker for --duration at half its saturating rate"
            + " (measured first on a backlog) and reports whether, after a warm-up, the live heap, state size,"
            + " checkpoint size and checkpoint duration stay flat.")
public final class SoakBenchmark implements Callable<Integer> {
  /** A series is flat when its trend over the whole run is within this share of its mean. */
  static final double FLAT_TREND = 0.20;

  private static final String GROUP = "bench-soak";

  private final PrintStream out;

  @Spec CommandSpec spec;

  @Option(
      names = "--duration",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "how long the steady load runs")
  Duration duration = Duration.ofMinutes(30);

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "events per second of the steady load (0: half the measured saturating rate)")
  long rate = 0;

  @Option(names = "--hosts", paramLabel = "N", description = "hosts of the fleet (10-100000)")
  int hosts = 2000;

  @Option(
      names = "--sample-every",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description = "how often heap, state and checkpoints are sampled")
  Duration sampleEvery = Duration.ofSeconds(30);

  @Option(
      names = "--warm-up",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description =
          "the first part of the steady load, while the process tables and the rules' per-host"
              + " state fill, judged apart: the verdicts are on the rest; shorter than --duration")
  Duration warmUp = Duration.ofMinutes(10);

  @Option(
      names = "--calibration-events",
      paramLabel = "N",
      description = "about how many events the backlog that measures the saturating rate holds")
  long calibrationEvents = 2_000_000;

  @Option(names = "--parallelism", paramLabel = "N", description = "job parallelism (1-64)")
  int parallelism = 2;

  /** One sample of the steady phase; -1 where the job had nothing to say yet. */
  record Sample(
      double minutes,
      long liveHeap,
      long stateBytes,
      long checkpointedBytes,
      long checkpointMillis,
      long lag) {}

  public SoakBenchmark(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    Commands.range(spec, "--hosts", hosts, 10, 100_000);
    Commands.range(spec, "--rate", rate, 0, 10_000_000);
    Commands.range(spec, "--parallelism", parallelism, 1, 64);
    Commands.range(spec, "--calibration-events", calibrationEvents, 10_000, 100_000_000);
    if (warmUp.compareTo(duration) >= 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--warm-up "
              + Durations.format(warmUp)
              + " leaves nothing of --duration "
              + Durations.format(duration)
              + " to judge: make it shorter than the run");
    }
    out.printf(
        Locale.ROOT,
        "psfleet bench soak: %d cores, max heap %d MiB, parallelism %d, %d hosts, %s steady"
            + " load, samples every %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        parallelism,
        hosts,
        Durations.format(duration),
        Durations.format(sampleEvery));
    FleetAssets assets = FleetAssets.create();
    try (ScratchDirectory checkpoints = new ScratchDirectory("psfleet-bench-soak");
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));

      // The backlog: the fleet flat out, simulated long enough to hold about the asked events.
      Duration backlogSpan =
          Duration.ofSeconds(
              Math.max(
                  60,
                  (long)
                      (calibrationEvents
                          / (hosts * HostileBenchmark.EVENTS_PER_HOST_HOUR)
                          * 3600)));
      out.printf(
          Locale.ROOT,
          "Calibration: publishing a backlog of %s simulated ...%n",
          Durations.format(backlogSpan));
      publish(assets, bootstrap, 1, FleetConfig.Builder.DEFAULT_START, backlogSpan, 0, 0, null);
      long backlog = endOffset(admin);
      int port = HostileBenchmark.freePort();
      long drainStart = System.nanoTime();
      JobClient job = startJob(bootstrap, checkpoints.uri(), port);
      FlinkRest rest = new FlinkRest(URI.create("http://localhost:" + port));
      String jobId = job.getJobID().toHexString();
      while (committed(admin) < backlog) {
        TimeUnit.MILLISECONDS.sleep(200);
      }
      double saturating = backlog / ((System.nanoTime() - drainStart) / 1e9);
      long steady = rate > 0 ? rate : Math.max(100, (long) (saturating / 2));
      out.printf(
          Locale.ROOT,
          "Calibration: the job drained %,d events at %,.0f events/s (start-up included, so a"
              + " lower bound); steady load %,d events/s%n",
          backlog,
          saturating,
          steady);

      double speedup = Math.max(1, steady / (hosts * HostileBenchmark.EVENTS_PER_HOST_HOUR / 3600));
      // Simulated time to spare: the wall clock ends the phase, whatever the fleet's true rate.
      Duration simulated = Duration.ofSeconds((long) (duration.toSeconds() * speedup * 2));
      Instant start = FleetConfig.Builder.DEFAULT_START.plus(backlogSpan).plusSeconds(3600);
      List<Sample> samples = new ArrayList<>();
      long began = System.nanoTime();
      Thread sampler =
          new Thread(
              () -> {
                try {
                  while (!Thread.currentThread().isInterrupted()) {
                    TimeUnit.NANOSECONDS.sleep(sampleEvery.toNanos());
                    Sample s = sample(rest, jobId, admin, began);
                    synchronized (samples) {
                      samples.add(s);
                    }
                    out.printf(
                        Locale.ROOT,
                        "  %6.1f min  live heap %,6d MiB  state %,12d B  checkpointed %,12d B"
                            + "  checkpoint %,6d ms  lag %,d%n",
                        s.minutes(),
                        s.liveHeap() >> 20,
                        s.stateBytes(),
                        s.checkpointedBytes(),
                        s.checkpointMillis(),
                        s.lag());
                  }
                } catch (InterruptedException e) {
                  // the steady phase is over
                } catch (IOException | RuntimeException e) {
                  out.println("sampling stopped: " + e);
                }
              },
              "soak-sampler");
      sampler.setDaemon(true);
      sampler.start();
      out.printf(
          Locale.ROOT,
          "Steady load: %,d events/s (%.0fx simulated time) for %s%n",
          steady,
          speedup,
          Durations.format(duration));
      publish(assets, bootstrap, 2, start, simulated, speedup, steady, duration);
      sampler.interrupt();
      sampler.join();
      long restarts = rest.restarts(jobId);
      job.cancel().get(30, TimeUnit.SECONDS);
      report(List.copyOf(samples), restarts);
    }
    return 0;
  }

  private void report(List<Sample> samples, long restarts) {
    out.println();
    // The first sample still has the backlog's and the start-up's heap: leave it out.
    List<Sample> whole = samples.size() > 2 ? samples.subList(1, samples.size()) : samples;
    double warmUpMinutes = warmUp.toMillis() / 60_000.0;
    List<Sample> steady = whole.stream().filter(s -> s.minutes() >= warmUpMinutes).toList();
    out.printf(Locale.ROOT, "Whole run, %d samples (the first left out):%n", whole.size());
    trends(whole, false);
    out.printf(
        Locale.ROOT,
        "After the %s warm-up, %d samples (the verdicts):%n",
        Durations.format(warmUp),
        steady.size());
    trends(steady, true);
    out.printf("Job restarts: %d%n", restarts);
  }

  private void trends(List<Sample> samples, boolean verdicts) {
    Map<String, ToDoubleFunction<Sample>> series = new LinkedHashMap<>();
    series.put(
        "live heap after a full GC (MiB; simulator, broker and job share the JVM)",
        s -> s.liveHeap() / 1048576.0);
    series.put("state size (bytes)", Sample::stateBytes);
    series.put("checkpointed size (bytes)", Sample::checkpointedBytes);
    series.put("checkpoint duration (ms)", Sample::checkpointMillis);
    series.put("lag (events)", Sample::lag);
    for (Map.Entry<String, ToDoubleFunction<Sample>> e : series.entrySet()) {
      Trend t = Trend.of(samples, Sample::minutes, e.getValue());
      out.printf(
          Locale.ROOT,
          "  %-62s first %,14.0f  last %,14.0f  mean %,14.0f  trend %+6.1f%% of mean%s%n",
          e.getKey(),
          t.first(),
          t.last(),
          t.mean(),
          100 * t.relativeChange(),
          verdicts ? (t.flat(FLAT_TREND) ? ": FLAT" : ": GROWING") : "");
    }
  }

  /**
   * A least-squares line through a series: {@code relativeChange} is how much it moves from the
   * first sample's time to the last's, as a share of the mean.
   */
  record Trend(double first, double last, double mean, double relativeChange) {
    static <T> Trend of(List<T> points, ToDoubleFunction<T> x, ToDoubleFunction<T> y) {
      int n = points.size();
      if (n < 2) {
        double v = n == 0 ? 0 : y.applyAsDouble(points.get(0));
        return new Trend(v, v, v, 0);
      }
      double sx = 0;
      double sy = 0;
      for (T p : points) {
        sx += x.applyAsDouble(p);
        sy += y.applyAsDouble(p);
      }
      double mx = sx / n;
      double my = sy / n;
      double sxy = 0;
      double sxx = 0;
      for (T p : points) {
        double dx = x.applyAsDouble(p) - mx;
        sxy += dx * (y.applyAsDouble(p) - my);
        sxx += dx * dx;
      }
      double slope = sxx == 0 ? 0 : sxy / sxx;
      double span = x.applyAsDouble(points.get(n - 1)) - x.applyAsDouble(points.get(0));
      double change = my == 0 ? 0 : slope * span / Math.abs(my);
      return new Trend(
          y.applyAsDouble(points.get(0)), y.applyAsDouble(points.get(n - 1)), my, change);
    }

    boolean flat(double bound) {
      return relativeChange <= bound;
    }
  }

  private Sample sample(FlinkRest rest, String jobId, Admin admin, long began)
      throws IOException, InterruptedException {
    JsonNode completed = rest.checkpoints(jobId).path("latest").path("completed");
    long lag;
    try {
      lag = endOffset(admin) - committed(admin);
    } catch (Exception e) {
      lag = -1;
    }
    return new Sample(
        (System.nanoTime() - began) / 6e10,
        liveHeap(),
        completed.path("state_size").asLong(-1),
        completed.path("checkpointed_size").asLong(-1),
        completed.path("end_to_end_duration").asLong(-1),
        lag);
  }

  /**
   * Heap in use right after a forced full collection: the live data alone. The pools' own
   * after-collection figures are not enough: G1 updates its old generation's only after an old
   * collection, so between those a growing old generation reads as flat and then jumps.
   */
  private static long liveHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private void publish(
      FleetAssets assets,
      String bootstrap,
      long seed,
      Instant start,
      Duration simulated,
      double speedup,
      long eventsPerSecond,
      Duration wallLimit)
      throws Exception {
    FleetConfig.Builder fleet =
        FleetConfig.builder()
            .hosts(hosts)
            .seed(seed)
            .start(start)
            .duration(simulated)
            .bootWindow(Duration.ofSeconds(1))
            .scenarios(Map.of("dll-injection", 2, "office-macro-chain", 2))
            .speedup(speedup)
            .threads(1)
            .bootTelemetry(false);
    if (eventsPerSecond > 0) {
      fleet.eventsPerSecond(eventsPerSecond);
    }
    try (KafkaTelemetryPublisher publisher =
        new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap))) {
      Fleet run = new Fleet(fleet.build(), assets, publisher, null, RecordFormat.AVRO, p -> {});
      Thread stopper = null;
      if (wallLimit != null) {
        stopper =
            new Thread(
                () -> {
                  try {
                    TimeUnit.NANOSECONDS.sleep(wallLimit.toNanos());
                    run.stop();
                  } catch (InterruptedException e) {
                    // the fleet ended first
                  }
                },
                "soak-stop");
        stopper.setDaemon(true);
        stopper.start();
      }
      run.run();
      if (stopper != null) {
        stopper.interrupt();
      }
    }
  }

  private JobClient startJob(String bootstrap, String checkpointUri, int port) throws Exception {
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {
              "--bootstrap",
              bootstrap,
              "--group-id",
              GROUP,
              "--start-from",
              "earliest",
              "--parallelism",
              Integer.toString(parallelism),
              "--checkpoint-interval",
              "2s",
              "--checkpoint-dir",
              checkpointUri
            });
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, port);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    FleetDetectionJob.defineOnKafka(env, config);
    return env.executeAsync("detection soak");
  }

  private static long endOffset(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
    for (int p = 0; p < Topics.DEFAULT_TELEMETRY_PARTITIONS; p++) {
      latest.put(new TopicPartition(Topics.TELEMETRY, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
        .mapToLong(o -> o.offset())
        .sum();
  }

  /** The job's offsets, committed at each checkpoint. */
  private static long committed(Admin admin) throws Exception {
    return admin
        .listConsumerGroupOffsets(GROUP)
        .partitionsToOffsetAndMetadata()
        .get(10, TimeUnit.SECONDS)
        .values()
        .stream()
        .filter(o -> o != null)
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }
}
