package io.psfleet.sigma;

import java.util.Locale;

/** Sigma rule levels, with the OCSF {@code severity_id} each maps to. */
public enum Level {
  /** No level given in the rule. */
  UNKNOWN(0),
  INFORMATIONAL(1),
  LOW(2),
  MEDIUM(3),
  HIGH(4),
  CRITICAL(5);

  private final int severityId;

  Level(int severityId) {
    this.severityId = severityId;
  }

  /** OCSF severity id: 0 unknown, 1 informational, 2 low, 3 medium, 4 high, 5 critical. */
  public int severityId() {
    return severityId;
  }

  /** The level of a rule's {@code level:} text (null: UNKNOWN); null where it is not a level. */
  public static Level parse(String text) {
    if (text == null) {
      return UNKNOWN;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "informational" -> INFORMATIONAL;
      case "low" -> LOW;
      case "medium" -> MEDIUM;
      case "high" -> HIGH;
      case "critical" -> CRITICAL;
      default -> null;
    };
  }
}
