package io.psfleet.harness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link DetectionReport} three ways: {@code report.json} for machines, a console table,
 * and {@code report.html}, self-contained (inline SVG charts, no script, no network) so it opens
 * anywhere.
 */
public final class ReportFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportFiles() {}

  public static void write(DetectionReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("report.json").toFile(), report);
    Files.writeString(dir.resolve("report.html"), html(report), StandardCharsets.UTF_8);
  }

  public static void printTable(DetectionReport report, PrintStream out) {
    printRows(report.techniques(), false, out);
    DetectionReport.Totals t = report.totals();
    out.printf(
        Locale.ROOT,
        "%-11s %8d %8d %6d %6d %9.2f %7.2f %9s %9s %9s %9s%n",
        "all",
        t.injected(),
        t.detected(),
        t.alerts(),
        t.falsePositives(),
        t.precision(),
        t.recall(),
        ms(t.timeToAlert().p50()),
        ms(t.timeToAlert().p95()),
        ms(t.timeToAlert().p99()),
        ms(t.timeToAlert().max()));
    out.println();
    printRows(report.rules(), true, out);
    printScenarios(report.scenarios(), out);
    DetectionReport.HostTelemetry h = report.telemetry();
    out.printf(
        Locale.ROOT,
        "telemetry: %d hosts, %,d events sent, %,d seen, %,d missing, %,d duplicates%s%n",
        h.hosts(),
        h.sent(),
        h.seen(),
        h.missing(),
        h.duplicates(),
        h.hostsWithLoss().isEmpty()
            ? ""
            : " (loss on " + String.join(", ", h.hostsWithLoss()) + ")");
    report.techniques().stream()
        .filter(r -> !r.falsePositives().isEmpty())
        .forEach(
            r ->
                out.println(
                    "false positives "
                        + r.technique()
                        + ": "
                        + String.join(", ", r.falsePositives())));
  }

  /** Per attack scenario: instances, detected, and which rules caught how many. */
  private static void printScenarios(List<DetectionReport.ScenarioRow> rows, PrintStream out) {
    if (rows.isEmpty()) {
      return;
    }
    int width = Math.max(8, rows.stream().mapToInt(r -> r.scenario().length()).max().orElse(0));
    out.println();
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %-10s %8s %8s  %s%n",
        "scenario",
        "technique",
        "injected",
        "detected",
        "detected by (rule: instances)");
    for (DetectionReport.ScenarioRow r : rows) {
      StringBuilder by = new StringBuilder();
      r.detectedBy()
          .forEach(
              (rule, n) ->
                  by.append(by.length() == 0 ? "" : ", ").append(rule).append(": ").append(n));
      out.printf(
          Locale.ROOT,
          "%-" + width + "s %-10s %8d %8d  %s%n",
          r.scenario(),
          r.technique(),
          r.injected(),
          r.detected(),
          by.length() == 0 ? "-" : by);
    }
  }

  /** The technique table, or (with {@code rules}) the rule table, which names each technique. */
  private static void printRows(List<DetectionReport.Row> rows, boolean rules, PrintStream out) {
    // Sigma rule ids are UUIDs: the first column is as wide as the longest name.
    int width = Math.max(11, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
    String name = "%-" + width + "s";
    out.printf(
        name + " %8s %8s %6s %6s %8s %9s %7s %9s %9s %9s %9s  %s%n",
        rules ? "rule" : "technique",
        "injected",
        "detected",
        "alerts",
        "FP",
        "FP/1k h",
        "precision",
        "recall",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        rules ? "technique  missed" : "missed");
    for (DetectionReport.Row r : rows) {
      String missed = r.missed().isEmpty() ? "" : String.join(",", r.missed());
      out.printf(
          Locale.ROOT,
          name + " %8d %8d %6d %6d %8s %9.2f %7.2f %9s %9s %9s %9s  %s%n",
          r.name(),
          r.injected(),
          r.detected(),
          r.alerts(),
          r.falsePositives().size(),
          perThousand(r),
          r.precision(),
          r.recall(),
          ms(r.timeToAlert().p50()),
          ms(r.timeToAlert().p95()),
          ms(r.timeToAlert().p99()),
          ms(r.timeToAlert().max()),
          rules ? String.format("%-10s %s", r.technique(), missed) : missed);
    }
  }

  /** False positives per 1,000 host-hours, or "-" when the run's exposure is unknown. */
  private static String perThousand(DetectionReport.Row r) {
    Double v = r.falsePositivesPer1000HostHours();
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String ms(Long value) {
    return value == null ? "-" : Long.toString(value);
  }

  static String html(DetectionReport report) {
    StringBuilder h = new StringBuilder();
    h.append(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>psfleet detection test</title><style>")
        .append(
            "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append(
            "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
        .append(
            ".bad{color:#b00020;font-weight:bold}.ok{color:#11713a}svg text{font-size:12px}</style></head><body>");
    DetectionReport.Totals t = report.totals();
    h.append("<h1>psfleet detection test</h1>");
    h.append(
        String.format(
            Locale.ROOT,
            "<p>Recall <b class=\"%s\">%.2f</b> (%d of %d attacks), precision <b>%.2f</b>, %d false positives, %d alerts.</p>",
            t.recall() < 1 ? "bad" : "ok",
            t.recall(),
            t.detected(),
            t.injected(),
            t.precision(),
            t.falsePositives(),
            t.alerts()));
    h.append("<h2>Per technique</h2>").append(htmlRows(report.techniques(), false));
    h.append("<h2>Per rule</h2>").append(htmlRows(report.rules(), true));
    h.append("<h2>Recall per technique</h2>").append(recallChart(report.techniques()));
    h.append("<h2>Time to alert</h2>").append(histogram(report.timesToAlertMillis()));
    DetectionReport.HostTelemetry ht = report.telemetry();
    h.append(
        String.format(
            Locale.ROOT,
            "<h2>Telemetry</h2><p>%d hosts, %,d events sent, %,d seen, %,d missing, %,d duplicates.</p>",
            ht.hosts(),
            ht.sent(),
            ht.seen(),
            ht.missing(),
            ht.duplicates()));
    h.append("<h2>Configuration</h2><table>");
    for (Map.Entry<String, String> e : report.configuration().entrySet()) {
      h.append("<tr><td>")
          .append(escape(e.getKey()))
          .append("</td><td style=\"text-align:left\">")
          .append(escape(e.getValue()))
          .append("</td></tr>");
    }
    return h.append("</table></body></html>\n").toString();
  }

  /** The technique table, or (with {@code rules}) the rule table, which names each technique. */
  private static String htmlRows(List<DetectionReport.Row> rows, boolean rules) {
    StringBuilder h =
        new StringBuilder("<table><tr><th>")
            .append(rules ? "rule</th><th>technique" : "technique")
            .append(
                "</th><th>injected</th><th>detected</th><th>alerts</th><th>false positives</th><th>FP per 1,000 host-hours</th>")
            .append(
                "<th>precision</th><th>recall</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>missed</th></tr>");
    for (DetectionReport.Row r : rows) {
      h.append("<tr><td>").append(escape(r.name()));
      if (rules) {
        h.append("</td><td>").append(escape(r.technique()));
      }
      h.append(
          String.format(
              Locale.ROOT,
              "</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td><td>%.2f</td><td class=\"%s\">%.2f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
              r.injected(),
              r.detected(),
              r.alerts(),
              escape(String.join(", ", r.falsePositives())),
              perThousand(r),
              r.precision(),
              r.recall() < 1 ? "bad" : "ok",
              r.recall(),
              ms(r.timeToAlert().p50()),
              ms(r.timeToAlert().p95()),
              ms(r.timeToAlert().p99()),
              ms(r.timeToAlert().max()),
              escape(String.join(", ", r.missed()))));
    }
    return h.append("</table>").toString();
  }

  private static String recallChart(List<DetectionReport.Row> rows) {
    int barHeight = 22;
    int width = 520;
    StringBuilder svg =
        new StringBuilder(
            String.format(
                "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"recall per technique\">",
                width + 200, rows.size() * barHeight + 10));
    for (int i = 0; i < rows.size(); i++) {
      DetectionReport.Row r = rows.get(i);
      int y = 5 + i * barHeight;
      int w = (int) Math.round(r.recall() * width);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"0\" y=\"%d\">%s</text><rect x=\"90\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%.0f%% (%d/%d)</text>",
              y + 13,
              escape(r.technique()),
              y,
              Math.max(1, w),
              r.recall() < 1 ? "#d9534f" : "#4caf50",
              96 + w,
              y + 13,
              r.recall() * 100,
              r.detected(),
              r.injected()));
    }
    return svg.append("</svg>").toString();
  }

  private static String histogram(List<Long> times) {
    if (times.isEmpty()) {
      return "<p>No attack was detected.</p>";
    }
    long max = Math.max(1, times.get(times.size() - 1));
    int buckets = 10;
    int[] counts = new int[buckets];
    for (long t : times) {
      counts[(int) Math.min(buckets - 1, t * buckets / (max + 1))]++;
    }
    int top = 1;
    for (int c : counts) {
      top = Math.max(top, c);
    }
    int width = 60;
    int height = 160;
    StringBuilder svg =
        new StringBuilder(
            String.format(
                "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"time to alert distribution\">",
                buckets * width + 20, height + 60));
    int margin = 20; // room above the tallest bar for its count
    for (int i = 0; i < buckets; i++) {
      int h = counts[i] * height / top;
      long from = max * i / buckets;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#3f7fbf\"/><text x=\"%d\" y=\"%d\">%d</text><text x=\"%d\" y=\"%d\">%d ms</text>",
              10 + i * width,
              margin + height - h,
              width - 6,
              h,
              10 + i * width + 18,
              margin - 4 + height - h,
              counts[i],
              10 + i * width,
              margin + height + 20,
              from));
    }
    return svg.append("</svg>").toString();
  }

  private static String escape(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
