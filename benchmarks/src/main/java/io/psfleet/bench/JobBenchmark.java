package io.psfleet.bench;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetSummary;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.publish.TelemetryPublisher;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.UsageException;
import io.psfleet.harness.ScratchDirectory;
import io.psfleet.harness.TopicTail;
import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.DetectionReport;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.jobs.RulesOption;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.event.TelemetryMapping;
import io.psfleet.jobs.io.Envelope;
import io.psfleet.jobs.io.InputBounds;
import io.psfleet.jobs.io.TelemetryDecoder;
import io.psfleet.jobs.io.TelemetryDeserializationSchema;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.InMemoryProcessStore;
import io.psfleet.jobs.lineage.ProcessNode;
import io.psfleet.jobs.lineage.ProcessNodeSerializer;
import io.psfleet.jobs.lineage.ProcessTable;
import io.psfleet.jobs.sigma.SigmaDetector;
import io.psfleet.jobs.sigma.SigmaFunction;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicReader;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.Topics;
import io.psfleet.schema.codec.SingleObjectCodec;
import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.sigma.LoadReport;
import io.psfleet.sigma.RuleCost;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./psfleet bench-job}: the detection job's throughput on a pre-filled telemetry topic
 * beside a floor job that only reads and decodes the same topic (same source, same parallelism,
 * same run) and that floor with the job's keyBy by host before the decode, end-to-end time to alert
 * at a fixed load, and the process table's bytes per process.
 */
@Command(
    name = "job",
    aliases = "bench-job",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description =
        "Prints the detection job's figures on an embedded broker: throughput of the full job on a"
            + " pre-filled telemetry topic beside a read-and-decode-only floor job and that floor"
            + " with the job's keyBy by host (and their ratios, and each run's CPU per event by"
            + " thread), time to alert at a fixed load (p50/p95/p99/max), and serialized bytes per"
            + " process in the lineage state. Also the Sigma engine alone (the pack and --rules)"
            + " on the topic's first million events, with and without its verdict memo (time per"
            + " event and per Sysmon event id), and its ten most expensive rules.")
public final class JobBenchmark implements Callable<Integer> {
  private static final double EVENTS_PER_HOST_HOUR = 1300;
  private static final double BOOT_EVENTS_PER_HOST = 900;
  private final PrintStream out;

  @Spec CommandSpec spec;

  @Option(
      names = "--events",
      paramLabel = "N",
      description =
          "target events to pre-fill the telemetry topic with, 100000-1000000000 (the fill is"
              + " planned from average rates and lands near it)")
  long events = 12_500_000;

  @Option(
      names = "--hosts",
      paramLabel = "N",
      description = "hosts of the fleet that fills the topic (10-1000000)")
  int hosts = 2000;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "parallelism of every job it runs (1-64)")
  int parallelism = 2;

  @Option(
      names = "--latency-rate",
      paramLabel = "N",
      description = "events per second during the time-to-alert phase (100-10000000)")
  long latencyRate = 20_000;

  @Option(
      names = "--latency-seconds",
      paramLabel = "N",
      description = "wall-clock length of the time-to-alert phase (10-3600)")
  int latencySeconds = 60;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description =
          "rounds of the throughput runs (floor, full job, full job + Sigma), 1-10. The first"
              + " warms the JIT up for every job, as hours of running warm a deployed one (in one"
              + " round the first run of each code path pays for its compilation); from 3 rounds"
              + " on, the ratios of the rounds after it are summed up as median and range (on a"
              + " shared machine one round's ratio moves by a tenth)")
  int rounds = 2;

  @Option(names = "--skip-latency", description = "only throughput and state size")
  boolean skipLatency;

  @Mixin RulesOption rules = new RulesOption();

  /** Events of the pre-filled topic (kept in memory) the Sigma engine is timed on alone. */
  private static final long COST_SAMPLE_EVENTS = 1_000_000;

  public JobBenchmark(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    Commands.range(spec, "--events", events, 100_000, 1_000_000_000);
    Commands.range(spec, "--hosts", hosts, 10, 1_000_000);
    Commands.range(spec, "--parallelism", parallelism, 1, 64);
    Commands.range(spec, "--latency-rate", latencyRate, 100, 10_000_000);
    Commands.range(spec, "--latency-seconds", latencySeconds, 10, 3600);
    Commands.range(spec, "--rounds", rounds, 1, 10);
    SigmaRules sigma;
    try {
      sigma = rules.read();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    FleetAssets assets = FleetAssets.create();
    if (!sigma.isEmpty()) {
      long t0 = System.nanoTime();
      SigmaDetector detector = new SigmaDetector(sigma);
      LoadReport report = detector.report();
      out.printf(
          Locale.ROOT,
          "Sigma rules %s: %d compiled from %d files in %.1f s (%d rejected, %d for other"
              + " logsources, %d correlation/filter not run)%n",
          rules.paths(),
          detector.rulesCompiled(),
          report.fileCount(),
          (System.nanoTime() - t0) / 1e9,
          report.rejected().size(),
          report.notApplicable().size(),
          report.unsupported().size());
    }
    out.printf(
        "psfleet bench-job: %d cores, max heap %d MiB, parallelism %d%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        parallelism);
    try (ScratchDirectory checkpoints = new ScratchDirectory("psfleet-bench-checkpoints");
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      double hours =
          Math.max(0.25, (events - hosts * BOOT_EVENTS_PER_HOST) / (hosts * EVENTS_PER_HOST_HOUR));
      FleetConfig fill =
          fleet(
              hosts,
              Duration.ofSeconds((long) (hours * 3600)),
              Map.of(
                  "dll-injection",
                  3,
                  "ppid-spoofing",
                  3,
                  "office-macro-chain",
                  3,
                  "fleet-campaign",
                  1),
              0);
      out.printf(
          Locale.ROOT,
          "Filling %s with %d hosts over %.1f simulated hours ...%n",
          Topics.TELEMETRY,
          hosts,
          hours);
      FleetSummary filled;
      long bytes;
      try (KafkaTelemetryPublisher publisher =
          new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap))) {
        filled = new Fleet(fill, assets, publisher, null, RecordFormat.AVRO, p -> {}).run();
        bytes = publisher.stats().bytes();
      }
      long filledEvents = filled.last().events();
      out.printf(
          Locale.ROOT,
          "  %,d events, %,d bytes (mean %d)%n%n",
          filledEvents,
          bytes,
          bytes / Math.max(1, filledEvents));

      JobConfig config =
          JobConfig.defaults(bootstrap)
              .withParallelism(parallelism)
              .withBounded(true)
              .withCheckpointDirectory(checkpoints.uri());
      out.println(
          "Throughput (bounded runs over the whole topic: events/s of Flink's net runtime, job start"
              + " excluded; CPU of this whole process per event, job start included, and by"
              + " thread: the source tasks, their Kafka fetchers, the detection operator,"
              + " checkpoints, the broker, GC/JIT/native as the rest). The keyed floor is the"
              + " floor with the job's exchange: the records keyed by host before the decode, as"
              + " every job that keeps state per host must.");
      WarmedRatios warmed = new WarmedRatios();
      for (int round = 1; round <= rounds; round++) {
        String last = round == 1 && rounds > 1 ? " (warm-up)" : "";
        out.printf(Locale.ROOT, " round %d of %d%s%n", round, rounds, last);
        // Each run reads the whole topic again under a group of its own.
        String suffix = "-" + round;
        Run floor = floorJob(config.withGroupId("bench-floor" + suffix), filledEvents, false);
        Run keyed = floorJob(config.withGroupId("bench-keyed" + suffix), filledEvents, true);
        Run full = fullJob(config.withGroupId("bench-full" + suffix), filledEvents, "full job");
        ratio(warmed, round, "floor + keyBy / floor ", keyed, floor);
        ratio(warmed, round, "full / floor + keyBy  ", full, keyed);
        if (sigma.isEmpty()) {
          ratio(warmed, round, "full / floor          ", full, floor);
        } else {
          Run withSigma =
              fullJob(
                  config.withGroupId("bench-full-sigma" + suffix).withSigmaRules(sigma),
                  filledEvents,
                  "full job + Sigma");
          ratio(warmed, round, "full / floor          ", full, floor);
          ratio(warmed, round, "full + Sigma / floor  ", withSigma, floor);
          ratio(warmed, round, "full + Sigma / full   ", withSigma, full);
        }
        out.println();
      }
      if (warmed.rounds() > 1) {
        out.printf(Locale.ROOT, "Ratios over the %d warmed rounds:%n", warmed.rounds());
        warmed.lines().forEach(line -> out.println("  " + line));
        out.println();
      }
      if (!sigma.isEmpty()) {
        sigmaCosts(bootstrap, sigma);
      }

      stateSize(assets);
      if (!skipLatency) {
        latency(assets, bootstrap, config, latencyRate, latencySeconds);
      }
    }
    return 0;
  }

  /**
   * One throughput run: events per second of Flink's net runtime, and this process's CPU time per
   * event over the whole run (job start, the embedded broker serving the reads and the checkpoints
   * included). On a shared machine the rate moves with whatever else runs; the CPU a job spends on
   * an event moves far less, so its ratio is the steadier comparison of two jobs' costs.
   */
  private record Run(double eventsPerSecond, double cpuMicrosPerEvent) {}

  private void ratio(WarmedRatios warmed, int round, String what, Run job, Run floor) {
    double rate = job.eventsPerSecond() / floor.eventsPerSecond();
    double cpu = floor.cpuMicrosPerEvent() / job.cpuMicrosPerEvent();
    out.printf(Locale.ROOT, "  ratio %s %.2f (CPU per event: %.2f)%n", what, rate, cpu);
    warmed.add(round, what.strip(), rate, cpu);
  }

  private Run floorJob(JobConfig config, long events, boolean keyed) throws Exception {
    ThreadCpu cpu = ThreadCpu.start();
    double rate;
    try (cpu) {
      rate = FloorJob.run(config, events, keyed);
    }
    double micros = cpu.processNanosSpent() / 1_000.0 / events;
    out.printf(
        Locale.ROOT,
        "  %s  %,.0f events/s, %.2f us CPU per event%n",
        keyed ? "floor + keyBy (read, key by host, decode)" : "floor (read + decode)",
        rate,
        micros);
    printCpu(cpu, events);
    return new Run(rate, micros);
  }

  private void printCpu(ThreadCpu cpu, long events) {
    out.printf(Locale.ROOT, "    us CPU per event by thread: %s%n", cpu.perEvent(events));
  }

  private Run fullJob(JobConfig config, long events, String name) throws Exception {
    StreamExecutionEnvironment env = environment();
    FleetDetectionJob.defineOnKafka(env, config);
    ThreadCpu threads = ThreadCpu.start();
    JobExecutionResult result;
    try (threads) {
      result = env.execute(name);
    }
    double cpu = threads.processNanosSpent() / 1_000.0 / events;
    double rate = events * 1000.0 / result.getNetRuntime();
    Object sigmaMatches = result.getAccumulatorResult(SigmaFunction.MATCHES_ACCUMULATOR);
    out.printf(
        Locale.ROOT,
        "  %s (exactly-once, checkpoints every %ds)  %,.0f events/s (%.1f s), %.2f us CPU per"
            + " event%s%n",
        name,
        config.checkpointInterval().toSeconds(),
        rate,
        result.getNetRuntime() / 1000.0,
        cpu,
        sigmaMatches == null ? "" : String.format(Locale.ROOT, ", %,d Sigma alerts", sigmaMatches));
    printCpu(threads, events);
    return new Run(rate, cpu);
  }

  /**
   * The Sigma engine alone, in this process, over the first events of the pre-filled topic (decoded
   * anew for every pass as the job decodes them, without lineage's ancestry, so no pass finds the
   * strings' hashes of an earlier one): passes with and without the verdict memo, alternating, and
   * the most expensive ten rules with the memo, from the engine's sampled per-rule costs, which the
   * job's subtasks keep to themselves; and the decode's own time per event.
   */
  private void sigmaCosts(String bootstrap, SigmaRules sigma) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    TopicReader.readToEnd(
        bootstrap,
        Topics.TELEMETRY,
        r -> {
          if (records.size() < COST_SAMPLE_EVENTS) {
            records.add(r);
          }
        });
    out.printf(
        Locale.ROOT,
        "The Sigma engine alone over the first %,d events of the topic, one matcher in this"
            + " process (prefilter and field rendering included), passes alternating:%n",
        records.size());
    SigmaDetector withMemo = null;
    for (int round = 1; round <= 2; round++) {
      for (boolean memo : new boolean[] {true, false}) {
        SigmaDetector detector =
            memo ? new SigmaDetector(sigma) : SigmaDetector.withoutVerdictMemo(sigma);
        EnginePass pass = enginePass(records, detector);
        out.printf(
            Locale.ROOT,
            "  %-22s %.2f us per event in the engine (%,d answered by the verdict memo, %,d"
                + " evaluations after the prefilter, %,d matches); decoding %.2f us per event%n",
            memo ? "with the verdict memo" : "without",
            pass.engineNanos() / 1e3 / Math.max(1, pass.events()),
            detector.matcher().verdictsRemembered(),
            detector.matcher().evaluations(),
            pass.matches(),
            pass.decodeNanos() / 1e3 / Math.max(1, pass.events()));
        out.println("    " + pass.byKind());
        if (memo) {
          withMemo = detector;
        }
      }
    }
    out.println("Most expensive rules with the verdict memo (last pass):");
    out.println("   est. ms  evaluations    matches  mean ns  rule");
    for (RuleCost c : withMemo.topCosts(10)) {
      out.printf(
          Locale.ROOT,
          "  %8.1f  %11d  %9d  %7.0f  %s (%s:%d)%n",
          c.estimatedNanos() / 1e6,
          c.evaluations(),
          c.matches(),
          c.meanNanos(),
          c.rule().title(),
          shortSource(c.rule().source()),
          c.rule().line());
    }
    out.println();
  }

  /**
   * One pass of the engine: events judged, matches, nanoseconds in the detector and decoding; and
   * per Sysmon event id, events and nanoseconds in the detector.
   */
  private record EnginePass(
      long events,
      long matches,
      long engineNanos,
      long decodeNanos,
      long[] eventsById,
      long[] nanosById) {
    /** The engine's time per event of each Sysmon event id the pass saw, and their count. */
    String byKind() {
      StringBuilder b = new StringBuilder("by EventID:");
      for (int id = 0; id < eventsById.length; id++) {
        if (eventsById[id] > 0) {
          b.append(
              String.format(
                  Locale.ROOT,
                  " %s %,d events %.2f us each;",
                  id == SysmonFields.NONE ? "none (not routed)" : Integer.toString(id),
                  eventsById[id],
                  nanosById[id] / 1e3 / eventsById[id]));
        }
      }
      return b.toString();
    }
  }

  private static EnginePass enginePass(
      List<ConsumerRecord<byte[], byte[]>> records, SigmaDetector detector) {
    TelemetryDeserializationSchema source =
        new TelemetryDeserializationSchema(InputBounds.defaults());
    TelemetryDecoder decoder = new TelemetryDecoder(InputBounds.defaults());
    long events = 0;
    long[] matches = new long[1];
    long engine = 0;
    long decode = 0;
    // Sysmon event ids run from 1 to PROCESS_ACCESS; NONE (not a Sysmon event) is counted at 0.
    long[] eventsById = new long[SysmonFields.PROCESS_ACCESS + 1];
    long[] nanosById = new long[SysmonFields.PROCESS_ACCESS + 1];
    for (ConsumerRecord<byte[], byte[]> r : records) {
      // As the job decodes: the header in the source, the rest after the keyBy.
      long decodeStart = System.nanoTime();
      Envelope envelope =
          source.decode(r.value(), r.key(), r.topic(), r.partition(), r.offset(), r.timestamp());
      Telemetry event =
          envelope.record() == null ? null : decoder.decode(envelope.record(), letter -> {});
      long start = System.nanoTime();
      decode += start - decodeStart;
      if (event == null) {
        continue; // the dead-letter path, not a rule cost
      }
      detector.evaluate(
          new EnrichedEvent(event, EnrichedEvent.NONE, EnrichedEvent.NONE), a -> matches[0]++);
      long nanos = System.nanoTime() - start;
      engine += nanos;
      events++;
      int id = Math.max(event.sysmonEventId(), 0);
      eventsById[id]++;
      nanosById[id] += nanos;
    }
    return new EnginePass(events, matches[0], engine, decode, eventsById, nanosById);
  }

  private static String shortSource(String source) {
    int rules = source.lastIndexOf("/rules");
    return rules >= 0 ? source.substring(rules + 1) : source;
  }

  /** Lineage state of a simulated fleet, serialized as Flink would checkpoint it. */
  private void stateSize(FleetAssets assets) throws Exception {
    FleetConfig config = fleet(500, Duration.ofHours(2), Map.of(), 0);
    Map<String, HostTable> tables = new HashMap<>();
    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    TelemetryPublisher lineage =
        new TelemetryPublisher() {
          long sent;

          @Override
          public void send(String hostId, byte[] value) {
            try {
              Telemetry event = TelemetryMapping.from(codec.decode(value));
              HostTable store = tables.computeIfAbsent(hostId, h -> new HostTable());
              store.expireUntil(event.timeNanos());
              store.table.apply(event, store::schedule);
              sent++;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public void sendGroundTruth(String hostId, byte[] groundTruth) {}

          @Override
          public void flush() {}

          @Override
          public PublisherStats stats() {
            return new PublisherStats(sent, sent, 0, 0, 0, null);
          }

          @Override
          public void close() {}
        };
    new Fleet(config, assets, lineage, null, RecordFormat.AVRO, p -> {}).run();
    TypeSerializer<ProcessNode> serializer = ProcessNodeSerializer.INSTANCE;
    DataOutputSerializer buffer = new DataOutputSerializer(4096);
    long nodes = 0;
    long running = 0;
    for (HostTable host : tables.values()) {
      for (ProcessNode node : host.store.byKey().values()) {
        serializer.serialize(node, buffer);
        nodes++;
        running += node.exitNanos == 0 && !node.placeholder ? 1 : 0;
      }
    }
    out.printf(
        Locale.ROOT,
        "Lineage state after 2 simulated hours of 500 hosts (process tables with cleanup, as the job keeps them):%n");
    out.printf(
        Locale.ROOT,
        "  %,d entries (%,d running), %,d serialized bytes: %,.0f bytes per entry, %,.0f bytes per running process%n%n",
        nodes,
        running,
        buffer.length(),
        buffer.length() / (double) nodes,
        buffer.length() / (double) running);
  }

  /**
   * Time from a scenario's ground truth reaching Kafka to its alert reaching Kafka, at a fixed
   * rate.
   */
  private void latency(FleetAssets assets, String bootstrap, JobConfig base, long rate, int seconds)
      throws Exception {
    String alertsTopic = "bench.latency.alerts";
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(new org.apache.kafka.clients.admin.NewTopic(alertsTopic, 4, (short) 1)))
          .all()
          .get();
    }
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {
              "--bootstrap",
              bootstrap,
              "--alerts-topic",
              alertsTopic,
              "--group-id",
              "bench-latency",
              "--start-from",
              "latest",
              "--parallelism",
              Integer.toString(base.parallelism()),
              "--checkpoint-interval",
              "2s",
              "--checkpoint-dir",
              base.checkpointDirectory()
            });
    StreamExecutionEnvironment env = environment();
    FleetDetectionJob.defineOnKafka(env, config);
    JobClient job = env.executeAsync("detection at fixed load");
    TimeUnit.SECONDS.sleep(5); // let the source find the end of the topic before new records arrive
    long phaseStart = System.currentTimeMillis();
    Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    // When each alert was first seen here: its time to alert, measured where a SOC would read it.
    TopicTail watcher =
        new TopicTail(
            bootstrap,
            alertsTopic,
            r -> {
              long now = System.currentTimeMillis();
              try {
                firstSeen.putIfAbsent(AlertRecord.parse(r.value(), now).uid(), now);
              } catch (java.io.IOException e) {
                // not an alert we can read; the report counts what it can
              }
            });
    int hosts = 2000;
    double simulatedPerWall = Math.max(1, rate / (hosts * EVENTS_PER_HOST_HOUR / 3600));
    FleetConfig paced =
        FleetConfig.builder()
            .hosts(hosts)
            .seed(99)
            .duration(Duration.ofSeconds((long) (seconds * simulatedPerWall)))
            .bootWindow(Duration.ofSeconds(1))
            .scenarios(
                Map.of(
                    "dll-injection",
                    10,
                    "ppid-spoofing",
                    10,
                    "office-macro-chain",
                    10,
                    "dll-sideloading",
                    10,
                    "sensitive-process-module",
                    10))
            .speedup(simulatedPerWall)
            .eventsPerSecond(rate)
            .threads(1)
            .bootTelemetry(false)
            .build();
    out.printf(
        Locale.ROOT,
        "Time to alert at %,d events/s for %d s (%d hosts, %.0fx simulated time, exactly-once, checkpoints every 2 s)%n",
        rate,
        seconds,
        hosts,
        simulatedPerWall);
    try (KafkaTelemetryPublisher publisher =
        new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap))) {
      new Fleet(paced, assets, publisher, null, RecordFormat.AVRO, p -> {}).run();
    }
    TimeUnit.SECONDS.sleep(10);
    job.cancel().get(30, TimeUnit.SECONDS);
    watcher.close();
    List<GroundTruthJoin.Truth> truths = new ArrayList<>();
    SingleObjectCodec<GroundTruth> truthCodec = SingleObjectCodec.groundTruth();
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, Topics.GROUND_TRUTH)) {
      if (r.timestamp() >= phaseStart) {
        truths.add(new GroundTruthJoin.Truth(truthCodec.decode(r.value()), r.timestamp()));
      }
    }
    List<AlertRecord> alerts = new ArrayList<>();
    List<AlertRecord> visible = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, alertsTopic)) {
      AlertRecord alert = AlertRecord.parse(r.value(), r.timestamp());
      alerts.add(alert);
      Long seen = firstSeen.get(alert.uid());
      visible.add(AlertRecord.parse(r.value(), seen == null ? r.timestamp() : seen));
    }
    report("produced (alert record timestamp)", GroundTruthJoin.join(truths, alerts));
    report("visible (read_committed consumer saw it)", GroundTruthJoin.join(truths, visible));
  }

  private void report(String what, GroundTruthJoin.Result result) {
    printTimeToAlert(out, what, result);
  }

  /** The attacks of {@code result} that alerted, and their time-to-alert percentiles. */
  static void printTimeToAlert(PrintStream out, String what, GroundTruthJoin.Result result) {
    List<Long> delays = new ArrayList<>();
    int attacks = 0;
    for (GroundTruthJoin.Instance instance : result.instances()) {
      if (instance.attack()) {
        attacks++;
        if (instance.timeToAlertMillis() != null) {
          delays.add(instance.timeToAlertMillis());
        }
      }
    }
    if (delays.isEmpty()) {
      out.printf("  %-42s no attack detected (%d injected)%n", what, attacks);
      return;
    }
    DetectionReport.Latency latency = DetectionReport.Latency.of(delays);
    out.printf(
        Locale.ROOT,
        "  %-42s %d of %d attacks; p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
        what,
        delays.size(),
        attacks,
        latency.p50(),
        latency.p95(),
        latency.p99(),
        latency.max());
  }

  private static StreamExecutionEnvironment environment() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    return StreamExecutionEnvironment.getExecutionEnvironment(conf);
  }

  private static FleetConfig fleet(
      int hosts, Duration duration, Map<String, Integer> scenarios, double speedup) {
    return FleetConfig.builder()
        .hosts(hosts)
        .seed(5)
        .duration(duration)
        .bootWindow(Duration.ofSeconds(30))
        .scenarios(scenarios)
        .speedup(speedup)
        .build();
  }

  /** One host's process table with the job's cleanup, driven by event time instead of timers. */
  private static final class HostTable {
    final InMemoryProcessStore store = new InMemoryProcessStore();
    final ProcessTable table = new ProcessTable(store, 8, Duration.ofMinutes(10), 10_000);
    final java.util.PriorityQueue<long[]> due =
        new java.util.PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));

    void expireUntil(long nowNanos) throws Exception {
      while (!due.isEmpty() && due.peek()[0] <= nowNanos) {
        table.expire(due.poll()[1], nowNanos, this::schedule);
      }
    }

    void schedule(long atNanos, long key) {
      due.add(new long[] {atNanos, key});
    }
  }
}
