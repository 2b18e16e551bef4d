package io.psfleet.winevent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Time stamps as the text formats write them. */
final class Times {
  /** Windows' {@code SystemTime}: 100-nanosecond ticks, seven fraction digits. */
  private static final DateTimeFormatter SYSTEM_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Beats' {@code @timestamp}: milliseconds. */
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  /** {@code 2024-03-02T10:15:00.1234567Z}, as Windows writes {@code TimeCreated/@SystemTime}. */
  static String systemTime(Instant t) {
    return SYSTEM_TIME.format(t);
  }

  /** {@code 2024-03-02T10:15:00.123Z}, as Winlogbeat writes {@code @timestamp}. */
  static String millis(Instant t) {
    return MILLIS.format(t);
  }

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
