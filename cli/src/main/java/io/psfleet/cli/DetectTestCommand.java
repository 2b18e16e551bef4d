package io.psfleet.cli;

import io.psfleet.agent.cli.Options;
import io.psfleet.agent.cli.UsageException;
import io.psfleet.report.AlertRecord;
import io.psfleet.report.DetectionReport;
import io.psfleet.report.ReportFiles;
import io.psfleet.report.TelemetryScan;
import io.psfleet.schema.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./psfleet detect-test}: a chosen fleet and attack mix through the real pipeline, alerts
 * joined with ground truth, a report per technique (JSON, console, HTML), and an exit code for CI.
 */
public final class DetectTestCommand {
  private final PrintStream out;

  public DetectTestCommand(PrintStream out) {
    this.out = out;
  }

  public static Options options() {
    return PipelineDemo.pipelineOptions(
            "detect-test",
            "Tests the detections at fleet scale: runs the chosen fleet and attack mix through the real\n"
                + "pipeline (embedded Kafka, the detection job on Flink, the simulator), joins the alerts\n"
                + "with the ground truth and reports per ATT&CK technique: injected, detected, missed,\n"
                + "false positives, precision, recall, time to alert (p50/p95/p99/max, from the last\n"
                + "telemetry record an alert names to the alert, both Kafka timestamps). Writes\n"
                + "report.json and report.html into --out; exits 1 when --min-recall or\n"
                + "--max-false-positives is not met.")
        .option("out", "DIR", "detect-test-report", "folder for report.json and report.html")
        .option("min-recall", "R", "1.0", "lowest acceptable recall over all attacks (0..1)")
        .option("max-false-positives", "N", "0", "most false-positive alerts acceptable");
  }

  public int run(Options options) throws Exception {
    double minRecall;
    try {
      minRecall = Double.parseDouble(options.string("min-recall"));
    } catch (NumberFormatException e) {
      minRecall = -1;
    }
    if (minRecall < 0 || minRecall > 1) {
      throw new UsageException(
          "--min-recall must be a number from 0 to 1, got '" + options.string("min-recall") + "'");
    }
    int maxFalsePositives = options.intValue("max-false-positives", 0, Integer.MAX_VALUE);
    Path dir = Path.of(options.string("out"));
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
              TelemetryScan scan = TelemetryScan.read(bootstrap, Topics.TELEMETRY, evidence, since);
              Map<String, String> configuration = configuration(options);
              if (interrupted) {
                configuration.put(
                    "interrupted",
                    "Ctrl-C ended the run early: the report covers the scenarios injected so far");
              }
              DetectionReport report =
                  DetectionReport.build(
                      configuration, result, alerts, scan.evidenceTimes(), scan.hosts());
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
              exit[0] = interrupted ? PipelineDemo.INTERRUPTED : passed ? 0 : 1;
            });
    return exit[0];
  }

  /** The run's options, versions and machine, so a reader can reproduce it. */
  private static Map<String, String> configuration(Options options) {
    Map<String, String> c = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(FleetOptions.NAMES);
    names.addAll(
        List.of(
            "parallelism",
            "checkpoint-interval",
            "delivery",
            "settle",
            "min-recall",
            "max-false-positives"));
    for (String name : names) {
      c.put(name, options.string(name));
    }
    c.put(
        "kafka cluster",
        java.util.Objects.toString(options.string("bootstrap"), "embedded broker"));
    c.put(
        "flink cluster",
        java.util.Objects.toString(options.string("flink"), "MiniCluster in this JVM"));
    c.putAll(RunFacts.environment());
    return c;
  }
}
