package io.psfleet.agent.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A driver a simulated host can load, by the name {@code --drivers} gives it. The hosts load the
 * chosen drivers in the chosen order, so that a routine of a later driver runs after the routines
 * of an earlier one, as the kernel calls them in registration order.
 */
public enum HostDriver {
  SENSOR("sensor"),
  ANTIVIRUS("antivirus"),
  FAILING_ENTRY("failing-entry"),
  IRQL_FAULT("irql-fault");

  /** What each driver does, for {@code --drivers}' help: the one place that says it. */
  public static final String HELP =
      "sensor: psfleet's sensor, which writes the telemetry (required); antivirus: blocks"
          + " mimikatz.exe at creation with STATUS_VIRUS_INFECTED; failing-entry: its DriverEntry"
          + " fails with STATUS_INSUFFICIENT_RESOURCES, so it is not loaded; irql-fault: its"
          + " thread routine calls PsLookupThreadByThreadId at DISPATCH_LEVEL, so its host halts"
          + " with bug check 0xA IRQL_NOT_LESS_OR_EQUAL";

  /** What a host loads unless told otherwise: the sensor alone. */
  public static final List<HostDriver> DEFAULT = List.of(SENSOR);

  private final String optionName;

  HostDriver(String optionName) {
    this.optionName = optionName;
  }

  public String optionName() {
    return optionName;
  }

  /**
   * Parses a load order: names separated by commas, first loaded first, each at most once, the
   * sensor among them.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static List<HostDriver> parseOrder(String text) {
    List<HostDriver> order = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      HostDriver driver = null;
      for (HostDriver d : values()) {
        if (d.optionName.equals(name)) {
          driver = d;
        }
      }
      if (driver == null) {
        throw new IllegalArgumentException(
            "unknown driver '" + part.trim() + "' (known: " + knownNames() + ")");
      }
      if (order.contains(driver)) {
        throw new IllegalArgumentException("driver '" + name + "' named twice");
      }
      order.add(driver);
    }
    if (!order.contains(SENSOR)) {
      throw new IllegalArgumentException(
          "the sensor must be loaded: without it a host writes no telemetry");
    }
    return List.copyOf(order);
  }

  /** The names of the load order, as {@code --drivers} takes them. */
  public static String format(List<HostDriver> order) {
    return String.join(",", order.stream().map(HostDriver::optionName).toList());
  }

  private static String knownNames() {
    return String.join(", ", java.util.Arrays.stream(values()).map(d -> d.optionName).toList());
  }
}
