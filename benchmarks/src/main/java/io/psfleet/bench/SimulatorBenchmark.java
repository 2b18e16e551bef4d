package io.psfleet.bench;

import io.psfleet.agent.cli.FormatOption;
import io.psfleet.agent.cli.TransplantSpecs;
import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetSummary;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.replay.Transplant;
import io.psfleet.commandline.Commands;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.Topics;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./psfleet bench-sim}: how fast the simulator generates events with no Kafka behind it (per
 * fleet size, with heap per host), and how fast it publishes to a real broker next to Kafka's own
 * ProducerPerformance with the same settings, record count and record size, in the same run.
 */
@Command(
    name = "sim",
    aliases = "bench-sim",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Prints the simulator's figures: generation rate without Kafka and heap per host for each"
          + " fleet size, then publishing rate to an embedded broker beside Kafka's own"
          + " ProducerPerformance (same settings, records and record size) and their ratio.",
      "100,000 hosts need a large heap: the launcher gives bench sim -Xmx8g unless"
          + " PSFLEET_JAVA_OPTS says otherwise."
    })
public final class SimulatorBenchmark implements Callable<Integer> {
  private static final double EVENTS_PER_HOST_MINUTE = 1300.0 / 60; // workstation steady state
  private static final String PERF_TOPIC = "psfleet.bench.producer-performance";

  private final PrintStream out;

  @Spec CommandSpec spec;

  @Option(
      names = "--hosts",
      paramLabel = "N,N,...",
      split = ",",
      description = "fleet sizes for the generation benchmark")
  List<Integer> hostCounts = List.of(1000, 10_000, 100_000);

  @Option(
      names = "--events",
      paramLabel = "N",
      description = "steady-state events to generate per fleet size (10000-1000000000)")
  long events = 3_000_000;

  @Option(
      names = "--publish-hosts",
      paramLabel = "N",
      description = "fleet size for the publishing benchmark (1-1000000)")
  int publishHosts = 2000;

  @Option(
      names = "--publish-events",
      paramLabel = "N",
      description =
          "events to publish per round, 10000-1000000000 (ProducerPerformance sends as many)")
  long publishEvents = 5_000_000;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description = "publishing rounds, 1-20 (simulator then ProducerPerformance each)")
  int rounds = 3;

  @Option(names = "--threads", paramLabel = "N", description = "simulator worker threads (1-256)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--replay",
      paramLabel = "FILE[:hosts=N][:every=D]",
      description =
          "also measure a recording transplanted onto the hosts of a --replay-fleet fleet, beside"
              + " the same fleet without it (the --replay grammar of simulate; default hosts: the"
              + " whole fleet, every 30s)")
  String replay;

  @Option(
      names = "--replay-fleet",
      paramLabel = "N",
      description = "fleet size for the transplant benchmark (1-1000000)")
  int replayFleet = 10_000;

  @Option(
      names = "--formats",
      paramLabel = "F,F,...",
      split = ",",
      converter = FormatOption.Converter.class,
      completionCandidates = FormatOption.Names.class,
      description =
          "record formats to measure, each for generation and publishing: avro, json,"
              + " sysmon-xml, ecs, flat-json, ocsf (a Sysmon format has fewer records than the"
              + " simulator has events: it leaves thread exits and local threads out)")
  List<RecordFormat> formats = List.of(RecordFormat.AVRO);

  @Option(names = "--skip-generation", description = "only the publishing benchmark")
  boolean skipGeneration;

  @Option(names = "--skip-publish", description = "only the generation benchmark")
  boolean skipPublish;

  public SimulatorBenchmark(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    Commands.range(spec, "--threads", threads, 1, 256);
    Commands.range(spec, "--events", events, 10_000, 1_000_000_000);
    Commands.range(spec, "--publish-hosts", publishHosts, 1, 1_000_000);
    Commands.range(spec, "--publish-events", publishEvents, 10_000, 1_000_000_000);
    Commands.range(spec, "--rounds", rounds, 1, 20);
    for (int h : hostCounts) {
      Commands.range(spec, "--hosts", h, 1, 10_000_000);
    }
    Commands.range(spec, "--replay-fleet", replayFleet, 1, 1_000_000);
    List<Transplant> transplants =
        replay == null
            ? List.of()
            : new TransplantSpecs()
                .parse(
                    List.of(
                        replay
                            + (replay.contains(":hosts=") ? "" : ":hosts=" + replayFleet)
                            + (replay.contains(":every=") || replay.contains(":at=")
                                ? ""
                                : ":every=30s")));
    FleetAssets assets = FleetAssets.create();
    out.printf(
        "psfleet bench-sim: %d cores, %d worker threads, max heap %d MiB, Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        threads,
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));
    if (!skipGeneration) {
      out.println();
      out.println(
          "Generation (no Kafka; kernel + sensor + workload + encoding; boot not published)");
      out.println(
          "  format          hosts  simulated     records     wall s     records/s  records/s/core"
              + "  heap/host");
      for (RecordFormat format : formats) {
        for (int hosts : hostCounts) {
          generation(assets, hosts, events, threads, format);
        }
      }
    }
    if (!transplants.isEmpty()) {
      out.println();
      transplant(assets, transplants, threads);
    }
    if (!skipPublish) {
      out.println();
      return publishing(assets, publishHosts, publishEvents, threads, rounds);
    }
    return 0;
  }

  private void generation(
      FleetAssets assets, int hosts, long events, int threads, RecordFormat format) {
    double minutes = Math.max(2, events / (hosts * EVENTS_PER_HOST_MINUTE));
    Duration duration = Duration.ofSeconds((long) (minutes * 60) + 30);
    FleetConfig config = config(hosts, duration, threads);
    DiscardingPublisher sink = new DiscardingPublisher();
    FleetSummary summary = new Fleet(config, assets, sink, null, format, p -> {}).run();
    double wall = summary.last().wallNanos() / 1e9;
    double rate = summary.last().events() / wall;
    out.printf(
        Locale.ROOT,
        "  %-10s %10d %6.1f min %,11d %10.1f %,13.0f %,15.0f %,8d B%n",
        format.optionName(),
        hosts,
        duration.toSeconds() / 60.0,
        summary.last().events(),
        wall,
        rate,
        rate / Math.min(threads, Runtime.getRuntime().availableProcessors()),
        summary.heapBytesPerHost());
  }

  /**
   * The same fleet with and without the recording woven in: how much replaying costs, and how many
   * replayed events per second one JVM produces on top of the fleet's own.
   */
  private void transplant(FleetAssets assets, List<Transplant> transplants, int threads) {
    Transplant t = transplants.get(0);
    out.println(
        "Transplant (no Kafka): "
            + t.recording().summary()
            + " onto "
            + (t.hostCount() > 0 ? Math.min(t.hostCount(), replayFleet) + " hosts" : t.spec())
            + " of "
            + replayFleet);
    out.println(
        "  fleet           hosts transplants  replayed ev      events     wall s      events/s"
            + "  replayed ev/s");
    Duration duration = Duration.ofMinutes(3);
    boolean warm = false;
    // The first run warms the JIT up for both (its figures would favour whichever runs second).
    for (boolean with : new boolean[] {true, false, true}) {
      FleetConfig config =
          config(replayFleet, duration, threads).toBuilder()
              .transplants(with ? transplants : List.of())
              .build();
      TruthCounter sink = new TruthCounter();
      FleetSummary summary =
          new Fleet(config, assets, sink, null, RecordFormat.AVRO, p -> {}).run();
      double wall = summary.last().wallNanos() / 1e9;
      if (!warm) {
        warm = true;
        continue;
      }
      out.printf(
          Locale.ROOT,
          "  %-12s %8d %11d %12d %,11d %10.1f %,13.0f %,14.0f%n",
          with ? "+ recording" : "fleet alone",
          replayFleet,
          sink.truths,
          sink.replayedEvents,
          summary.last().events(),
          wall,
          summary.last().events() / wall,
          sink.replayedEvents / wall);
    }
  }

  /** Discards telemetry; counts ground truth and the events it names. */
  private static final class TruthCounter extends DiscardingPublisher {
    private final SingleObjectCodec<GroundTruth> codec = SingleObjectCodec.groundTruth();
    long truths;
    long replayedEvents;

    @Override
    public void sendGroundTruth(String hostId, byte[] groundTruth) {
      super.sendGroundTruth(hostId, groundTruth);
      truths++;
      try {
        replayedEvents += codec.decode(groundTruth).getEventSequences().size();
      } catch (DecodeException e) {
        throw new IllegalStateException("the fleet wrote ground truth it cannot read", e);
      }
    }
  }

  private int publishing(FleetAssets assets, int hosts, long events, int threads, int rounds) {
    out.println(
        "Publishing to an embedded broker (KRaft, same JVM), producer settings "
            + KafkaPublisherConfig.defaults());
    out.println(
        "Each round runs the simulator, then ProducerPerformance with as many records of the"
            + " simulator's mean size; the ratio is taken per round, side by side.");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin
            .createTopics(
                List.of(new NewTopic(PERF_TOPIC, Topics.DEFAULT_TELEMETRY_PARTITIONS, (short) 1)))
            .all()
            .get();
      }
      double minutes = Math.max(1, events / (hosts * EVENTS_PER_HOST_MINUTE));
      FleetConfig config = config(hosts, Duration.ofSeconds((long) (minutes * 60) + 30), threads);
      long failed = 0;
      for (RecordFormat format : formats) {
        failed += publishingRounds(assets, bootstrap, config, rounds, format);
      }
      out.println(
          "  Note: ProducerPerformance sends unkeyed random letters (one partition at a time); the"
              + " simulator sends records keyed by host over all partitions and also simulates the"
              + " hosts.");
      return failed == 0 ? 0 : 1;
    } catch (Exception e) {
      out.println("publishing benchmark failed: " + e);
      return 1;
    }
  }

  /** {@code rounds} rounds in {@code format}; returns the delivery failures. */
  private long publishingRounds(
      FleetAssets assets, String bootstrap, FleetConfig config, int rounds, RecordFormat format)
      throws Exception {
    out.println("  " + format.optionName() + ":");
    out.println("  round   simulator rec/s   ProducerPerformance rec/s   ratio   records x bytes");
    List<Double> ratios = new ArrayList<>();
    long failed = 0;
    for (int round = 1; round <= rounds; round++) {
      PublisherStats stats;
      double wall;
      try (KafkaTelemetryPublisher publisher =
          new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap))) {
        FleetSummary summary = new Fleet(config, assets, publisher, null, format, p -> {}).run();
        wall = summary.last().wallNanos() / 1e9;
        stats = publisher.stats();
      }
      failed += stats.failed();
      long sent = stats.delivered();
      int meanSize = (int) Math.max(1, stats.bytes() / Math.max(1, stats.sent()));
      double ours = sent / wall;
      ProducerPerformanceRun.Result reference =
          ProducerPerformanceRun.run(bootstrap, PERF_TOPIC, sent, meanSize);
      double ratio = ours / reference.recordsPerSecond();
      ratios.add(ratio);
      out.printf(
          Locale.ROOT,
          "  %5d %,17.0f %,27.0f %7.2f   %,d x %d%n",
          round,
          ours,
          reference.recordsPerSecond(),
          ratio,
          sent,
          meanSize);
    }
    ratios.sort(null);
    out.printf(
        Locale.ROOT,
        "  median ratio %.2f (simulator / ProducerPerformance), %d delivery failures%n",
        ratios.get(ratios.size() / 2),
        failed);

    return failed;
  }

  /** Steady state: hosts boot in the first 30 s without publishing their boot, as a fleet would. */
  private static FleetConfig config(int hosts, Duration duration, int threads) {
    return FleetConfig.builder()
        .hosts(hosts)
        .duration(duration)
        .bootWindow(Duration.ofSeconds(30))
        .threads(threads)
        .bootTelemetry(false)
        .build();
  }
}
