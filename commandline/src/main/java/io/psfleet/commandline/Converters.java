package io.psfleet.commandline;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;

/** picocli converters for the value types psfleet's options share. */
public final class Converters {
  private Converters() {}

  /** {@link Durations}' grammar. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }

  /** {@link Durations}' grammar, and more than zero. */
  public static final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Durations.parse(value);
      if (d.isZero()) {
        throw new IllegalArgumentException("expected a positive duration, got '" + value + "'");
      }
      return d;
    }
  }

  /** An ISO-8601 instant ({@code 2026-11-24T08:00:00Z}) or {@code now}. */
  public static final class InstantOrNow implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      if (value.equalsIgnoreCase("now")) {
        return Instant.now();
      }
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "expected an ISO-8601 instant such as 2026-11-24T08:00:00Z or 'now', got '"
                + value
                + "'");
      }
    }
  }

  /** A finite number at or above zero. */
  public static final class NonNegativeDouble implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double d;
      try {
        d = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        d = Double.NaN;
      }
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("expected a number >= 0, got '" + value + "'");
      }
      return d;
    }
  }

  /** A fraction from 0 to 1. */
  public static final class Fraction implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double d = new NonNegativeDouble().convert(value);
      if (d > 1) {
        throw new IllegalArgumentException("expected a number from 0 to 1, got '" + value + "'");
      }
      return d;
    }
  }
}
