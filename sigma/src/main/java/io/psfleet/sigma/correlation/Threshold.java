package io.psfleet.sigma.correlation;

import java.util.List;

/**
 * A correlation's {@code condition}: comparisons joined by AND ({@code gt: 100} and {@code lte:
 * 200} for a range).
 */
public record Threshold(List<Comparison> comparisons) {
  public Threshold {
    comparisons = List.copyOf(comparisons);
  }

  /** The operators of the specification. */
  public enum Operator {
    GT,
    GTE,
    LT,
    LTE,
    EQ,
    NEQ;

    boolean test(double value, double bound) {
      return switch (this) {
        case GT -> value > bound;
        case GTE -> value >= bound;
        case LT -> value < bound;
        case LTE -> value <= bound;
        case EQ -> value == bound;
        case NEQ -> value != bound;
      };
    }
  }

  /** One comparison: the aggregate {@code operator} {@code bound}. */
  public record Comparison(Operator operator, double bound) {}

  /** The condition's default for temporal types: every one of {@code rules} rules. */
  public static Threshold all(int rules) {
    return new Threshold(List.of(new Comparison(Operator.GTE, rules)));
  }

  public boolean test(double value) {
    for (Comparison c : comparisons) {
      if (!c.operator().test(value, c.bound())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Comparison c : comparisons) {
      if (b.length() > 0) {
        b.append(" and ");
      }
      b.append(c.operator().name().toLowerCase(java.util.Locale.ROOT)).append(' ');
      double v = c.bound();
      b.append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
    }
    return b.toString();
  }
}
