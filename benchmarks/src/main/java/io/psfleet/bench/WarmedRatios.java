package io.psfleet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ratios of {@code bench job}'s warmed rounds (every round but the first), per ratio: on a
 * shared machine one round's ratio moves by a tenth between rounds of the same jars, so the median
 * of several and their range say more than the last alone.
 */
final class WarmedRatios {
  /** Per ratio, in the order first added: its rate ratios and CPU ratios, one per warmed round. */
  private final Map<String, List<double[]>> byName = new LinkedHashMap<>();

  /** Records round {@code round}'s ratio {@code name} (rate, CPU); round 1 is left out. */
  void add(int round, String name, double rate, double cpu) {
    if (round > 1) {
      byName.computeIfAbsent(name, n -> new ArrayList<>()).add(new double[] {rate, cpu});
    }
  }

  /** Warmed rounds recorded for the ratio seen most often. */
  int rounds() {
    return byName.values().stream().mapToInt(List::size).max().orElse(0);
  }

  /** One line per ratio: the median and range of its rates, then of its CPU ratios. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    byName.forEach(
        (name, values) -> {
          double[] rates = values.stream().mapToDouble(v -> v[0]).sorted().toArray();
          double[] cpus = values.stream().mapToDouble(v -> v[1]).sorted().toArray();
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%s median %.2f (%.2f-%.2f), CPU per event median %.2f (%.2f-%.2f)",
                  name,
                  median(rates),
                  rates[0],
                  rates[rates.length - 1],
                  median(cpus),
                  cpus[0],
                  cpus[cpus.length - 1]));
        });
    return lines;
  }

  /** The median of values sorted ascending (at least one). */
  static double median(double[] sorted) {
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
