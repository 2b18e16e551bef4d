package io.psfleet.bench;

import io.psfleet.agent.cli.Options;
import io.psfleet.agent.cli.UsageException;
import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetSummary;
import io.psfleet.agent.fleet.HostSelection;
import io.psfleet.agent.fleet.ProfileMix;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.fleet.Shard;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code ./psfleet bench-sim}: how fast the simulator generates events with no Kafka behind it (per
 * fleet size, with heap per host), and how fast it publishes to a real broker next to Kafka's own
 * ProducerPerformance with the same settings, record count and record size, in the same run.
 */
public final class SimulatorBenchmark {
  private static final long START = 1_795_507_200_000_000_000L; // 2026-11-24T08:00:00Z
  private static final double EVENTS_PER_HOST_MINUTE = 1300.0 / 60; // workstation steady state
  private static final String PERF_TOPIC = "psfleet.bench.producer-performance";

  private final PrintStream out;

  SimulatorBenchmark(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    Options options = options();
    try {
      if (!options.parse(args)) {
        System.out.print(options.help());
        return;
      }
      System.exit(new SimulatorBenchmark(System.out).run(options));
    } catch (UsageException e) {
      System.err.println("psfleet bench-sim: " + e.getMessage());
      System.exit(2);
    }
  }

  static Options options() {
    return new Options(
            "bench-sim",
            "Prints the simulator's figures: generation rate without Kafka and heap per host for\n"
                + "each fleet size, then publishing rate to an embedded broker beside Kafka's own\n"
                + "ProducerPerformance (same settings, records and record size) and their ratio.\n"
                + "100,000 hosts need a large heap: the launcher gives bench-sim -Xmx8g unless\n"
                + "PSFLEET_JAVA_OPTS says otherwise.")
        .option("hosts", "N,N,...", "1000,10000,100000", "fleet sizes for the generation benchmark")
        .option("events", "N", "3000000", "steady-state events to generate per fleet size")
        .option("publish-hosts", "N", "2000", "fleet size for the publishing benchmark")
        .option(
            "publish-events",
            "N",
            "5000000",
            "events to publish per round (ProducerPerformance sends as many)")
        .option("rounds", "N", "3", "publishing rounds (simulator then ProducerPerformance each)")
        .option(
            "threads",
            "N",
            String.valueOf(Runtime.getRuntime().availableProcessors()),
            "simulator worker threads")
        .flag("skip-generation", "only the publishing benchmark")
        .flag("skip-publish", "only the generation benchmark");
  }

  int run(Options options) {
    int threads = options.intValue("threads", 1, 256);
    long events = options.longValue("events", 10_000, 1_000_000_000);
    FleetAssets assets = FleetAssets.create();
    out.printf(
        "psfleet bench-sim: %d cores, %d worker threads, max heap %d MiB, Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        threads,
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));
    if (!options.flag("skip-generation")) {
      out.println();
      out.println(
          "Generation (no Kafka; kernel + sensor + workload + Avro encoding; boot not published)");
      out.println(
          "     hosts  simulated      events     wall s      events/s  events/s/core  heap/host");
      for (String size : options.string("hosts").split(",")) {
        int hosts = parseHosts(size);
        generation(assets, hosts, events, threads);
      }
    }
    if (!options.flag("skip-publish")) {
      out.println();
      return publishing(
          assets,
          options.intValue("publish-hosts", 1, 1_000_000),
          options.longValue("publish-events", 10_000, 1_000_000_000),
          threads,
          options.intValue("rounds", 1, 20));
    }
    return 0;
  }

  private void generation(FleetAssets assets, int hosts, long events, int threads) {
    double minutes = Math.max(2, events / (hosts * EVENTS_PER_HOST_MINUTE));
    Duration duration = Duration.ofSeconds((long) (minutes * 60) + 30);
    FleetConfig config = config(hosts, duration, threads);
    DiscardingPublisher sink = new DiscardingPublisher();
    FleetSummary summary = new Fleet(config, assets, sink, null, RecordFormat.AVRO, p -> {}).run();
    double wall = summary.last().wallNanos() / 1e9;
    double rate = summary.last().events() / wall;
    out.printf(
        Locale.ROOT,
        "%10d %8.1f min %,11d %10.1f %,13.0f %,14.0f %,8d B%n",
        hosts,
        duration.toSeconds() / 60.0,
        summary.last().events(),
        wall,
        rate,
        rate / Math.min(threads, Runtime.getRuntime().availableProcessors()),
        summary.heapBytesPerHost());
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
      out.println(
          "  round   simulator rec/s   ProducerPerformance rec/s   ratio   records x bytes");
      List<Double> ratios = new ArrayList<>();
      long failed = 0;
      for (int round = 1; round <= rounds; round++) {
        PublisherStats stats;
        double wall;
        try (KafkaTelemetryPublisher publisher =
            new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap))) {
          FleetSummary summary =
              new Fleet(config, assets, publisher, null, RecordFormat.AVRO, p -> {}).run();
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
      out.println(
          "  Note: ProducerPerformance sends unkeyed random letters (one partition at a time); the"
              + " simulator sends Avro keyed by host over all partitions and also simulates the hosts.");
      return failed == 0 ? 0 : 1;
    } catch (Exception e) {
      out.println("publishing benchmark failed: " + e);
      return 1;
    }
  }

  /** Steady state: hosts boot in the first 30 s without publishing their boot, as a fleet would. */
  private static FleetConfig config(int hosts, Duration duration, int threads) {
    return new FleetConfig(
        hosts,
        Shard.WHOLE,
        1,
        START,
        duration,
        Duration.ofSeconds(30),
        ProfileMix.DEFAULT,
        Map.of(),
        Map.of(),
        HostSelection.ALL,
        new CampaignShape(6, Duration.ofMinutes(10)),
        0,
        0,
        threads,
        Duration.ofSeconds(1),
        false);
  }

  private static int parseHosts(String text) {
    try {
      int hosts = Integer.parseInt(text.trim().replace("_", ""));
      if (hosts < 1) {
        throw new NumberFormatException();
      }
      return hosts;
    } catch (NumberFormatException e) {
      throw new UsageException(
          "--hosts takes positive whole numbers separated by commas, got '" + text + "'");
    }
  }
}
