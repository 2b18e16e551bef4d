package io.psfleet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.psfleet.agent.cli.FormatOption;
import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetSummary;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.fleet.Shard;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.bench.FloorJob;
import io.psfleet.bench.ProducerPerformanceRun;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.KafkaConfigOption;
import io.psfleet.commandline.UnreachableException;
import io.psfleet.commandline.UsageException;
import io.psfleet.harness.DetectionJobRun;
import io.psfleet.harness.GracefulStop;
import io.psfleet.harness.GroupLag;
import io.psfleet.harness.Recorder;
import io.psfleet.harness.Saturation;
import io.psfleet.harness.ScratchDirectory;
import io.psfleet.harness.latency.HostKeyPartitioner;
import io.psfleet.harness.latency.LatencyTracker;
import io.psfleet.harness.latency.OutputTopicWatch;
import io.psfleet.harness.latency.RecordIds;
import io.psfleet.harness.latency.StepLatency;
import io.psfleet.harness.report.GroundTruthJoin;
import io.psfleet.harness.report.RunFacts;
import io.psfleet.jobs.FleetDetectionJob;
import io.psfleet.jobs.JobConfig;
import io.psfleet.jobs.RulesOption;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./psfleet bench}: drives the pipeline with stepped rates until it saturates (consumer lag
 * grows, time to alert passes a limit, or the simulator cannot offer the rate), reporting per step
 * offered and achieved events/s, time to alert (HdrHistogram), consumer lag and CPU per component;
 * then Kafka's ProducerPerformance and a read-and-decode-only job on the same broker, with ratios.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Finds where the pipeline saturates on this machine: an embedded broker, the detection job on"
          + " Flink and the simulator, driven step by step at the given rates.",
      "Per step: offered and achieved events/s, time to alert p50/p95/p99/max, consumer lag, CPU"
          + " per component; stops at the first saturated step. Then Kafka's ProducerPerformance"
          + " and a read-and-decode-only Flink job on the same broker, and the ratios. Writes"
          + " bench.json and bench.html into --out.",
      "'bench sim' and 'bench job' measure the simulator and the job alone."
    })
public final class LoadBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final PrintStream out;

  public LoadBenchCommand(PrintStream out) {
    this.out = out;
  }

  /** One step's figures. */
  record Step(
      long offered,
      double achieved,
      long alertsJoined,
      Long ttaP50,
      Long ttaP95,
      Long ttaP99,
      Long ttaMax,
      long lagStart,
      long lagEnd,
      Map<String, Double> cpuCoresByComponent,
      Map<String, Double> allocatedMiBPerSecondByComponent,
      long heapUsedMiB,
      StepLatency latency,
      String startedAt,
      String saturated) {}

  /** How many ids of the sample {@code --observe-topic} remembers at most at once. */
  static final int MATCH_CAPACITY = 200_000;

  /**
   * Checkpoints under load: short, so exactly-once alerts (visible at checkpoints) keep the time to
   * alert low enough to tell a saturated step from a healthy one.
   */
  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

  /**
   * How much faster than the events' rate a step on your Kafka simulates: a Sysmon format keeps
   * about half of the events (no thread exits, no local threads), and the rate cap holds the
   * records to the step's rate whatever the format.
   */
  static final double FORMAT_HEADROOM = 3;

  @Option(
      names = "--rates",
      paramLabel = "N,N,...",
      split = ",",
      description = "events/s of the steps, in order")
  List<Long> rates = List.of(20_000L, 50_000L, 100_000L, 200_000L, 400_000L);

  @Option(
      names = "--step-seconds",
      paramLabel = "N",
      description = "wall-clock length of each step (5-3600)")
  int stepSeconds = 30;

  @Option(names = "--hosts", paramLabel = "N", description = "simulated hosts (10-1000000)")
  int hosts = 2000;

  @Option(
      names = "--tta-limit",
      paramLabel = "D",
      converter = Converters.PositiveDuration.class,
      description =
          "a step whose time to alert p95 passes this is saturated; with --observe-topic, the"
              + " same for end-to-end latency p95, and how long after a step's end its tracked"
              + " ids may still come back")
  Duration ttaLimit = Duration.ofSeconds(10);

  @Option(names = "--parallelism", paramLabel = "N", description = "Flink parallelism (1-64)")
  int parallelism = 2;

  @Option(names = "--out", paramLabel = "DIR", description = "folder for bench.json and bench.html")
  Path dir = Path.of("bench-report");

  @Mixin RulesOption rules = new RulesOption();

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description =
          "drive your Kafka instead: no embedded broker and no psfleet job (unless --flink);"
              + " each step publishes"
              + " --format records to psfleet.telemetry there, --observe-group's lag is sampled"
              + " at each step's start and end, and the reference tools are not run"
              + " (default: an embedded broker and the detection job)")
  String bootstrap;

  @Mixin KafkaConfigOption kafka = new KafkaConfigOption();

  @Option(
      names = "--flink",
      paramLabel = "URL",
      description =
          "with --bootstrap: make psfleet's detection job the pipeline under load. Its jar is"
              + " submitted to the Flink cluster at this REST address (e.g."
              + " http://127.0.0.1:8081), reads psfleet.telemetry on your Kafka from this run's"
              + " start, and its consumer group is the one observed; stopped with a savepoint at"
              + " the end (default: none, psfleet runs no job on your Kafka)")
  String flink;

  @Option(
      names = "--job-jar",
      paramLabel = "FILE",
      description = "the job jar --flink uploads (used with --flink only)")
  Path jobJar = PipelineOptions.DEFAULT_JOB_JAR;

  @Option(
      names = "--observe-group",
      paramLabel = "GROUP",
      description =
          "with --bootstrap: the consumer group of your pipeline (Logstash, a Flink or Kafka"
              + " Streams job, a SIEM connector) whose committed lag over psfleet.telemetry is"
              + " sampled per step; a step where it grows by more than two seconds of input is"
              + " saturated (default: none, lag not observed)")
  String observeGroup;

  @Option(
      names = "--observe-topic",
      paramLabel = "TOPIC",
      description =
          "with --bootstrap and --match: the topic your pipeline writes its output to; read from"
              + " its end at start, without a consumer group, to measure end-to-end latency"
              + " p50/p95/p99/max per step, from psfleet handing a record to its producer to the"
              + " output record carrying the same id arriving (default: none)")
  String observeTopic;

  @Option(
      names = "--match",
      paramLabel = "key|FIELD",
      description =
          "with --observe-topic: what carries psfleet's id through your pipeline. 'key': the"
              + " record key (each record then gets a key of its own, HOST#N, kept in the"
              + " partition of HOST); or a field name such as ProcessGuid, EventRecordID or"
              + " record_id, found at any depth of a JSON output record or as Sysmon XML's <Data"
              + " Name='FIELD'> or <FIELD> (not with --format avro). An id several records share"
              + " (ProcessGuid) is timed from its first record to its first return")
  String match;

  @Option(
      names = "--match-sample",
      paramLabel = "N",
      description =
          "with --observe-topic: track about one id in N, chosen by a hash of the id so both"
              + " sides agree (1-1000000); at most "
              + MATCH_CAPACITY
              + " ids are remembered at once, more count as untracked")
  int matchSample = 10;

  @Option(
      names = "--shard",
      paramLabel = "i/n",
      description =
          "with --bootstrap: this machine is shard i of n load machines driving one fleet-wide"
              + " plan: it simulates the hosts whose index is i-1 modulo n and offers its hosts'"
              + " share of each step's rate, runs every step (no stop at saturation: the others"
              + " keep to the plan), and writes its own report; 'bench merge' combines the"
              + " shards' reports (default: 1/1, the whole fleet)")
  String shard;

  @Option(
      names = "--start-at",
      paramLabel = "TIME",
      converter = Converters.InstantOrNow.class,
      description =
          "with --bootstrap: the wall-clock time (ISO-8601, e.g. 2026-12-02T08:00:00Z, or 'now')"
              + " step 1 begins; step k begins (k-1) slots later, a slot being --step-seconds"
              + " plus the settling after a step (5 s with --observe-group, --tta-limit with"
              + " --observe-topic), so shards given the same time keep the same steps (default:"
              + " when this run is ready)")
  java.time.Instant startAt;

  @Mixin FormatOption format = new FormatOption();

  @Override
  public Integer call() throws Exception {
    // Outermost: after Ctrl-C the JVM waits until the partial report is on disk.
    try (GracefulStop stop = GracefulStop.install(out, "bench")) {
      return run(stop);
    }
  }

  private int run(GracefulStop stop) throws Exception {
    for (long r : rates) {
      if (r < 1) {
        throw new UsageException("--rates must be positive events per second, got " + r);
      }
    }
    Commands.range(spec, "--step-seconds", stepSeconds, 5, 3600);
    Commands.range(spec, "--hosts", hosts, 10, 1_000_000);
    Commands.range(spec, "--parallelism", parallelism, 1, 64);
    Commands.range(spec, "--match-sample", matchSample, 1, 1_000_000);
    if (bootstrap == null
        && (observeGroup != null || observeTopic != null || format.orElse(null) != null)) {
      throw new UsageException(
          (observeGroup != null
                  ? "--observe-group"
                  : observeTopic != null ? "--observe-topic" : "--format")
              + " needs --bootstrap: the embedded pipeline's job reads avro and is observed"
              + " itself");
    }
    checkMatch();
    shard(); // a bad value is named before anything else is said about it
    if (bootstrap == null && (shard != null || startAt != null)) {
      throw new UsageException(
          (shard != null ? "--shard" : "--start-at")
              + " needs --bootstrap: shards drive your Kafka together, the embedded pipeline is"
              + " one machine");
    }
    if (flink != null) {
      PipelineOptions.flinkAddress(flink); // a bad value is named before anything else
    }
    if (bootstrap == null && flink != null) {
      throw new UsageException(
          "--flink needs --bootstrap: it runs psfleet's job on your Kafka; without --bootstrap"
              + " the job runs in this JVM on the embedded broker");
    }
    if (bootstrap != null) {
      if (flink == null && !rules.paths().isEmpty()) {
        throw new UsageException(
            "--rules needs psfleet's job: the embedded pipeline, or --flink with --bootstrap");
      }
      if (flink != null && observeGroup != null) {
        throw new UsageException(
            "--observe-group names your pipeline's consumer group; with --flink psfleet's job is"
                + " the pipeline and its own group is observed: leave one of them out");
      }
      return runOnYourKafka(stop);
    }
    List<String> ruleArgs = ruleArgs();
    FleetAssets assets = FleetAssets.create();
    List<Step> steps = new ArrayList<>();
    Map<String, Object> report = new LinkedHashMap<>();
    try (ScratchDirectory checkpoints = new ScratchDirectory("psfleet-bench-load");
        EmbeddedKafka kafka =
            EmbeddedKafka.start(EmbeddedKafka.Config.defaults().withoutDeleteOnExit())) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      kafka.createTopics(Topics.DEFAULT_TELEMETRY_PARTITIONS, "psfleet.bench.producer-performance");
      List<String> jobArgs =
          new ArrayList<>(
              List.of(
                  "--bootstrap",
                  bootstrap,
                  "--group-id",
                  "psfleet-bench",
                  "--start-from",
                  "latest",
                  "--parallelism",
                  Integer.toString(parallelism),
                  "--checkpoint-interval",
                  Durations.format(CHECKPOINT_INTERVAL),
                  "--checkpoint-dir",
                  checkpoints.uri()));
      jobArgs.addAll(ruleArgs);
      JobConfig config = JobConfig.fromArgs(jobArgs.toArray(String[]::new));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
      FleetDetectionJob.defineOnKafka(env, config);
      JobClient job = env.executeAsync("psfleet detection under load");
      TimeUnit.SECONDS.sleep(5);
      long events = 0;
      long bytes = 0;
      try (Recorder recorder = new Recorder(bootstrap, 0, out);
          Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        out.println(STEP_HEADER);
        for (int i = 0; i < rates.size() && !stop.requested(); i++) {
          long rate = rates.get(i);
          long lagStart = lag(admin, config.groupId());
          int truthsBefore = recorder.truths().size();
          FleetConfig fleet = stepFleet(i, rate, 1, Shard.WHOLE);
          ThreadSampler sampler = new ThreadSampler();
          long wallStart = System.nanoTime();
          FleetSummary summary;
          try (KafkaTelemetryPublisher publisher =
              new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap))) {
            int stepNumber = i + 1;
            Fleet stepFleet =
                new Fleet(
                    fleet,
                    assets,
                    publisher,
                    null,
                    RecordFormat.AVRO,
                    p ->
                        out.printf(
                            Locale.ROOT,
                            "      step %d: %.0f s, %,d events (%,.0f/s), %d alerts so far%n",
                            stepNumber,
                            p.wallNanos() / 1e9,
                            p.events(),
                            p.eventsPerSecond(),
                            recorder.alerts().size()));
            stop.onStop(stepFleet::stop);
            summary = stepFleet.run();
            bytes += publisher.stats().bytes();
          }
          if (stop.requested()) {
            report.put("interrupted", "Ctrl-C during step " + (i + 1) + ": that step is left out");
            sampler.stop();
            break;
          }
          double wall = (System.nanoTime() - wallStart) / 1e9;
          TimeUnit.SECONDS.sleep(4); // two checkpoints: alerts of the step's end become visible
          Map<String, ThreadSampler.Use> used = sampler.stop();
          double elapsed = (System.nanoTime() - wallStart) / 1e9;
          long lagEnd = lag(admin, config.groupId());
          events += summary.last().events();
          double achieved = summary.last().publisher().delivered() / wall;
          List<GroundTruthJoin.Truth> stepTruths =
              recorder.truths().subList(truthsBefore, recorder.truths().size());
          GroundTruthJoin.Result joined = GroundTruthJoin.join(stepTruths, recorder.alerts());
          Histogram tta = new Histogram(3_600_000L, 3);
          long joinedAlerts = 0;
          for (GroundTruthJoin.Instance instance : joined.instances()) {
            if (instance.attack() && instance.timeToAlertMillis() != null) {
              tta.recordValue(Math.max(0, instance.timeToAlertMillis()));
              joinedAlerts++;
            }
          }
          Map<String, Double> cores = new LinkedHashMap<>();
          Map<String, Double> allocation = new LinkedHashMap<>();
          for (String component : List.of("simulator", "broker", "flink", "other")) {
            ThreadSampler.Use use = used.getOrDefault(component, new ThreadSampler.Use(0, 0));
            cores.put(component, use.cpuNanos() / 1e9 / elapsed);
            allocation.put(component, use.allocatedBytes() / 1048576.0 / elapsed);
          }
          String saturated =
              Saturation.verdict(
                  rate,
                  achieved,
                  lagStart,
                  lagEnd,
                  joinedAlerts,
                  joinedAlerts == 0 ? 0 : tta.getValueAtPercentile(95),
                  ttaLimit.toMillis(),
                  "detection job");
          Step step =
              new Step(
                  rate,
                  achieved,
                  joinedAlerts,
                  p(tta, joinedAlerts, 50),
                  p(tta, joinedAlerts, 95),
                  p(tta, joinedAlerts, 99),
                  joinedAlerts == 0 ? null : tta.getMaxValue(),
                  lagStart,
                  lagEnd,
                  cores,
                  allocation,
                  ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20,
                  null,
                  null,
                  saturated);
          steps.add(step);
          printStep(out, i + 1, step);
          if (saturated != null) {
            break;
          }
        }
      }
      try {
        job.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (!stop.requested()) {
          throw e;
        }
        // Ctrl-C: Flink's own shutdown hooks may have ended the MiniCluster already.
      }
      double bestAchieved =
          steps.stream()
              .filter(s -> s.saturated() == null)
              .mapToDouble(Step::achieved)
              .max()
              .orElse(0);
      if (stop.requested()) {
        report.putIfAbsent("interrupted", "Ctrl-C after the last step");
        out.println("PARTIAL: Ctrl-C ended the run; the reference tools were skipped.");
      } else {
        referenceFigures(bootstrap, config, events, bytes, bestAchieved, report);
      }
      report.put("configuration", configuration());
      report.put("steps", steps);
      report.put("highestUnsaturatedEventsPerSecond", bestAchieved);
      report.put(
          "firstSaturation",
          steps.stream()
              .map(Step::saturated)
              .filter(s -> s != null)
              .findFirst()
              .orElse("none within the given rates"));
    }
    return writeReport(stop, steps, report);
  }

  /** --shard's value, or the whole fleet. */
  private Shard shard() {
    try {
      return shard == null ? Shard.WHOLE : Shard.parse(shard);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--shard: " + e.getMessage());
    }
  }

  /** --observe-topic and --match go together, and a field needs records it can be found in. */
  private void checkMatch() {
    if (match != null && !match.equals("key") && !RecordIds.FIELD_NAME.matcher(match).matches()) {
      throw new UsageException(
          "--match takes 'key' or a field name (letters, digits, '_', '-', '@'; no dots: the"
              + " field is found at any depth, so process.entity_id is --match entity_id), got '"
              + match
              + "'");
    }
    if (observeTopic != null && match == null) {
      throw new UsageException(
          "--observe-topic "
              + observeTopic
              + " needs --match: say what carries psfleet's id through your pipeline, 'key' (the"
              + " record key) or a field name such as ProcessGuid");
    }
    if (match != null && observeTopic == null) {
      throw new UsageException(
          "--match "
              + match
              + " needs --observe-topic: name the topic your pipeline writes its output to");
    }
    if (match != null
        && !match.equals("key")
        && format.orElse(RecordFormat.AVRO) == RecordFormat.AVRO) {
      throw new UsageException(
          "--match "
              + match
              + " reads a field of JSON or XML records, and --format avro is binary: use --match"
              + " key, or a text --format (json, ecs, flat-json, sysmon-xml, ocsf)");
    }
  }

  /**
   * {@code bench --bootstrap}: the same steps against a cluster psfleet did not start, publishing
   * in --format, with the lag of --observe-group (your consumers) as the saturation signal.
   */
  private int runOnYourKafka(GracefulStop stop) throws Exception {
    Shard part = shard();
    if (part.hostsOf(hosts) == 0) {
      throw new UsageException(
          "--shard " + part + " owns none of --hosts " + hosts + ": give at least n hosts");
    }
    RecordFormat recordFormat = format.orElse(RecordFormat.AVRO);
    if (flink != null && recordFormat != RecordFormat.AVRO) {
      throw new UsageException(
          "--flink runs psfleet's job, which reads avro: leave --format out or give avro, not "
              + recordFormat.optionName());
    }
    URI flinkUri = PipelineOptions.flinkUri(flink, jobJar);
    List<String> ruleArgs = ruleArgs();
    Map<String, Object> clientSettings = kafka.config().clientSettings();
    try {
      TopicSetup.ensureTopics(
          bootstrap,
          clientSettings,
          Duration.ofSeconds(10),
          TopicSetup.projectTopics().stream()
              // psfleet's job also needs its alerts, dead-letter and rules topics.
              .filter(
                  t ->
                      flinkUri != null
                          || t.name().equals(Topics.TELEMETRY)
                          || t.name().equals(Topics.GROUND_TRUTH))
              .toList());
    } catch (RuntimeException e) {
      throw new UnreachableException(e.getMessage() + " (--bootstrap)", e);
    }
    try (ScratchDirectory scratch = new ScratchDirectory("psfleet-bench-flink");
        DetectionJobRun job = flinkUri == null ? null : startJob(flinkUri, ruleArgs, scratch)) {
      int code = runOnYourKafka(stop, part, recordFormat, clientSettings, job);
      if (job != null) {
        String ended = job.end(true);
        out.println(
            ended == null ? "psfleet's job: stopped with a savepoint" : "psfleet's job: " + ended);
      }
      return code;
    }
  }

  /**
   * The job's {@code --rules} options, checked; a rule path that cannot be read is a usage error.
   */
  private List<String> ruleArgs() {
    try {
      return rules.jobArgs();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * psfleet's job on the Flink cluster at {@code flinkUri}, reading {@code --bootstrap} from now on
   * with a consumer group of this run, which becomes the observed group.
   */
  private DetectionJobRun startJob(URI flinkUri, List<String> ruleArgs, ScratchDirectory scratch)
      throws Exception {
    long since = System.currentTimeMillis();
    observeGroup = "psfleet-bench-" + since;
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap",
                bootstrap,
                "--group-id",
                observeGroup,
                // On a topic with history, this run's records only.
                "--start-from",
                java.time.Instant.ofEpochMilli(since).toString(),
                "--parallelism",
                Integer.toString(parallelism),
                "--checkpoint-interval",
                Durations.format(CHECKPOINT_INTERVAL)));
    if (kafka.config().source() != null) {
      args.addAll(List.of("--kafka-config", kafka.config().source().toString()));
    }
    args.addAll(ruleArgs);
    out.printf("psfleet bench: submitting psfleet's detection job to %s ...%n", flinkUri);
    DetectionJobRun job =
        DetectionJobRun.remote(flinkUri, jobJar, args, parallelism, scratch.uri());
    out.printf("  %s, consumer group %s%n", job.where(), observeGroup);
    return job;
  }

  /** The steps on your Kafka, with psfleet's {@code job} under load or (null) yours. */
  private int runOnYourKafka(
      GracefulStop stop,
      Shard part,
      RecordFormat recordFormat,
      Map<String, Object> clientSettings,
      DetectionJobRun job)
      throws Exception {
    FleetAssets assets = FleetAssets.create();
    List<Step> steps = new ArrayList<>();
    Map<String, Object> report = new LinkedHashMap<>();
    Map<String, Object> adminSettings = new LinkedHashMap<>(clientSettings);
    adminSettings.put("bootstrap.servers", bootstrap);
    out.printf(
        "psfleet bench: %s records to %s at %s, %s; CPU and allocation below are this JVM's (the"
            + " simulator): your broker and consumers run elsewhere%n",
        recordFormat.optionName(),
        Topics.TELEMETRY,
        bootstrap,
        observeGroup == null ? "no consumer group observed" : "observing group " + observeGroup);
    LatencyTracker tracker =
        observeTopic == null ? null : new LatencyTracker(matchSample, MATCH_CAPACITY);
    RecordIds field = match == null || match.equals("key") ? null : new RecordIds(match);
    AtomicLong sequence = new AtomicLong();
    Map<String, String> producerOverrides = new LinkedHashMap<>(kafka.config().properties());
    if (tracker != null && field == null) {
      producerOverrides.put("partitioner.class", HostKeyPartitioner.class.getName());
    }
    OutputTopicWatch watch = null;
    if (tracker != null) {
      try {
        watch = new OutputTopicWatch(bootstrap, clientSettings, observeTopic, field, tracker);
      } catch (IllegalArgumentException e) {
        throw new UnreachableException(
            "--observe-topic "
                + observeTopic
                + ": "
                + e.getMessage()
                + " (name the topic your pipeline writes, and give --kafka-config the rights to"
                + " read it)",
            e);
      }
      out.printf(
          Locale.ROOT,
          "  end-to-end latency: output topic %s, id = %s, about 1 id in %d tracked%n",
          observeTopic,
          field == null ? "record key (HOST#N)" : "field " + match,
          matchSample);
    }
    // The plan's steps begin at fixed slots, so that shards started with the same --start-at run
    // the same step at the same time; a step that overruns its slot delays the next one.
    long settleNanos =
        (observeGroup == null ? 0 : TimeUnit.SECONDS.toNanos(5))
            + (tracker == null ? 0 : ttaLimit.toNanos());
    long slotNanos = TimeUnit.SECONDS.toNanos(stepSeconds) + settleNanos;
    java.time.Instant planStart = startAt == null ? java.time.Instant.now() : startAt;
    if (part.count() > 1 || startAt != null) {
      out.printf(
          Locale.ROOT,
          "  shard %s: %d of %d hosts, its share of each step's rate; step 1 at %s, a step every"
              + " %.1f s%n",
          part,
          part.hostsOf(hosts),
          hosts,
          planStart,
          slotNanos / 1e9);
    }
    try (OutputTopicWatch closeWatch = watch;
        Admin admin = Admin.create(adminSettings)) {
      if (job != null) {
        awaitFirstCommit(admin, stop);
      }
      out.println(tracker == null ? STEP_HEADER : STEP_HEADER.replace("TTA", "E2E"));
      for (int i = 0; i < rates.size() && !stop.requested(); i++) {
        long rate = rates.get(i);
        long share = part.share(rate, hosts);
        sleepUntil(planStart.plusNanos(slotNanos * i), stop);
        java.time.Instant stepStart = java.time.Instant.now();
        long lagStart = observeGroup == null ? -1 : lag(admin, observeGroup);
        ThreadSampler sampler = new ThreadSampler();
        long wallStart = System.nanoTime();
        FleetSummary summary;
        try (KafkaTelemetryPublisher publisher =
            new KafkaTelemetryPublisher(
                KafkaPublisherConfig.of(bootstrap).withOverrides(producerOverrides))) {
          int stepNumber = i + 1;
          Fleet stepFleet =
              new Fleet(
                  stepFleet(i, rate, FORMAT_HEADROOM, part),
                  assets,
                  tracker == null
                      ? publisher
                      : new MatchingPublisher(publisher, field, tracker, sequence),
                  null,
                  recordFormat,
                  p ->
                      out.printf(
                          Locale.ROOT,
                          "      step %d: %.0f s, %,d events (%,.0f/s)%n",
                          stepNumber,
                          p.wallNanos() / 1e9,
                          p.events(),
                          p.eventsPerSecond()));
          stop.onStop(stepFleet::stop);
          Thread timer =
              new Thread(
                  () -> {
                    try {
                      TimeUnit.SECONDS.sleep(stepSeconds);
                      stepFleet.stop();
                    } catch (InterruptedException e) {
                      // The step ended first.
                    }
                  },
                  "bench-step-timer");
          timer.setDaemon(true);
          timer.start();
          summary = stepFleet.run();
          timer.interrupt();
        }
        if (stop.requested()) {
          report.put("interrupted", "Ctrl-C during step " + (i + 1) + ": that step is left out");
          sampler.stop();
          break;
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        long settled = System.nanoTime();
        // Consumers commit on their own schedule (Kafka's default: every 5 s): give them one.
        TimeUnit.SECONDS.sleep(observeGroup == null ? 0 : 5);
        // The step's tracked ids have until --tta-limit after its end to come back.
        while (tracker != null
            && tracker.pending() > 0
            && System.nanoTime() - settled < ttaLimit.toNanos()
            && !stop.requested()) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        StepLatency latency = tracker == null ? null : tracker.closeStep();
        if (watch != null && watch.failure() != null) {
          throw new UnreachableException(
              "--observe-topic " + observeTopic + ": " + watch.failure().getMessage(),
              watch.failure());
        }
        Map<String, ThreadSampler.Use> used = sampler.stop();
        double elapsed = (System.nanoTime() - wallStart) / 1e9;
        long lagEnd = observeGroup == null ? -1 : lag(admin, observeGroup);
        double achieved = summary.last().publisher().delivered() / wall;
        ThreadSampler.Use simulator = used.getOrDefault("simulator", new ThreadSampler.Use(0, 0));
        // The shard offers its share; the group's lag is the whole fleet's, judged against the
        // fleet's rate.
        String saturated =
            Saturation.verdict(
                share, achieved, 0, 0, 0, 0, ttaLimit.toMillis(), "consumer group " + observeGroup);
        if (saturated == null) {
          saturated =
              Saturation.verdict(
                  rate,
                  rate,
                  Math.max(0, lagStart),
                  Math.max(0, lagEnd),
                  0,
                  0,
                  ttaLimit.toMillis(),
                  "consumer group " + observeGroup);
        }
        if (saturated == null && latency != null) {
          saturated = Saturation.latencyVerdict(latency, ttaLimit.toMillis(), observeTopic);
        }
        Step step =
            new Step(
                share,
                achieved,
                0,
                null,
                null,
                null,
                null,
                lagStart,
                lagEnd,
                Map.of("simulator", simulator.cpuNanos() / 1e9 / elapsed),
                Map.of("simulator", simulator.allocatedBytes() / 1048576.0 / elapsed),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20,
                latency,
                stepStart.toString(),
                saturated);
        steps.add(step);
        printStep(out, i + 1, step);
        if (summary.last().publisher().failed() > 0) {
          report.put(
              "deliveryFailures",
              summary.last().publisher().failed() + " records of step " + (i + 1) + " failed");
        }
        if (saturated != null && part.count() == 1) {
          break;
        }
      }
    }
    if (stop.requested()) {
      report.putIfAbsent("interrupted", "Ctrl-C after the last step");
    }
    Map<String, String> configuration = configuration();
    configuration.put("shard", part.toString());
    configuration.put("start-at", planStart.toString());
    configuration.put("slot-seconds", String.format(Locale.ROOT, "%.1f", slotNanos / 1e9));
    configuration.put("bootstrap", bootstrap);
    configuration.put("format", recordFormat.optionName());
    configuration.put("observe-group", observeGroup == null ? "none" : observeGroup);
    configuration.put(
        "pipeline", job == null ? "yours" : "psfleet's detection job, " + job.where());
    if (observeTopic != null) {
      configuration.put("observe-topic", observeTopic);
      configuration.put("match", match);
      configuration.put("match-sample", "1 id in " + matchSample + " (by hash of the id)");
    }
    configuration.put("kafka-config", kafka.config().toString());
    report.put("shard", part.toString());
    report.put("configuration", configuration);
    report.put("steps", steps);
    putVerdict(report, steps);
    return writeReport(stop, steps, report);
  }

  /**
   * Waits for psfleet's job to commit its first offsets (at its first checkpoint): until then its
   * group's lag counts each partition from offset 0, the topic's whole history.
   */
  private void awaitFirstCommit(Admin admin, GracefulStop stop) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!stop.requested() && System.nanoTime() < deadline) {
      if (!admin
          .listConsumerGroupOffsets(observeGroup)
          .partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS)
          .isEmpty()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    out.println(
        "  note: psfleet's job committed no offsets within 60 s; the first step's lag counts the"
            + " topic from its first offset");
  }

  /** The report's verdict on {@code steps}: the best unsaturated rate and the first saturation. */
  static void putVerdict(Map<String, Object> report, List<Step> steps) {
    report.put(
        "highestUnsaturatedEventsPerSecond",
        steps.stream()
            .filter(s -> s.saturated() == null)
            .mapToDouble(Step::achieved)
            .max()
            .orElse(0));
    report.put(
        "firstSaturation",
        steps.stream()
            .map(Step::saturated)
            .filter(s -> s != null)
            .findFirst()
            .orElse("none within the given rates"));
  }

  private int writeReport(GracefulStop stop, List<Step> steps, Map<String, Object> report)
      throws java.io.IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("bench.json").toFile(), report);
    Files.writeString(dir.resolve("bench.html"), html(steps, report), StandardCharsets.UTF_8);
    out.println("Report: " + dir.resolve("bench.json") + " and " + dir.resolve("bench.html"));
    return stop.requested() ? Commands.INTERRUPTED : 0;
  }

  /**
   * Kafka's ProducerPerformance and the read-and-decode-only job on the same broker, with the
   * ratios of the best unsaturated step to them.
   */
  private void referenceFigures(
      String bootstrap,
      JobConfig config,
      long events,
      long bytes,
      double bestAchieved,
      Map<String, Object> report)
      throws Exception {
    int meanSize = (int) Math.max(1, bytes / Math.max(1, events));
    out.println();
    out.println("Reference tools on the same broker:");
    ProducerPerformanceRun.Result perf =
        ProducerPerformanceRun.run(
            bootstrap, "psfleet.bench.producer-performance", Math.min(events, 3_000_000), meanSize);
    double floor = FloorJob.run(config.withGroupId("psfleet-bench-floor"), events, false);
    out.printf(
        Locale.ROOT,
        "  ProducerPerformance  %,.0f records/s of %d bytes%n",
        perf.recordsPerSecond(),
        meanSize);
    out.printf(
        Locale.ROOT,
        "  floor job            %,.0f events/s (read + decode of the %,d events published)%n",
        floor,
        events);
    out.printf(
        Locale.ROOT,
        "  highest unsaturated step %,.0f events/s: %.2f of ProducerPerformance, %.2f of the floor job%n",
        bestAchieved,
        bestAchieved / perf.recordsPerSecond(),
        bestAchieved / floor);
    report.put("producerPerformanceRecordsPerSecond", perf.recordsPerSecond());
    report.put("floorJobEventsPerSecond", floor);
  }

  static final String STEP_HEADER =
      " step   offered/s  achieved/s   lag start    lag end   TTA p50   TTA p95   TTA p99   TTA max"
          + "  CPU cores sim/broker/flink  alloc MiB/s sim/broker/flink  saturated";

  static void printStep(PrintStream out, int number, Step step) {
    out.printf(
        Locale.ROOT,
        "%5d %11d %11.0f %11s %10s %9s %9s %9s %9s  %.2f / %.2f / %.2f        %.0f / %.0f / %.0f  %s%n",
        number,
        step.offered(),
        step.achieved(),
        count(step.lagStart()),
        count(step.lagEnd()),
        step.latency() == null ? ms(step.ttaP50()) : ms(step.latency().p50Millis()),
        step.latency() == null ? ms(step.ttaP95()) : ms(step.latency().p95Millis()),
        step.latency() == null ? ms(step.ttaP99()) : ms(step.latency().p99Millis()),
        step.latency() == null ? ms(step.ttaMax()) : ms(step.latency().maxMillis()),
        step.cpuCoresByComponent().getOrDefault("simulator", 0.0),
        step.cpuCoresByComponent().getOrDefault("broker", 0.0),
        step.cpuCoresByComponent().getOrDefault("flink", 0.0),
        step.allocatedMiBPerSecondByComponent().getOrDefault("simulator", 0.0),
        step.allocatedMiBPerSecondByComponent().getOrDefault("broker", 0.0),
        step.allocatedMiBPerSecondByComponent().getOrDefault("flink", 0.0),
        step.saturated() == null ? "no" : step.saturated());
    StepLatency l = step.latency();
    if (l != null) {
      out.printf(
          Locale.ROOT,
          "      end-to-end: %,d of %,d tracked ids back, %,d unseen, %,d untracked (map full);"
              + " output records %,d: %,d without the id, %,d with ids psfleet did not send, %,d"
              + " repeats%n",
          l.samples(),
          l.tracked(),
          l.unseen(),
          l.untracked(),
          l.outputRecords(),
          l.withoutId(),
          l.unknown(),
          l.repeats());
    }
  }

  private static String ms(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.0fms", value);
  }

  /** A lag, or {@code -} where none was observed. */
  private static String count(long value) {
    return value < 0 ? "-" : Long.toString(value);
  }

  private static String perComponent(Map<String, Double> values, String format) {
    return String.join(
        " / ",
        List.of("simulator", "broker", "flink").stream()
            .map(c -> String.format(Locale.ROOT, format, values.getOrDefault(c, 0.0)))
            .toList());
  }

  /**
   * Step {@code i}'s fleet: paced so that {@code hosts} at their measured rates (about 1,300 events
   * per host-hour) offer {@code rate} events/s for --step-seconds, capped at the rate; with {@code
   * headroom} above 1 it runs that much faster and longer, held to the rate by the cap, for a
   * format with fewer records than events (the Sysmon formats leave threads out), and the caller
   * stops it after --step-seconds.
   */
  private FleetConfig stepFleet(int i, long rate, double headroom, Shard part) {
    // The shard's hosts at the fleet's pace offer the shard's share of the rate.
    double simulatedPerWall = Math.max(1, rate / (hosts * 1300.0 / 3600)) * headroom;
    return FleetConfig.builder()
        .hosts(hosts)
        .shard(part)
        .seed(100 + i)
        .start(java.time.Instant.now())
        .duration(Duration.ofSeconds((long) (stepSeconds * simulatedPerWall)))
        .bootWindow(Duration.ofSeconds(1))
        .scenarios(Map.of("dll-injection", 5, "ppid-spoofing", 5, "dll-sideloading", 5))
        .speedup(simulatedPerWall)
        .eventsPerSecond(part.share(rate, hosts))
        .threads(2)
        .bootTelemetry(false)
        .build();
  }

  private static void sleepUntil(java.time.Instant when, GracefulStop stop)
      throws InterruptedException {
    while (!stop.requested()) {
      long wait = java.time.Duration.between(java.time.Instant.now(), when).toMillis();
      if (wait <= 0) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(Math.min(wait, 200));
    }
  }

  private static Long p(Histogram h, long count, double percentile) {
    return count == 0 ? null : h.getValueAtPercentile(percentile);
  }

  private static String ms(Long value) {
    return value == null ? "-" : value + "ms";
  }

  /** Committed-offset lag of a consumer group over the telemetry topic ({@link GroupLag}). */
  private static long lag(Admin admin, String group) throws Exception {
    return GroupLag.of(admin, group, Topics.TELEMETRY);
  }

  /**
   * CPU time (ns) and heap allocation (bytes) of this JVM's threads during a step, grouped by the
   * component their names belong to. Every component shares this JVM's heap, so allocation is what
   * tells them apart. Sampled every 200 ms, because threads that end within the step (the
   * simulator's pool) take their counters with them.
   */
  private static final class ThreadSampler {
    /** A component's use during the step. */
    record Use(long cpuNanos, long allocatedBytes) {
      Use plus(Use other) {
        return new Use(cpuNanos + other.cpuNanos, allocatedBytes + other.allocatedBytes);
      }
    }

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    // Per thread: cpu at first sight, cpu now, allocated at first sight, allocated now.
    private final Map<Long, long[]> counters = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, String> components = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    private final Thread sampler;
    private boolean first = true;

    ThreadSampler() {
      sample();
      first = false;
      sampler =
          new Thread(
              () -> {
                while (running.get()) {
                  sample();
                  try {
                    TimeUnit.MILLISECONDS.sleep(200);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "cpu-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    private void sample() {
      for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        long allocated = threads.getThreadAllocatedBytes(info.getThreadId());
        if (cpu < 0 || allocated < 0) {
          continue;
        }
        // A thread first seen after the start began within the step: it counts from zero.
        long[] c =
            counters.computeIfAbsent(
                info.getThreadId(),
                id -> new long[] {first ? cpu : 0, cpu, first ? allocated : 0, allocated});
        c[1] = cpu;
        c[3] = allocated;
        components.putIfAbsent(info.getThreadId(), component(info.getThreadName()));
      }
    }

    Map<String, Use> stop() throws InterruptedException {
      running.set(false);
      sampler.join(1_000);
      sample();
      Map<String, Use> used = new LinkedHashMap<>();
      counters.forEach(
          (id, c) -> used.merge(components.get(id), new Use(c[1] - c[0], c[3] - c[2]), Use::plus));
      return used;
    }

    private static String component(String name) {
      if (name.startsWith("psfleet-") || name.contains("psfleet-agent")) {
        return "simulator";
      }
      if (name.startsWith("data-plane-kafka")
          || name.startsWith("kafka-")
          || name.contains("raft")
          || name.startsWith("broker-")
          || name.contains("controller")
          || name.startsWith("ExpirationReaper")
          || name.startsWith("LogDirFailureHandler")) {
        return "broker";
      }
      if (name.contains("Source:")
          || name.contains("Lineage")
          || name.contains("Sink")
          || name.startsWith("flink-")
          || name.contains("Flink")
          || name.contains("Checkpoint")
          || name.startsWith("AsyncOperations")
          || name.contains("Detect")) {
        return "flink";
      }
      return "other";
    }
  }

  private Map<String, String> configuration() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("rates", rates.stream().map(String::valueOf).collect(Collectors.joining(",")));
    c.put("step-seconds", Integer.toString(stepSeconds));
    c.put("hosts", Integer.toString(hosts));
    c.put("tta-limit", Durations.format(ttaLimit));
    c.put("parallelism", Integer.toString(parallelism));
    if (!rules.paths().isEmpty()) {
      c.put("sigma rules", rules.paths().toString());
    }
    c.putAll(RunFacts.environment());
    return c;
  }

  /** The p95 the report's chart shows: end-to-end latency where measured, else time to alert. */
  private static long p95(Step s) {
    if (s.latency() != null) {
      return s.latency().p95Millis() == null ? 0 : Math.round(s.latency().p95Millis());
    }
    return s.ttaP95() == null ? 0 : s.ttaP95();
  }

  static String html(List<Step> steps, Map<String, Object> report) {
    StringBuilder h =
        new StringBuilder(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>psfleet bench</title>")
            .append(
                "<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}</style></head><body>")
            .append("<h1>psfleet load benchmark</h1><p>First saturation: <b>")
            .append(report.get("firstSaturation"))
            .append("</b></p>");
    if (report.containsKey("interrupted")) {
      h.append("<p><b>Partial run:</b> ").append(report.get("interrupted")).append("</p>");
    }
    long top = 1;
    for (Step s : steps) {
      top = Math.max(top, Math.max(s.offered(), (long) s.achieved()));
    }
    int width = 90;
    int height = 200;
    h.append("<h2>Offered (grey) and achieved (blue) events/s per step</h2><svg width=\"")
        .append(steps.size() * width + 40)
        .append("\" height=\"")
        .append(height + 40)
        .append("\" role=\"img\" aria-label=\"throughput per step\">");
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      int ho = (int) (s.offered() * height / top);
      int ha = (int) (s.achieved() * height / top);
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"30\" height=\"%d\" fill=\"#bbb\"/><rect x=\"%d\" y=\"%d\" width=\"30\" height=\"%d\" fill=\"#3f7fbf\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%,d</text>",
              20 + i * width,
              10 + height - ho,
              ho,
              52 + i * width,
              10 + height - ha,
              ha,
              20 + i * width,
              height + 30,
              s.offered()));
    }
    boolean e2e = steps.stream().anyMatch(s -> s.latency() != null);
    h.append(
            e2e
                ? "</svg><h2>End-to-end latency p95 per step (ms)</h2><svg width=\""
                : "</svg><h2>Time to alert p95 per step (ms)</h2><svg width=\"")
        .append(steps.size() * width + 40)
        .append("\" height=\"")
        .append(height + 40)
        .append("\" role=\"img\" aria-label=\"time to alert per step\">");
    long topTta = 1;
    for (Step s : steps) {
      topTta = Math.max(topTta, p95(s));
    }
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      long v = p95(s);
      int hv = (int) (v * height / topTta);
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"40\" height=\"%d\" fill=\"#e08a2e\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%d</text>",
              20 + i * width,
              10 + height - hv,
              hv,
              20 + i * width,
              height + 30,
              v));
    }
    h.append(
        "</svg><h2>Steps</h2><table><tr><th>offered/s</th><th>achieved/s</th><th>TTA p50</th><th>TTA p95</th><th>TTA p99</th><th>E2E p50</th><th>E2E p95</th><th>E2E p99</th><th>E2E max</th><th>ids back/tracked</th><th>lag start</th><th>lag end</th><th>CPU cores sim/broker/flink</th><th>alloc MiB/s sim/broker/flink</th><th>saturated</th></tr>");
    for (Step s : steps) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%,d</td><td>%,.0f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%,d</td><td>%,d</td><td>%s</td><td>%s</td><td>%s</td></tr>",
              s.offered(),
              s.achieved(),
              ms(s.ttaP50()),
              ms(s.ttaP95()),
              ms(s.ttaP99()),
              s.latency() == null ? "-" : ms(s.latency().p50Millis()),
              s.latency() == null ? "-" : ms(s.latency().p95Millis()),
              s.latency() == null ? "-" : ms(s.latency().p99Millis()),
              s.latency() == null ? "-" : ms(s.latency().maxMillis()),
              s.latency() == null
                  ? "-"
                  : String.format(
                      Locale.ROOT, "%,d/%,d", s.latency().samples(), s.latency().tracked()),
              s.lagStart(),
              s.lagEnd(),
              perComponent(s.cpuCoresByComponent(), "%.2f"),
              perComponent(s.allocatedMiBPerSecondByComponent(), "%.0f"),
              s.saturated() == null ? "no" : s.saturated()));
    }
    return h.append("</table></body></html>\n").toString();
  }
}
