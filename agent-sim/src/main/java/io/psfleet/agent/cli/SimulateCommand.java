package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetProgress;
import io.psfleet.agent.fleet.FleetSummary;
import io.psfleet.agent.fleet.HostDriver;
import io.psfleet.agent.fleet.LoadShape;
import io.psfleet.agent.fleet.Shard;
import io.psfleet.agent.fleet.SummaryFile;
import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.scenario.Scenario;
import io.psfleet.agent.scenario.Scenarios;
import io.psfleet.agent.sensor.HashAlgorithm;
import io.psfleet.agent.workload.HostProfile;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.Durations;
import io.psfleet.commandline.UsageException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./psfleet simulate}: a fleet of simulated hosts publishing telemetry to Kafka (an external
 * cluster or the embedded broker) or to JSON lines, with progress while it runs and a summary at
 * the end.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Simulates a fleet of Windows hosts (kernel Ps notifications, sensor driver, benign workload,"
          + " injected attacks and look-alikes) and publishes its telemetry as Avro to Kafka"
          + " (--bootstrap, or an embedded broker when none is given) or as JSON lines (--out).",
      "The same options and seed produce the same events, byte for byte."
    })
public final class SimulateCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Mixin FleetOptions fleet = new FleetOptions(FleetOptions.SIMULATE);
  @Mixin PublishOptions publish = new PublishOptions();

  @Option(
      names = "--start",
      paramLabel = "TIME",
      converter = Converters.InstantOrNow.class,
      description = "simulated start time (ISO-8601 UTC) or 'now'")
  Instant start = FleetConfig.Builder.DEFAULT_START;

  @Option(
      names = "--boot-window",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "hosts boot spread over this first part of the run (at most the duration)")
  Duration bootWindow = Duration.ofMinutes(1);

  @Option(
      names = "--no-boot-telemetry",
      description =
          "load the sensor after each host has booted (as when an EDR is rolled out to running"
              + " machines): no boot events, and early parents the pipeline never saw")
  boolean noBootTelemetry;

  @Option(
      names = "--process-rate",
      paramLabel = "KIND=N,...",
      description =
          "process creations per simulated hour per host kind (image loads follow, ~50 each)")
  String processRate = "workstation=23,server=15,domain-controller=30";

  @Option(
      names = "--list-scenarios",
      description = "list the scenarios with their ATT&CK technique and exit")
  boolean listScenarios;

  @Option(
      names = "--ground-truth",
      paramLabel = "FILE",
      description = "also write ground truth to FILE as JSON lines")
  String groundTruth;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "also write the end-of-run summary to FILE as one JSON object (for scripts)")
  String summaryFile;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "cap on published events per second (0: no cap)")
  long rate;

  @Option(
      names = "--shape",
      paramLabel = "SHAPE",
      description =
          "how --rate changes over the wall clock: constant; stepped:N/D (N steps of D, 1/N of"
              + " the rate, then 2/N, ...); ramp:D (from nothing to the rate over D); bursts:ON/EVERY"
              + " (the rate for ON at the start of every EVERY, a tenth of it between);"
              + " diurnal:PERIOD (a day in PERIOD: a fifth of the rate at night, the rate at noon)."
              + " A logon storm (every host booting at once, as on a Monday morning) is"
              + " --boot-window 3m")
  String shape = "constant";

  @Option(
      names = "--shard",
      paramLabel = "I/N",
      description = "simulate shard I of N: hosts whose number modulo N is I")
  String shard = "1/1";

  @Option(names = "--threads", paramLabel = "N", description = "worker threads")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--hash-algorithms",
      paramLabel = "LIST",
      description =
          "the hashes the sensor computes, as Sysmon's HashAlgorithms: md5, sha1, sha256, imphash"
              + " separated by commas, or * for all")
  String hashAlgorithms = "*";

  @Option(
      names = "--drivers",
      paramLabel = "LIST",
      description =
          "the drivers every host loads, first loaded first, separated by commas; a later driver's"
              + " routines run after an earlier one's (default: sensor). "
              + HostDriver.HELP)
  String drivers = "sensor";

  @Option(
      names = "--lsass-ppl",
      description =
          "every host runs lsass as a protected process light (LSA protection, RunAsPPL):"
              + " unprotected processes get only limited access to it, so credential dumpers that"
              + " open it for memory reads are refused and no ProcessAccess is reported for them")
  boolean lsassPpl;

  @Option(names = "--quiet", description = "no progress lines, only the summary")
  boolean quiet;

  public SimulateCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    publish.check();
    FleetAssets assets = FleetAssets.create();
    if (listScenarios) {
      listScenarios(assets.scenarios());
      return 0;
    }
    FleetConfig config = config(assets.scenarios());
    PrintStream progressStream = publish.toStdout() ? err : out;
    TransplantSpecs.describe(config.transplants(), progressStream);
    // Opened before the run: a wrong path fails now, not after hours of simulation.
    try (OutputStream truthLog =
            groundTruth == null ? null : PublishTarget.openFile(groundTruth, "--ground-truth");
        OutputStream summaryOut =
            summaryFile == null ? null : PublishTarget.openFile(summaryFile, "--summary");
        PublishTarget target =
            PublishTarget.open("simulate", publish, fleet.speedup() > 0, out, progressStream)) {
      Fleet fleet =
          new Fleet(
              config,
              assets,
              target.publisher,
              truthLog,
              target.format,
              p -> {
                if (!quiet) {
                  progressStream.println(progressLine(p));
                }
              });
      progressStream.printf(
          "psfleet simulate: %d hosts (shard %s, %d here), %s simulated from %s, seed %d, %d scenario instances, to %s%n",
          config.hosts(),
          config.shard(),
          countOwned(config),
          Durations.format(config.duration()),
          Instant.ofEpochSecond(0, config.startNanos()),
          config.seed(),
          fleet.plan().instances(),
          target.description);
      Thread stopper = new Thread(fleet::stop, "psfleet-ctrl-c");
      Runtime.getRuntime().addShutdownHook(stopper);
      FleetSummary summary;
      try {
        summary = fleet.run();
      } finally {
        removeHook(stopper);
      }
      printSummary(progressStream, summary);
      if (summaryOut != null) {
        summaryOut.write(SummaryFile.write(summary).getBytes(StandardCharsets.UTF_8));
      }
      PublisherStats stats = summary.last().publisher();
      return stats.failed() > 0 ? 1 : 0;
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook has done its job
    }
  }

  /** Builds and checks the run's configuration; every mistake is a UsageException. */
  FleetConfig config(Scenarios scenarios) {
    Duration window =
        bootWindow.compareTo(fleet.duration()) > 0 ? fleet.duration().dividedBy(4) : bootWindow;
    if (threads < 1 || threads > 1024) {
      throw new UsageException("--threads must be between 1 and 1024, got " + threads);
    }
    if (rate < 0) {
      throw new UsageException("--rate must be 0 (no cap) or more, got " + rate);
    }
    LoadShape loadShape = FleetOptions.parse("--shape", shape, LoadShape::parse);
    if (rate == 0 && loadShape != LoadShape.CONSTANT) {
      throw new UsageException(
          "--shape " + shape + " shapes the rate cap: give --rate N, the cap at the shape's top");
    }
    try {
      return fleet.toBuilder(scenarios)
          .shard(FleetOptions.parse("--shard", shard, Shard::parse))
          .start(start)
          .bootWindow(window)
          .processCreatesPerHour(processRates(processRate))
          .eventsPerSecond(rate)
          .shape(loadShape)
          .threads(threads)
          .bootTelemetry(!noBootTelemetry)
          .hashAlgorithms(
              FleetOptions.parse("--hash-algorithms", hashAlgorithms, HashAlgorithm::parse))
          .drivers(FleetOptions.parse("--drivers", drivers, HostDriver::parseOrder))
          .lsassRunAsPpl(lsassPpl)
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static Map<HostProfile.Kind, Double> processRates(String text) {
    Map<HostProfile.Kind, Double> rates = new EnumMap<>(HostProfile.Kind.class);
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=");
      HostProfile.Kind kind = null;
      for (HostProfile.Kind k : HostProfile.Kind.values()) {
        if (kv.length == 2 && k.optionName().equals(kv[0].trim().toLowerCase(Locale.ROOT))) {
          kind = k;
        }
      }
      double rate;
      try {
        rate = kind == null ? -1 : Double.parseDouble(kv[1].trim());
      } catch (NumberFormatException e) {
        rate = -1;
      }
      if (kind == null || !(rate > 0)) {
        throw new UsageException(
            "--process-rate looks like workstation=23,server=15 (positive creations per hour); cannot read '"
                + part
                + "'");
      }
      rates.put(kind, rate);
    }
    return rates;
  }

  private void listScenarios(Scenarios scenarios) {
    List<Scenario> scored = scenarios.all();
    list("Attacks (must alert; groups all, attacks):", scored, true);
    list("Benign look-alikes (must not alert; groups all, lookalikes):", scored, false);
    list("Technique library attacks, for Sigma rules (group library):", scenarios.library(), true);
    list("Technique library look-alikes (group library):", scenarios.library(), false);
  }

  private void list(String heading, List<Scenario> scenarios, boolean attacks) {
    out.println(heading);
    for (Scenario s : scenarios) {
      if (s.attack() == attacks) {
        out.printf("  %-34s %-10s %s%n", s.name(), s.technique(), s.description());
      }
    }
  }

  private static int countOwned(FleetConfig config) {
    int owned = 0;
    for (int h = 0; h < config.hosts(); h++) {
      if (config.shard().owns(h)) {
        owned++;
      }
    }
    return owned;
  }

  static String progressLine(FleetProgress p) {
    PublisherStats s = p.publisher();
    long sim = p.simulatedNanos() / 1_000_000_000L;
    double blocked = p.wallNanos() == 0 ? 0 : 100.0 * s.blockedNanos() / p.wallNanos();
    return String.format(
        Locale.ROOT,
        "[%7.1fs] simulated %02d:%02d:%02d | events %,d (%,.0f/s) | hosts %d/%d up, %d halted | ground truth %d | delivered %,d, errors %d, back-pressure %.0f%%",
        p.wallNanos() / 1e9,
        sim / 3600,
        sim / 60 % 60,
        sim % 60,
        p.events(),
        p.eventsPerSecond(),
        p.booted(),
        p.hosts(),
        p.halted(),
        p.groundTruths(),
        s.delivered(),
        s.failed(),
        blocked);
  }

  private static void printSummary(PrintStream stream, FleetSummary summary) {
    FleetProgress p = summary.last();
    PublisherStats s = p.publisher();
    stream.println(summary.stoppedEarly() ? "Stopped early (interrupted). Summary:" : "Summary:");
    stream.printf(
        Locale.ROOT,
        "  simulated        %.0f s in %.1f s of wall clock%n",
        p.simulatedNanos() / 1e9,
        p.wallNanos() / 1e9);
    stream.printf(
        Locale.ROOT,
        "  events           %,d (%,.0f per second)%n",
        p.events(),
        p.eventsPerSecond());
    stream.printf(
        Locale.ROOT,
        "  hosts            %d, %d booted, %d halted by bug checks%n",
        p.hosts(),
        p.booted(),
        p.halted());
    stream.printf(Locale.ROOT, "  heap per host    %,d bytes%n", summary.heapBytesPerHost());
    stream.printf(
        Locale.ROOT,
        "  scenarios        %d planned instances, %d ground-truth records%n",
        summary.scenarioInstances(),
        p.groundTruths());
    stream.printf(
        Locale.ROOT,
        "  publisher        %,d sent, %,d delivered, %,d failed, %,d bytes, %.1f s blocked by back-pressure%n",
        s.sent(),
        s.delivered(),
        s.failed(),
        s.bytes(),
        s.blockedNanos() / 1e9);
    if (s.firstError() != null) {
      stream.println("  first error      " + s.firstError());
    }
    summary
        .bugChecks()
        .forEach(b -> stream.println("  bug check        " + b.hostId() + ": " + b.bugCheck()));
  }
}
