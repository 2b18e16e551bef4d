package io.psfleet.commandline;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The one duration grammar of every psfleet option: a whole number with a unit ({@code 500ms},
 * {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT15M}).
 */
public final class Durations {
  /** What the grammar accepts, for messages. */
  public static final String ACCEPTED = "a duration such as 500ms, 90s, 15m, 2h, 1d or PT15M";

  private Durations() {}

  /**
   * Parses {@code text}; the message of the exception says what is accepted.
   *
   * @throws IllegalArgumentException when {@code text} is not a duration or is negative
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace("_", "");
    Duration d;
    try {
      if (t.startsWith("p")) {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } else if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.length() >= 2) {
        long amount = Long.parseLong(t.substring(0, t.length() - 1));
        d =
            switch (t.charAt(t.length() - 1)) {
              case 's' -> Duration.ofSeconds(amount);
              case 'm' -> Duration.ofMinutes(amount);
              case 'h' -> Duration.ofHours(amount);
              case 'd' -> Duration.ofDays(amount);
              default -> null;
            };
      } else {
        d = null;
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      d = null;
    }
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("expected " + ACCEPTED + ", got '" + text + "'");
    }
    return d;
  }

  /** The shortest text {@link #parse} reads back to {@code d}: 500ms, 90s, 15m, 2h, 1d. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s % 86_400 == 0 && s > 0) {
      return s / 86_400 + "d";
    }
    if (s % 3600 == 0 && s > 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s > 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
