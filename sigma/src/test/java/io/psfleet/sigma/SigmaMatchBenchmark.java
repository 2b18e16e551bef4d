package io.psfleet.sigma;

import io.psfleet.winevent.EvtxDumpJson;
import io.psfleet.winevent.WinEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Throughput of the matcher on one thread: loads every SigmaHQ snapshot rule, replays the
 * regression events and a synthetic benign process-creation / image-load mix many times, and prints
 * events/s, allocation per event and the ten most expensive rules. Not a test: figures only. Run
 * with {@code ./mvnw -o -q -pl sigma test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.psfleet.sigma.SigmaMatchBenchmark} (optional args: seconds per run, default
 * 5).
 */
public final class SigmaMatchBenchmark {
  private record Event(EventKind kind, int eventId, java.util.Map<String, String> data) {}

  private static long sink;

  public static void main(String[] args) throws IOException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    Path home = SigmaSnapshot.home();
    if (home == null || !Files.isDirectory(home.resolve("rules"))) {
      System.out.println("no SigmaHQ snapshot at " + home + ": benchmark not run");
      return;
    }
    long t0 = System.nanoTime();
    LoadResult loaded = SigmaLoader.load(SigmaSnapshot.ruleFolders(home));
    long loadMs = (System.nanoTime() - t0) / 1_000_000;
    SigmaRuleSet rules = loaded.ruleSet();
    System.out.printf(
        "rules compiled: %d (rejected %d, not applicable %d) in %d ms; fields %d%n",
        rules.size(),
        loaded.report().rejected().size(),
        loaded.report().notApplicable().size(),
        loadMs,
        rules.fields().size());
    for (EventKind k : EventKind.values()) {
      if (!rules.rulesFor(k).isEmpty()) {
        SigmaRuleSet.KindIndex idx = rules.index(k);
        System.out.printf(
            "  %-22s %5d rules, %3d without a required literal (always evaluated),"
                + " %2d fields scanned%s%n",
            k.category(),
            rules.rulesFor(k).size(),
            rules.alwaysEvaluated(k).size(),
            idx.scanFields.length,
            idx.anyValue != null ? " + all values (keyword literals)" : "");
      }
    }
    generatedLoad(20_000);

    List<Event> regression = new ArrayList<>();
    try (Stream<Path> s = Files.walk(home.resolve("regression_data"))) {
      for (Path json : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (WinEvent e : EvtxDumpJson.read(json)) {
          add(regression, e);
        }
      }
    }
    List<Event> benign = new ArrayList<>();
    for (WinEvent e : BenignEvents.sample()) {
      add(benign, e);
    }
    run("regression events", rules, regression, seconds);
    run("benign process_creation/image_load mix", rules, benign, seconds);
  }

  private static void add(List<Event> out, WinEvent e) {
    EventKind kind = EventKind.ofSysmonEventId(e.eventId());
    if (kind != null) {
      out.add(new Event(kind, e.eventId(), e.eventData()));
    }
  }

  private static void run(String name, SigmaRuleSet rules, List<Event> events, double seconds) {
    Event[] evs = events.toArray(new Event[0]);
    SigmaMatcher m = rules.newMatcher(64);
    MapEventView view = new MapEventView(rules.fields());
    MatchSink count = r -> sink++;
    // Warm-up: let the JIT compile the matching path.
    long warmEnd = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      for (Event e : evs) {
        m.match(e.kind, view.reset(e.eventId, e.data), count);
      }
    }
    m.resetCosts();
    long matched = 0;
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long alloc0 = bean.getCurrentThreadAllocatedBytes();
    // Five rounds; the best one is the figure least disturbed by other load on the machine.
    long n = 0;
    long elapsed = 0;
    double best = 0;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      long end = start + (long) (seconds / 5 * 1e9);
      long k = 0;
      while (System.nanoTime() < end) {
        for (Event e : evs) {
          matched += m.match(e.kind, view.reset(e.eventId, e.data), count);
        }
        k += evs.length;
      }
      long t = System.nanoTime() - start;
      best = Math.max(best, k / (t / 1e9));
      n += k;
      elapsed += t;
    }
    long alloc = bean.getCurrentThreadAllocatedBytes() - alloc0;
    System.out.printf(
        "%n%s: %d distinct events, %d replayed in %.1f s%n", name, evs.length, n, elapsed / 1e9);
    System.out.printf(
        "  throughput: %,.0f events/s on one thread (%.2f us/event); best of 5 rounds %,.0f/s%n",
        n / (elapsed / 1e9), elapsed / 1e3 / n, best);
    System.out.printf("  allocation: %.1f bytes/event%n", (double) alloc / n);
    System.out.printf(
        "  full rule evaluations: %.2f per event; matches: %.3f per event%n",
        (double) m.evaluations() / n, (double) matched / n);
    System.out.println("  ten most expensive rules (sampled 1 in 64 evaluations):");
    for (RuleCost c : m.topCosts(10)) {
      System.out.printf(
          "    %8.1f ms est. %9d evals %8.0f ns/eval  %s%n",
          c.estimatedNanos() / 1e6, c.evaluations(), c.meanNanos(), c.rule());
    }
  }

  private static void generatedLoad(int n) {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < n; i++) {
      yaml.append("title: Generated ")
          .append(i)
          .append("\nid: gen-")
          .append(i)
          .append(
              "\nlevel: low\nlogsource:\n    product: windows\n    category: process_creation\n")
          .append("detection:\n    sel:\n        CommandLine|contains|all:\n            - 'tool")
          .append(i)
          .append(".exe'\n            - ' -flag")
          .append(i % 97)
          .append(" '\n")
          .append("        Image|endswith: '\\host")
          .append(i % 13)
          .append(".exe'\n")
          .append("    condition: sel\n---\n");
    }
    long t0 = System.nanoTime();
    LoadResult r = SigmaLoader.loadText("generated.yml", yaml.toString());
    System.out.printf(
        "generated rule set: %d rules loaded in %d ms%n",
        r.ruleSet().size(), (System.nanoTime() - t0) / 1_000_000);
  }
}
