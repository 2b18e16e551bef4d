package io.psfleet.agent.fleet;

import io.psfleet.commandline.Durations;
import java.time.Duration;
import java.util.Locale;

/**
 * How the fleet's rate cap ({@code --rate}) changes over the wall clock: a share of the cap, 0 to
 * 1, at each second since the run began, and its integral, so that the publisher knows by when the
 * n-th record may go. Pure: time is an argument.
 *
 * <ul>
 *   <li>{@code constant}: the cap all the time
 *   <li>{@code stepped:N/D}: N equal steps of D each, 1/N of the cap, then 2/N, ... the cap
 *   <li>{@code ramp:D}: from nothing to the cap over D, then the cap
 *   <li>{@code bursts:ON/EVERY}: the cap for ON at the start of every EVERY, a tenth of it between
 *   <li>{@code diurnal:PERIOD}: a day's curve compressed into PERIOD: a fifth of the cap at night
 *       (the start), the cap at noon (half the period)
 * </ul>
 *
 * A logon storm is not a rate: it is every host booting at once ({@code --logon-storm D}).
 */
public sealed interface LoadShape {
  /** The share of the cap at {@code seconds} since the start, 0 to 1. */
  double share(double seconds);

  /** The integral of {@link #share} from 0 to {@code seconds}: cap-seconds offered so far. */
  double offered(double seconds);

  /** The text {@link #parse} reads back. */
  String spec();

  LoadShape CONSTANT = new Constant();

  /**
   * The wall-clock seconds since the start by which {@code records} records may have gone at {@code
   * cap} records/s; infinite when the shape never offers that many.
   */
  default double secondsFor(long records, double cap) {
    double need = records / cap;
    double lo = 0;
    double hi = 1;
    while (offered(hi) < need) {
      lo = hi;
      hi *= 2;
      if (hi > 1e9) {
        return Double.POSITIVE_INFINITY;
      }
    }
    for (int i = 0; i < 60 && hi - lo > 1e-6; i++) {
      double mid = (lo + hi) / 2;
      if (offered(mid) < need) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /**
   * Reads {@code constant}, {@code stepped:N/D}, {@code ramp:D}, {@code bursts:ON/EVERY} or {@code
   * diurnal:PERIOD}; durations as everywhere ({@code 30s}, {@code 5m}).
   *
   * @throws IllegalArgumentException saying what is wrong and what is accepted
   */
  static LoadShape parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int colon = t.indexOf(':');
    String kind = colon < 0 ? t : t.substring(0, colon);
    String args = colon < 0 ? "" : t.substring(colon + 1);
    try {
      return switch (kind) {
        case "constant" -> {
          if (!args.isEmpty()) {
            throw new IllegalArgumentException("constant takes nothing after it");
          }
          yield CONSTANT;
        }
        case "stepped" -> {
          String[] p = two(args, "stepped:N/D, e.g. stepped:4/30s");
          int steps = Integer.parseInt(p[0]);
          if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("stepped needs 1 to 1000 steps, got " + steps);
          }
          yield new Stepped(steps, seconds(p[1]));
        }
        case "ramp" -> new Ramp(seconds(args));
        case "bursts" -> {
          String[] p = two(args, "bursts:ON/EVERY, e.g. bursts:10s/1m");
          double on = seconds(p[0]);
          double every = seconds(p[1]);
          if (on >= every) {
            throw new IllegalArgumentException(
                "a burst (" + p[0] + ") must be shorter than its period (" + p[1] + ")");
          }
          yield new Bursts(on, every);
        }
        case "diurnal" -> new Diurnal(seconds(args));
        default ->
            throw new IllegalArgumentException(
                "'"
                    + kind
                    + "' is not a shape; expected constant, stepped:N/D, ramp:D,"
                    + " bursts:ON/EVERY or diurnal:PERIOD");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage() + " is not a number");
    }
  }

  private static String[] two(String args, String form) {
    String[] p = args.split("/");
    if (p.length != 2) {
      throw new IllegalArgumentException("expected " + form);
    }
    return p;
  }

  private static double seconds(String duration) {
    if (duration.isEmpty()) {
      throw new IllegalArgumentException("a duration is missing, e.g. 30s or 5m");
    }
    Duration d = Durations.parse(duration);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("durations must be positive, got " + duration);
    }
    return d.toNanos() / 1e9;
  }

  record Constant() implements LoadShape {
    @Override
    public double share(double seconds) {
      return 1;
    }

    @Override
    public double offered(double seconds) {
      return seconds;
    }

    @Override
    public String spec() {
      return "constant";
    }
  }

  record Stepped(int steps, double stepSeconds) implements LoadShape {
    @Override
    public double share(double seconds) {
      return Math.min(steps, (int) (seconds / stepSeconds) + 1) / (double) steps;
    }

    @Override
    public double offered(double seconds) {
      int full = (int) Math.min(steps, Math.floor(seconds / stepSeconds));
      // Steps 1..full done: stepSeconds * (1 + ... + full) / steps; then the current step.
      double done = stepSeconds * full * (full + 1) / 2.0 / steps;
      return done + share(seconds) * (seconds - full * stepSeconds);
    }

    @Override
    public String spec() {
      return "stepped:"
          + steps
          + "/"
          + Durations.format(Duration.ofNanos((long) (stepSeconds * 1e9)));
    }
  }

  record Ramp(double rampSeconds) implements LoadShape {
    @Override
    public double share(double seconds) {
      return Math.min(1, seconds / rampSeconds);
    }

    @Override
    public double offered(double seconds) {
      return seconds < rampSeconds
          ? seconds * seconds / (2 * rampSeconds)
          : rampSeconds / 2 + (seconds - rampSeconds);
    }

    @Override
    public String spec() {
      return "ramp:" + Durations.format(Duration.ofNanos((long) (rampSeconds * 1e9)));
    }
  }

  record Bursts(double onSeconds, double everySeconds) implements LoadShape {
    /** Between bursts: a tenth of the cap, the fleet's background. */
    static final double BETWEEN = 0.1;

    @Override
    public double share(double seconds) {
      return seconds % everySeconds < onSeconds ? 1 : BETWEEN;
    }

    @Override
    public double offered(double seconds) {
      double periods = Math.floor(seconds / everySeconds);
      double perPeriod = onSeconds + BETWEEN * (everySeconds - onSeconds);
      double into = seconds - periods * everySeconds;
      double current = into < onSeconds ? into : onSeconds + BETWEEN * (into - onSeconds);
      return periods * perPeriod + current;
    }

    @Override
    public String spec() {
      return "bursts:"
          + Durations.format(Duration.ofNanos((long) (onSeconds * 1e9)))
          + "/"
          + Durations.format(Duration.ofNanos((long) (everySeconds * 1e9)));
    }
  }

  record Diurnal(double periodSeconds) implements LoadShape {
    @Override
    public double share(double seconds) {
      return 0.6 - 0.4 * Math.cos(2 * Math.PI * seconds / periodSeconds);
    }

    @Override
    public double offered(double seconds) {
      return 0.6 * seconds
          - 0.4 * periodSeconds / (2 * Math.PI) * Math.sin(2 * Math.PI * seconds / periodSeconds);
    }

    @Override
    public String spec() {
      return "diurnal:" + Durations.format(Duration.ofNanos((long) (periodSeconds * 1e9)));
    }
  }
}
