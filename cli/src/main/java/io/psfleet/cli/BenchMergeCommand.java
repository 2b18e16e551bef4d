package io.psfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.psfleet.agent.fleet.Shard;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.UsageException;
import io.psfleet.harness.Saturation;
import io.psfleet.harness.latency.StepLatency;
import io.psfleet.harness.report.RunFacts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./psfleet bench merge DIR...}: the reports of the shards of one {@code bench --shard i/n}
 * plan as one report. Per step, rates, counts, CPU and allocation add up; the latency histograms
 * add up and the percentiles are read from the sum (never averaged); a consumer group's lag is the
 * largest any shard read (every shard reads the same group's lag, so adding would count it n
 * times), and so are the output records every shard read ({@link StepLatency#mergeShards}). The
 * merged step's verdict is judged again on the fleet's figures.
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Combines the reports of the shards of one 'bench --shard i/n' plan into one report:"
          + " bench.json and bench.html in --out.",
      "Per step: offered and achieved events/s, CPU and allocation summed over the shards;"
          + " end-to-end latency p50/p95/p99/max from the sum of their histograms; lag the"
          + " largest any shard read; the verdict judged on the sums."
    })
final class BenchMergeCommand implements Callable<Integer> {
  private final PrintStream out;

  @Parameters(
      paramLabel = "DIR",
      arity = "1..*",
      description = "the --out folder of each shard's bench run (each holds a bench.json)")
  List<Path> dirs = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "folder for the merged report")
  Path dir = Path.of("bench-merged");

  /** Settings every shard of one plan must share. */
  private static final List<String> PLAN =
      List.of(
          "rates",
          "step-seconds",
          "hosts",
          "format",
          "tta-limit",
          "observe-group",
          "observe-topic",
          "match",
          "match-sample",
          "start-at");

  BenchMergeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    Map<Integer, JsonNode> byShard = new TreeMap<>();
    Map<Integer, Path> from = new TreeMap<>();
    int count = -1;
    for (Path d : dirs) {
      Path file = Files.isDirectory(d) ? d.resolve("bench.json") : d;
      if (!Files.isRegularFile(file)) {
        throw new UsageException(
            "bench merge: no bench.json in "
                + d
                + ": give the --out folder of each shard's 'bench --shard i/n' run");
      }
      JsonNode report = LoadBenchCommand.JSON.readTree(file.toFile());
      String shardText = report.path("shard").asText(null);
      if (shardText == null) {
        throw new UsageException(
            "bench merge: " + file + " is not the report of a 'bench --bootstrap' run (no shard)");
      }
      Shard shard;
      try {
        shard = Shard.parse(shardText);
      } catch (IllegalArgumentException e) {
        throw new UsageException("bench merge: " + file + ": " + e.getMessage());
      }
      if (count >= 0 && shard.count() != count) {
        throw new UsageException(
            "bench merge: "
                + file
                + " is shard "
                + shard
                + ", the others are of "
                + count
                + " shards: merge the shards of one plan");
      }
      count = shard.count();
      if (byShard.containsKey(shard.index())) {
        throw new UsageException(
            "bench merge: shard "
                + shard
                + " given twice ("
                + from.get(shard.index())
                + " and "
                + file
                + ")");
      }
      byShard.put(shard.index(), report);
      from.put(shard.index(), file);
    }
    for (int i = 1; i <= count; i++) {
      if (!byShard.containsKey(i)) {
        throw new UsageException(
            "bench merge: shard "
                + i
                + "/"
                + count
                + " is missing: give the report folder of every shard of the plan");
      }
    }
    JsonNode first = byShard.get(1);
    for (String key : PLAN) {
      JsonNode expected = first.path("configuration").path(key);
      for (var e : byShard.entrySet()) {
        JsonNode actual = e.getValue().path("configuration").path(key);
        if (!actual.equals(expected)) {
          throw new UsageException(
              "bench merge: shard "
                  + e.getKey()
                  + "/"
                  + count
                  + " ran with "
                  + key
                  + " "
                  + actual
                  + ", shard 1 with "
                  + expected
                  + ": shards of one plan share their settings");
        }
      }
    }
    List<List<LoadBenchCommand.Step>> shardSteps = new ArrayList<>();
    int steps = Integer.MAX_VALUE;
    for (JsonNode report : byShard.values()) {
      List<LoadBenchCommand.Step> list = new ArrayList<>();
      for (JsonNode step : report.path("steps")) {
        list.add(LoadBenchCommand.JSON.treeToValue(step, LoadBenchCommand.Step.class));
      }
      shardSteps.add(list);
      steps = Math.min(steps, list.size());
    }
    long limitMillis = parseLimit(first.path("configuration").path("tta-limit").asText());
    String group = first.path("configuration").path("observe-group").asText("none");
    String topic = first.path("configuration").path("observe-topic").asText(null);
    List<LoadBenchCommand.Step> merged = new ArrayList<>();
    List<Double> skews = new ArrayList<>();
    out.println("psfleet bench merge: " + count + " shards of " + steps + " steps");
    out.println(
        topic == null
            ? LoadBenchCommand.STEP_HEADER
            : LoadBenchCommand.STEP_HEADER.replace("TTA", "E2E"));
    for (int k = 0; k < steps; k++) {
      List<LoadBenchCommand.Step> parts = new ArrayList<>();
      for (List<LoadBenchCommand.Step> list : shardSteps) {
        parts.add(list.get(k));
      }
      LoadBenchCommand.Step step = merge(parts, limitMillis, group, topic);
      merged.add(step);
      skews.add(skewSeconds(parts));
      LoadBenchCommand.printStep(out, k + 1, step);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    Map<String, Object> configuration = new LinkedHashMap<>();
    for (String key : PLAN) {
      configuration.put(key, first.path("configuration").path(key).asText());
    }
    configuration.put("shards", count);
    configuration.putAll(RunFacts.environment());
    report.put("mergedFrom", from.values().stream().map(Path::toString).toList());
    report.put("configuration", configuration);
    report.put("steps", merged);
    report.put("stepStartSkewSeconds", skews);
    LoadBenchCommand.putVerdict(report, merged);
    Map<String, List<String>> verdicts = new LinkedHashMap<>();
    for (var e : byShard.entrySet()) {
      List<String> v = new ArrayList<>();
      e.getValue().path("steps").forEach(s -> v.add(s.path("saturated").asText(null)));
      verdicts.put(e.getKey() + "/" + count, v);
    }
    report.put("shardVerdicts", verdicts);
    Files.createDirectories(dir);
    LoadBenchCommand.JSON.writeValue(dir.resolve("bench.json").toFile(), report);
    Files.writeString(
        dir.resolve("bench.html"), LoadBenchCommand.html(merged, report), StandardCharsets.UTF_8);
    out.println("Report: " + dir.resolve("bench.json") + " and " + dir.resolve("bench.html"));
    return 0;
  }

  /** One step of every shard as the fleet's step. */
  static LoadBenchCommand.Step merge(
      List<LoadBenchCommand.Step> parts, long limitMillis, String group, String topic) {
    long offered = 0;
    double achieved = 0;
    long alerts = 0;
    long lagStart = -1;
    long lagEnd = -1;
    long heap = 0;
    Map<String, Double> cores = new LinkedHashMap<>();
    Map<String, Double> allocation = new LinkedHashMap<>();
    List<StepLatency> latencies = new ArrayList<>();
    String startedAt = null;
    String shardVerdict = null;
    for (int i = 0; i < parts.size(); i++) {
      LoadBenchCommand.Step p = parts.get(i);
      offered += p.offered();
      achieved += p.achieved();
      alerts += p.alertsJoined();
      lagStart = Math.max(lagStart, p.lagStart());
      lagEnd = Math.max(lagEnd, p.lagEnd());
      heap += p.heapUsedMiB();
      p.cpuCoresByComponent().forEach((c, v) -> cores.merge(c, v, Double::sum));
      p.allocatedMiBPerSecondByComponent().forEach((c, v) -> allocation.merge(c, v, Double::sum));
      if (p.latency() != null) {
        latencies.add(p.latency());
      }
      if (p.startedAt() != null && (startedAt == null || p.startedAt().compareTo(startedAt) < 0)) {
        startedAt = p.startedAt();
      }
      if (shardVerdict == null && p.saturated() != null) {
        shardVerdict = "shard " + (i + 1) + "/" + parts.size() + ": " + p.saturated();
      }
    }
    StepLatency latency = latencies.isEmpty() ? null : StepLatency.mergeShards(latencies);
    String saturated =
        Saturation.verdict(
            offered,
            achieved,
            Math.max(0, lagStart),
            Math.max(0, lagEnd),
            0,
            0,
            limitMillis,
            "consumer group " + group);
    if (saturated == null && latency != null) {
      saturated = Saturation.latencyVerdict(latency, limitMillis, topic);
    }
    if (saturated == null) {
      saturated = shardVerdict;
    }
    return new LoadBenchCommand.Step(
        offered,
        achieved,
        alerts,
        null,
        null,
        null,
        null,
        lagStart,
        lagEnd,
        cores,
        allocation,
        heap,
        latency,
        startedAt,
        saturated);
  }

  private static double skewSeconds(List<LoadBenchCommand.Step> parts) {
    List<Instant> starts =
        parts.stream()
            .map(LoadBenchCommand.Step::startedAt)
            .filter(s -> s != null)
            .map(Instant::parse)
            .toList();
    if (starts.size() < 2) {
      return 0;
    }
    Instant min = starts.stream().min(Instant::compareTo).orElseThrow();
    Instant max = starts.stream().max(Instant::compareTo).orElseThrow();
    return Duration.between(min, max).toMillis() / 1000.0;
  }

  private static long parseLimit(String text) {
    try {
      return io.psfleet.commandline.Durations.parse(text).toMillis();
    } catch (RuntimeException e) {
      return Duration.ofSeconds(10).toMillis();
    }
  }
}
