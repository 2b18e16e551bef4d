package io.psfleet.ocsf;

/**
 * How much the schema wants an attribute: a missing required one is an error, a recommended one a
 * warning.
 */
public enum Requirement {
  REQUIRED,
  RECOMMENDED,
  OPTIONAL;

  static Requirement of(String value) {
    if (value == null) {
      return OPTIONAL; // the schema's default when neither the item, its bases nor the dictionary
      // say
    }
    return switch (value) {
      case "required" -> REQUIRED;
      case "recommended" -> RECOMMENDED;
      case "optional" -> OPTIONAL;
      default -> throw new IllegalArgumentException("unknown requirement: " + value);
    };
  }
}
