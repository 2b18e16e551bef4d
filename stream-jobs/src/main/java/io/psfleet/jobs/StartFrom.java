package io.psfleet.jobs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a job without state begins reading: the topic's beginning or end when its consumer group
 * has no committed offsets, or the first record at or after an instant (committed offsets ignored:
 * one run on a topic with history).
 *
 * @param instant the instant, for {@link Kind#INSTANT} only
 */
public record StartFrom(Kind kind, Instant instant) {
  /** The three kinds of start. */
  public enum Kind {
    EARLIEST,
    LATEST,
    INSTANT
  }

  /** The topic's beginning, where a job with no committed offsets starts by default. */
  public static final StartFrom EARLIEST = new StartFrom(Kind.EARLIEST, null);

  public StartFrom {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.INSTANT) != (instant != null)) {
      throw new IllegalArgumentException("an instant goes with kind INSTANT and only with it");
    }
  }

  /** {@code earliest}, {@code latest} (any case) or an ISO-8601 instant. */
  public static StartFrom parse(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "earliest":
        return new StartFrom(Kind.EARLIEST, null);
      case "latest":
        return new StartFrom(Kind.LATEST, null);
      default:
        try {
          return new StartFrom(Kind.INSTANT, Instant.parse(text));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "--start-from must be earliest, latest or an instant such as 2026-11-24T08:00:00Z,"
                  + " got '"
                  + text
                  + "'");
        }
    }
  }

  @Override
  public String toString() {
    return kind == Kind.INSTANT ? instant.toString() : kind.name().toLowerCase(Locale.ROOT);
  }
}
