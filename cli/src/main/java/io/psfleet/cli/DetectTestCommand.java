package io.psfleet.cli;

import io.psfleet.commandline.Commands;
import io.psfleet.commandline.Converters;
import io.psfleet.commandline.UsageException;
import io.psfleet.harness.report.AlertRecord;
import io.psfleet.harness.report.DetectionReport;
import io.psfleet.harness.report.ReportFiles;
import io.psfleet.harness.report.RunFacts;
import io.psfleet.harness.report.TelemetryScan;
import io.psfleet.schema.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./psfleet detect-test}: a chosen fleet and attack mix through the real pipeline, alerts
 * joined with ground truth, a report per technique (JSON, console, HTML), and an exit code for CI.
 */
@Command(
    name = "detect-test",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Tests the detections at fleet scale: runs the chosen fleet and attack mix through the real"
          + " pipeline (embedded Kafka, the detection job on Flink, the simulator), joins the alerts"
          + " with the ground truth and reports per ATT&CK technique: injected, detected, missed,"
          + " false positives, precision, recall, time to alert (p50/p95/p99/max, from the last"
          + " telemetry record an alert names to the alert, both Kafka timestamps).",
      "Writes report.json and report.html into --out; exits 1 when --min-recall or"
          + " --max-false-positives is not met."
    })
public final class DetectTestCommand implements Callable<Integer> {
  private final PrintStream out;

  @Mixin PipelineOptions options = new PipelineOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "folder for report.json and report.html")
  Path dir = Path.of("detect-test-report");

  @Option(
      names = "--min-recall",
      paramLabel = "R",
      converter = Converters.Fraction.class,
      description = "lowest acceptable recall over all attacks (0..1)")
  double minRecall = 1.0;

  @Option(
      names = "--max-false-positives",
      paramLabel = "N",
      description = "most false-positive alerts acceptable (0 or more)")
  int maxFalsePositives = 0;

  public DetectTestCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (maxFalsePositives < 0) {
      throw new UsageException("--max-false-positives must be 0 or more, got " + maxFalsePositives);
    }

    double recallThreshold = minRecall;
    int[] exit = {0};
    new PipelineDemo(out)
        .runPipeline(
            options,
            "detect-test",
            (bootstrap, since, result, alerts, interrupted) -> {
              Set<String> evidence = new HashSet<>();
              for (AlertRecord alert : alerts) {
                evidence.addAll(alert.evidenceEventIds());
              }
              TelemetryScan scan =
                  TelemetryScan.read(
                      bootstrap,
                      options.kafka.config().clientSettings(),
                      Topics.TELEMETRY,
                      evidence,
                      since);
              Map<String, String> configuration = configuration();
              if (interrupted) {
                configuration.put(
                    "interrupted",
                    "Ctrl-C ended the run early: the report covers the scenarios injected so far");
              }
              DetectionReport report =
                  DetectionReport.build(
                      configuration,
                      result,
                      alerts,
                      scan.evidenceTimes(),
                      scan.hosts(),
                      options.fleet.hosts() * (options.fleet.duration().toSeconds() / 3600.0));
              ReportFiles.write(report, dir);
              out.println();
              ReportFiles.printTable(report, out);
              boolean passed = report.passes(recallThreshold, maxFalsePositives);
              out.printf(
                  "%nReport: %s and %s. %s%n",
                  dir.resolve("report.json"),
                  dir.resolve("report.html"),
                  passed
                      ? "PASSED (recall and false positives within the thresholds)."
                      : "FAILED: recall below "
                          + recallThreshold
                          + " or more than "
                          + maxFalsePositives
                          + " false positives.");
              if (interrupted) {
                out.println("PARTIAL: Ctrl-C ended the run before its configured duration.");
              }
              exit[0] = interrupted ? Commands.INTERRUPTED : passed ? 0 : 1;
            });
    return exit[0];
  }

  /** The run's options, versions and machine, so a reader can reproduce it. */
  private Map<String, String> configuration() {
    Map<String, String> c = new LinkedHashMap<>(options.describe());
    c.put("min-recall", Double.toString(minRecall));
    c.put("max-false-positives", Integer.toString(maxFalsePositives));
    c.putAll(RunFacts.environment());
    return c;
  }
}
