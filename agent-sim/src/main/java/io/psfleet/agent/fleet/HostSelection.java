package io.psfleet.agent.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Which hosts may receive scenarios: {@code all}, or 1-based fleet numbers and ranges such as
 * {@code 1-50,77}.
 */
public record HostSelection(String text, List<int[]> ranges) implements IntPredicate {
  public static final HostSelection ALL = new HostSelection("all", List.of());

  public HostSelection {
    ranges = List.copyOf(ranges);
  }

  public static HostSelection parse(String text) {
    if (text.equalsIgnoreCase("all")) {
      return ALL;
    }
    List<int[]> ranges = new ArrayList<>();
    for (String part : text.split(",")) {
      String[] bounds = part.trim().split("-");
      try {
        int from = Integer.parseInt(bounds[0].trim());
        int to = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : from;
        if (bounds.length > 2 || from < 1 || to < from) {
          throw new NumberFormatException();
        }
        ranges.add(new int[] {from, to});
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "hosts are 'all' or 1-based numbers and ranges like 1-50,77; cannot read '"
                + part
                + "'");
      }
    }
    return new HostSelection(text, ranges);
  }

  /** Whether the host with 0-based fleet index {@code hostIndex} is selected. */
  @Override
  public boolean test(int hostIndex) {
    if (ranges.isEmpty()) {
      return true;
    }
    int number = hostIndex + 1;
    for (int[] range : ranges) {
      if (number >= range[0] && number <= range[1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
