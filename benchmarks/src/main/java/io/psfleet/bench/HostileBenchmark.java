package io.psfleet.bench;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.commandline.Commands;
import io.psfleet.harness.FlinkRest;
import io.psfleet.harness.ScratchDirectory;
import io.psfleet.harness.TopicTail;
import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicReader;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.Topics;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./psfleet bench hostile}: the detection job at a fixed load on an embedded broker, first
 * alone, then while a hostile producer ({@link HostileTraffic}) feeds the same telemetry topic
 * every bad record of issue 18 and one host floods at a multiple of a host's rate. Restarts are
 * allowed, as in production, and counted (Flink's {@code numRestarts}). It prints what went where:
 * dead letters by reason, the hostile attacks that still alerted and how often, the fleet's time to
 * alert in both phases, and the restarts.
 */
@Command(
    name = "hostile",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description =
        "Prints what the detection job does with hostile input at load on an embedded broker:"
            + " dead letters by reason, hostile attacks still alerted, the fleet's time to alert"
            + " without and with a host flooding at --flood-factor times a host's rate, and"
            + " restarts (0 expected).")
public final class HostileBenchmark implements Callable<Integer> {
  /** About how many events a simulated host of the default profile mix sends an hour. */
  static final double EVENTS_PER_HOST_HOUR = 1300;

  private final PrintStream out;

  @Spec CommandSpec spec;

  @Option(names = "--hosts", paramLabel = "N", description = "hosts of the fleet (10-100000)")
  int hosts = 500;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "the fleet's events per second in both phases (100-1000000)")
  long rate = 5_000;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      description = "wall-clock length of each phase (10-3600)")
  int seconds = 60;

  @Option(
      names = "--flood-factor",
      paramLabel = "N",
      description = "the flooding host sends this many times a fleet host's rate (1-100000)")
  int floodFactor = 1000;

  @Option(names = "--parallelism", paramLabel = "N", description = "job parallelism (1-64)")
  int parallelism = 2;

  public HostileBenchmark(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    Commands.range(spec, "--hosts", hosts, 10, 100_000);
    Commands.range(spec, "--rate", rate, 100, 1_000_000);
    Commands.range(spec, "--seconds", seconds, 10, 3600);
    Commands.range(spec, "--flood-factor", floodFactor, 1, 100_000);
    Commands.range(spec, "--parallelism", parallelism, 1, 64);
    double speedup = Math.max(1, rate / (hosts * EVENTS_PER_HOST_HOUR / 3600));
    double floodRate = floodFactor * rate / (double) hosts;
    out.printf(
        Locale.ROOT,
        "psfleet bench hostile: %d cores, max heap %d MiB, parallelism %d; %d hosts at %,d"
            + " events/s (%.0fx simulated time), %d s per phase; the flooding host at %dx a"
            + " host's rate: %,.0f events/s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        parallelism,
        hosts,
        rate,
        speedup,
        seconds,
        floodFactor,
        floodRate);
    FleetAssets assets = FleetAssets.create();
    try (ScratchDirectory checkpoints = new ScratchDirectory("psfleet-bench-hostile");
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      int port = freePort();
      JobClient job = startJob(bootstrap, checkpoints.uri(), port);
      FlinkRest rest = new FlinkRest(URI.create("http://localhost:" + port));
      Map<String, Long> firstSeen = new ConcurrentHashMap<>();
      TopicTail watcher =
          new TopicTail(
              bootstrap,
              Topics.ALERTS,
              r -> {
                long now = System.currentTimeMillis();
                try {
                  firstSeen.putIfAbsent(AlertRecord.parse(r.value(), now).uid(), now);
                } catch (IOException e) {
                  // not an alert we can read; the report counts what it can
                }
              });
      TimeUnit.SECONDS.sleep(5); // the source finds the end of the topic before records arrive

      Duration simulated = Duration.ofSeconds((long) (seconds * speedup));
      Instant calmStart = FleetConfig.Builder.DEFAULT_START;
      Instant hostileStart = calmStart.plus(simulated).plusSeconds(3600);
      long[] calm = phase(assets, bootstrap, 99, calmStart, simulated, speedup, null, 0);
      String jobId = job.getJobID().toHexString();
      TimeUnit.SECONDS.sleep(5); // a checkpoint of the phase's end
      long calmCheckpoint = rest.latestCheckpointBytes(jobId);
      out.printf(
          "Phase 1 (the fleet alone) done; phase 2: the fleet, a hostile producer, a flood%n");
      AtomicLong wallStart = new AtomicLong(System.nanoTime());
      long hostileStartNanos = hostileStart.getEpochSecond() * 1_000_000_000L;
      try (HostileTraffic hostile =
          new HostileTraffic(
              bootstrap,
              Topics.TELEMETRY,
              () -> hostileStartNanos + (long) ((System.nanoTime() - wallStart.get()) * speedup))) {
        wallStart.set(System.nanoTime());
        long[] stormy =
            phase(assets, bootstrap, 100, hostileStart, simulated, speedup, hostile, floodRate);
        TimeUnit.SECONDS.sleep(15); // the last alerts' checkpoint and transaction
        long restarts = rest.restarts(jobId);
        String status = job.getJobStatus().get().toString();
        List<String> names =
            List.of(
                "deadLetters",
                "truncatedFields",
                "truncatedEvents",
                "sequenceJumps",
                "bootReplays",
                "duplicateEvents",
                "processEvictions",
                "correlationEvicted");
        Map<String, Long> metrics = new java.util.LinkedHashMap<>();
        for (String name : names) {
          rest.operatorMetricSum(jobId, name);
        }
        // The REST metric store fetches from the task managers every 10 s, on first demand.
        TimeUnit.SECONDS.sleep(12);
        for (String name : names) {
          metrics.put(name, rest.operatorMetricSum(jobId, name));
        }
        long stormyCheckpoint = rest.latestCheckpointBytes(jobId);
        job.cancel().get(30, TimeUnit.SECONDS);
        watcher.close();
        report(bootstrap, hostile, firstSeen, calm, stormy, restarts, status);
        out.println("The job's own counts (Flink metrics, summed over subtasks):");
        metrics.forEach((name, n) -> out.printf(Locale.ROOT, "  %,10d  %s%n", n, name));
        out.printf(
            Locale.ROOT,
            "Checkpointed state: %,d bytes after phase 1, %,d bytes after phase 2%n",
            calmCheckpoint,
            stormyCheckpoint);
      }
    }
    return 0;
  }

  private JobClient startJob(String bootstrap, String checkpointUri, int port) throws Exception {
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {
              "--bootstrap",
              bootstrap,
              "--group-id",
              "bench-hostile",
              "--start-from",
              "latest",
              "--parallelism",
              Integer.toString(parallelism),
              "--checkpoint-interval",
              "2s",
              "--checkpoint-dir",
              checkpointUri
            });
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, port);
    // As in production: a failure restarts the job, so a crash loop shows as restarts.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    FleetDetectionJob.defineOnKafka(env, config);
    return env.executeAsync("detection under hostile input");
  }

  /**
   * One phase: a paced fleet with injected attacks; with {@code hostile}, one round of hostile
   * records a second and the flood beside it ({@code floodRate} events/s in 10 ms ticks), for as
   * long as the fleet runs.
   *
   * @return the phase's wall-clock start and end (epoch ms)
   */
  private long[] phase(
      FleetAssets assets,
      String bootstrap,
      long seed,
      Instant start,
      Duration simulated,
      double speedup,
      HostileTraffic hostile,
      double floodRate)
      throws Exception {
    FleetConfig paced =
        FleetConfig.builder()
            .hosts(hosts)
            .seed(seed)
            .start(start)
            .duration(simulated)
            .bootWindow(Duration.ofSeconds(1))
            .scenarios(
                Map.of(
                    "dll-injection", 5,
                    "ppid-spoofing", 5,
                    "office-macro-chain", 5,
                    "dll-sideloading", 5,
                    "sensitive-process-module", 5))
            .speedup(speedup)
            .eventsPerSecond(rate)
            .threads(1)
            .bootTelemetry(false)
            .build();
    long begin = System.currentTimeMillis();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> attackers = new ArrayList<>();
    if (hostile != null) {
      attackers.add(daemon("hostile-rounds", running, () -> hostile.round(), 1000));
      int perTick = (int) Math.max(1, floodRate / 100);
      attackers.add(daemon("flood", running, () -> hostile.flood(perTick), 10));
    }
    try (KafkaTelemetryPublisher publisher =
        new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap))) {
      new Fleet(paced, assets, publisher, null, RecordFormat.AVRO, p -> {}).run();
    } finally {
      running.set(false);
      for (Thread t : attackers) {
        t.join();
      }
      if (hostile != null) {
        hostile.flush();
      }
    }
    return new long[] {begin, System.currentTimeMillis()};
  }

  /** Runs {@code step} every {@code periodMillis} until {@code running} goes false. */
  private static Thread daemon(
      String name, AtomicBoolean running, Runnable step, long periodMillis) {
    Thread t =
        new Thread(
            () -> {
              long next = System.nanoTime();
              while (running.get()) {
                step.run();
                next += periodMillis * 1_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                  try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void report(
      String bootstrap,
      HostileTraffic hostile,
      Map<String, Long> firstSeen,
      long[] calm,
      long[] stormy,
      long restarts,
      String status)
      throws Exception {
    out.println();
    out.println("Hostile records sent, by case:");
    hostile.sent().forEach((what, n) -> out.printf(Locale.ROOT, "  %,10d  %s%n", n, what));

    Map<String, long[]> letters = new TreeMap<>(); // reason -> count, cut copies, largest value
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, Topics.DEAD_LETTER)) {
      long[] c = letters.computeIfAbsent(header(r, "psfleet.dlq.reason"), k -> new long[3]);
      c[0]++;
      c[1] += "true".equals(header(r, "psfleet.dlq.value-cut")) ? 1 : 0;
      c[2] = Math.max(c[2], r.value() == null ? 0 : r.value().length);
    }
    out.println("Dead letters, by reason (cut: copies cut to --max-record-bytes):");
    letters.forEach(
        (reason, c) ->
            out.printf(
                Locale.ROOT,
                "  %,10d  %-16s cut %,d, largest value %,d bytes%n",
                c[0],
                reason,
                c[1],
                c[2]));

    List<AlertRecord> alerts = new ArrayList<>();
    Map<String, Integer> hostileAlerts = new TreeMap<>();
    long cutAlerts = 0;
    long largestAlert = 0;
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, Topics.ALERTS)) {
      Long seen = firstSeen.get(AlertRecord.parse(r.value(), r.timestamp()).uid());
      AlertRecord alert = AlertRecord.parse(r.value(), seen == null ? r.timestamp() : seen);
      alerts.add(alert);
      largestAlert = Math.max(largestAlert, r.value().length);
      String json = new String(r.value(), StandardCharsets.UTF_8);
      cutAlerts += json.contains("[truncated]") || json.contains("psfleet_truncated") ? 1 : 0;
      if (alert.hostId().startsWith("hostile-")
          || alert.hostId().equals(HostileTraffic.FLOOD_HOST)) {
        hostileAlerts.merge(alert.hostId(), 1, Integer::sum);
      }
    }
    long attacked = hostileAlerts.keySet().stream().filter(h -> !h.startsWith("flood")).count();
    long twice = hostileAlerts.values().stream().filter(n -> n > 1).count();
    out.printf(
        Locale.ROOT,
        "Hostile attacks (Office -> cmd.exe lineage among the bad records): %d sent, %d alerted,"
            + " %d hosts alerted more than once; %d alerts on the flooding host%n",
        hostile.attacks(),
        attacked,
        twice,
        hostileAlerts.getOrDefault(HostileTraffic.FLOOD_HOST, 0));
    out.printf(
        Locale.ROOT,
        "Alerts: %,d in all, %,d with cut texts, largest %,d bytes%n",
        alerts.size(),
        cutAlerts,
        largestAlert);

    List<GroundTruthJoin.Truth> truths = new ArrayList<>();
    SingleObjectCodec<GroundTruth> codec = SingleObjectCodec.groundTruth();
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, Topics.GROUND_TRUTH)) {
      truths.add(new GroundTruthJoin.Truth(codec.decode(r.value()), r.timestamp()));
    }
    out.println("The fleet's time to alert (ground truth on Kafka to the alert seen by a reader):");
    JobBenchmark.printTimeToAlert(
        out, "phase 1, the fleet alone", GroundTruthJoin.join(within(truths, calm), alerts));
    JobBenchmark.printTimeToAlert(
        out,
        "phase 2, hostile records and the flood",
        GroundTruthJoin.join(within(truths, stormy), alerts));
    out.printf("Job restarts: %d (job %s at the end)%n", restarts, status);
  }

  private static List<GroundTruthJoin.Truth> within(List<GroundTruthJoin.Truth> all, long[] span) {
    return all.stream()
        .filter(t -> t.kafkaTimestampMillis() >= span[0] && t.kafkaTimestampMillis() <= span[1])
        .toList();
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
