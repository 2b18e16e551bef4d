package io.psfleet.cli.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.psfleet.agent.publish.JsonRecords;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.UsageException;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.event.TelemetryMapping;
import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.sigma.LoadReport;
import io.psfleet.sigma.LoadResult;
import io.psfleet.sigma.RuleOutcome;
import io.psfleet.sigma.RuleTester;
import io.psfleet.sigma.SigmaLoader;
import io.psfleet.sigma.correlation.CorrelationMatch;
import io.psfleet.sigma.correlation.CorrelationTester;
import io.psfleet.winevent.ReadIssue;
import io.psfleet.winevent.ReadReport;
import io.psfleet.winevent.WinEventFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./psfleet rules}: the commands for rule authors. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    description = "Sigma rules: check that they load, and test them on recorded events.")
public final class RulesCommand implements Runnable {
  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  public RulesCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** The subcommands, for the parent command line to add. */
  public List<Object> subcommands() {
    return List.of(new Check(out), new Test(out, err));
  }

  @Override
  public void run() {
    throw Commands.missingSubcommand(spec);
  }

  static void requireExisting(List<Path> paths, String what) {
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new UsageException(what + " " + p + " does not exist");
      }
    }
  }

  /** {@code rules check PATH...}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Loads every Sigma rule under the given files and folders (recursively, multi-document"
            + " YAML) and prints each rejected rule with its file, line and reason, the rules of"
            + " logsources psfleet does not emit, and the loaded rules per category.",
        "Exits 1 when any rule is rejected."
      })
  static final class Check implements Callable<Integer> {
    private final PrintStream out;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "rule files or folders")
    List<Path> paths;

    Check(PrintStream out) {
      this.out = out;
    }

    @Override
    public Integer call() {
      requireExisting(paths, "rule path");
      LoadReport report = SigmaLoader.check(paths);
      for (Map.Entry<String, List<RuleOutcome>> file : report.byFile().entrySet()) {
        long loaded =
            file.getValue().stream().filter(o -> o.status() == RuleOutcome.Status.LOADED).count();
        long rejected =
            file.getValue().stream().filter(o -> o.status() == RuleOutcome.Status.REJECTED).count();
        if (rejected > 0) {
          out.printf("REJECTED %s (%d loaded, %d rejected)%n", file.getKey(), loaded, rejected);
        }
      }
      out.print(report.format());
      return report.rejected().isEmpty() ? Commands.OK : Commands.FAILURE;
    }
  }

  /** {@code rules test --rules PATH... --events FILE...}. */
  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = {
        "Evaluates Sigma rules on recorded events without Kafka: EVTX, evtx_dump JSON (SigmaHQ's"
            + " regression data), flat Sysmon JSON lines, Winlogbeat/ECS JSON lines,"
            + " XmlWinEventLog lines, and psfleet's own JSON lines (simulate --out), detected from"
            + " each file's content.",
        "Prints one JSON line per event: {\"source\": FILE, \"index\": N, \"rules\": [ids that"
            + " fire]}; problems in a file go to standard error with the file and offset.",
        "Correlation rules run over the events in event time (the event's time, else Sysmon's"
            + " UtcTime; its host); each match is one more line at the end: {\"correlation\": ID,"
            + " \"title\": TITLE, \"events\": [{\"source\": FILE, \"index\": N}, ...]}."
      })
  static final class Test implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter UTC_TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final PrintStream out;
    private final PrintStream err;

    @Option(
        names = "--rules",
        required = true,
        arity = "1..*",
        paramLabel = "PATH",
        description = "rule files or folders")
    List<Path> rules;

    @Option(
        names = "--events",
        required = true,
        arity = "1..*",
        paramLabel = "FILE",
        description = "recorded events")
    List<Path> events;

    /** Where correlation matches name an event: its source and index, by evidence id. */
    private final List<String[]> evidence = new ArrayList<>();

    private CorrelationTester correlations;

    Test(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    /** Feeds an event's fired rules to the correlation rules, if any; events without time pass. */
    private void correlate(
        String source,
        long index,
        List<String> fired,
        Instant time,
        String host,
        Map<String, String> data) {
      if (correlations.isEmpty() || fired.isEmpty() || time == null) {
        return;
      }
      evidence.add(new String[] {source, Long.toString(index)});
      long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
      correlations.observe(fired, nanos, host, data, Integer.toString(evidence.size() - 1));
    }

    /** An event's time: the record's, else Sysmon's {@code UtcTime}; null if neither. */
    private static Instant timeOf(Instant timeCreated, Map<String, String> data) {
      if (timeCreated != null) {
        return timeCreated;
      }
      String utc = data.get("UtcTime");
      try {
        return utc == null ? null : LocalDateTime.parse(utc, UTC_TIME).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        return null;
      }
    }

    private void printMatches() {
      for (CorrelationMatch m : correlations.finish()) {
        ObjectNode line = JSON.createObjectNode();
        line.put("correlation", m.rule().key());
        line.put("title", m.rule().title());
        ArrayNode events = line.putArray("events");
        for (String id : m.evidence()) {
          String[] ref = evidence.get(Integer.parseInt(id));
          events.addObject().put("source", ref[0]).put("index", Long.parseLong(ref[1]));
        }
        out.println(line.toString());
      }
      if (correlations.late() > 0) {
        err.println(
            correlations.late()
                + " rule matches came more than a minute after a later event: too late for the"
                + " correlation rules");
      }
    }

    private void print(String source, long index, List<String> fired) {
      ObjectNode line = JSON.createObjectNode();
      line.put("source", source);
      line.put("index", index);
      ArrayNode rules = line.putArray("rules");
      fired.forEach(rules::add);
      out.println(line.toString());
    }

    /** What {@code ./psfleet simulate --out} writes: one telemetry record per line. */
    private static boolean isPsfleetJsonLines(Path file) {
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String first = in.readLine();
        return first != null && first.startsWith("{\"header\":");
      } catch (IOException e) {
        return false; // the format readers report what cannot be read
      }
    }

    /**
     * psfleet's own JSON lines, seen as Sysmon writes them ({@link SysmonFields}); an event with no
     * Sysmon counterpart (a thread exit, a process's own thread) fires no rule.
     */
    private int testPsfleetJsonLines(Path file, String source, RuleTester tester) {
      int problems = 0;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String text;
        long index = 0;
        while ((text = in.readLine()) != null) {
          if (text.isBlank()) {
            continue;
          }
          long line = index++;
          SysmonFields fields;
          Telemetry telemetry;
          try {
            telemetry = TelemetryMapping.from(JsonRecords.readTelemetry(text));
            fields = SysmonFields.of(telemetry);
          } catch (IllegalArgumentException e) {
            err.println(source + ": line " + (line + 1) + ": " + e.getMessage());
            problems++;
            continue;
          }
          Map<String, String> data = new LinkedHashMap<>();
          for (String name : fields.fieldNames()) {
            String value = fields.field(name);
            if (value != null) {
              data.put(name, value);
            }
          }
          List<String> fired =
              fields.eventId() == SysmonFields.NONE
                  ? List.of()
                  : tester.fire(fields.eventId(), data);
          print(source, line, fired);
          correlate(
              source,
              line,
              fired,
              Instant.EPOCH.plusNanos(telemetry.timeNanos()),
              telemetry.hostId(),
              data);
        }
      } catch (IOException e) {
        throw new UsageException("--events " + file + ": cannot read it: " + e.getMessage());
      }
      return problems;
    }

    @Override
    public Integer call() {
      requireExisting(rules, "--rules");
      requireExisting(events, "--events");
      LoadResult loaded = SigmaLoader.load(rules);
      for (RuleOutcome rejected : loaded.report().rejected()) {
        err.println("rejected rule: " + rejected.describe());
      }
      RuleTester tester = new RuleTester(loaded.ruleSet());
      correlations = new CorrelationTester(loaded.ruleSet().correlations());
      int problems = 0;
      for (Path file : events) {
        String source = file.toString();
        if (isPsfleetJsonLines(file)) {
          problems += testPsfleetJsonLines(file, source, tester);
          continue;
        }
        ReadReport report;
        try {
          report =
              WinEventFiles.read(
                  file,
                  event -> {
                    List<String> fired = tester.fire(event.eventId(), event.eventData());
                    print(source, event.index(), fired);
                    correlate(
                        source,
                        event.index(),
                        fired,
                        timeOf(event.timeCreated(), event.eventData()),
                        event.computer(),
                        event.eventData());
                  });
        } catch (IOException e) {
          throw new UsageException("--events " + file + ": cannot read it: " + e.getMessage());
        }
        for (ReadIssue issue : report.issues()) {
          err.println(issue);
          problems++;
        }
      }
      printMatches();
      return problems == 0 && loaded.report().rejected().isEmpty() ? Commands.OK : Commands.FAILURE;
    }
  }
}
