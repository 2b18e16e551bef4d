package io.psfleet.agent.cli;

import io.psfleet.agent.scenario.Scenario;
import io.psfleet.agent.scenario.Scenarios;
import io.psfleet.commandline.UsageException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The --scenarios option of the commands that inject scenarios. */
public final class ScenarioOptions {
  private ScenarioOptions() {}

  /**
   * Parses name[:count] items and the groups all, attacks, lookalikes (what psfleet's own rules are
   * scored on), library (the technique library), everything and none.
   */
  public static Map<String, Integer> counts(String text, Scenarios scenarios) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String item : text.split(",")) {
      String[] parts = item.trim().split(":");
      String name = parts[0].trim().toLowerCase(Locale.ROOT);
      int count = parts.length == 2 ? parseCount(parts[1]) : 1;
      if (parts.length > 2 || count < 0) {
        throw new UsageException(
            "--scenarios items look like dll-injection:3; cannot read '" + item + "'");
      }
      switch (name) {
        case "none" -> counts.clear();
        // The groups all, attacks and lookalikes are what psfleet's own rules are scored on; the
        // technique library (Sigma's territory) is asked for by name or as "library".
        case "all" -> scenarios.all().forEach(s -> counts.put(s.name(), count));
        case "attacks" ->
            scenarios.all().stream()
                .filter(Scenario::attack)
                .forEach(s -> counts.put(s.name(), count));
        case "lookalikes" ->
            scenarios.all().stream()
                .filter(s -> !s.attack())
                .forEach(s -> counts.put(s.name(), count));
        case "library" -> scenarios.library().forEach(s -> counts.put(s.name(), count));
        case "everything" -> scenarios.everyScenario().forEach(s -> counts.put(s.name(), count));
        default -> {
          if (scenarios.find(name) == null) {
            throw new UsageException(
                "--scenarios: unknown scenario '"
                    + name
                    + "'; ./psfleet simulate --list-scenarios shows them all");
          }
          counts.put(name, count);
        }
      }
    }
    return counts;
  }

  private static int parseCount(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
