package io.psfleet.winevent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Time stamps as the text formats write them. */
final class Times {
  private Times() {}

  /**
   * An ISO-8601 instant with a zone ({@code Z} or an offset), any number of fraction digits; null
   * for null, blank or zone-less text (a local time cannot be placed on the time line).
   */
  static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
