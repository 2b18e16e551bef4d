package io.psfleet.sigma.compile;

import java.util.Arrays;

/** A compiled boolean expression over one event. Immutable, shared by every thread. */
public abstract class Expr {
  public abstract boolean eval(EvalContext c);

  /** Conjunction, evaluated left to right with short cut. */
  static final class And extends Expr {
    private final Expr[] operands;

    And(Expr[] operands) {
      this.operands = operands;
    }

    @Override
    public boolean eval(EvalContext c) {
      for (Expr e : operands) {
        if (!e.eval(c)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Disjunction, evaluated left to right with short cut. */
  static final class Or extends Expr {
    private final Expr[] operands;

    Or(Expr[] operands) {
      this.operands = operands;
    }

    @Override
    public boolean eval(EvalContext c) {
      for (Expr e : operands) {
        if (e.eval(c)) {
          return true;
        }
      }
      return false;
    }
  }

  static final class Not extends Expr {
    private final Expr operand;

    Not(Expr operand) {
      this.operand = operand;
    }

    @Override
    public boolean eval(EvalContext c) {
      return !operand.eval(c);
    }
  }

  /** {@code field: values}: OR over the values ({@code |all} compiles to an And of these). */
  static final class FieldMatch extends Expr {
    private final int field;

    /** The values as the rule lists them, for {@link #or}. */
    private final ValueTest[] values;

    /** {@link #values} with long literal runs folded into tries ({@link ValueTest#anyOf}). */
    private final ValueTest[] tests;

    /** Every test folds the chars it compares: the field's lower-cased copy is not needed. */
    private final boolean folded;

    FieldMatch(int field, ValueTest[] values) {
      this.field = field;
      this.values = values;
      this.tests = ValueTest.anyOf(values);
      boolean all = true;
      for (ValueTest t : tests) {
        all &= t.folds();
      }
      this.folded = all;
    }

    /**
     * One match of the values of both, where {@code other} reads the same field, or null: {@code A
     * or B} of one field is one list (a rule's {@code 1 of filter_*} over filters of one field then
     * walks one trie, not one per filter).
     */
    FieldMatch or(Expr other) {
      if (!(other instanceof FieldMatch o) || o.field != field) {
        return null;
      }
      ValueTest[] both = Arrays.copyOf(values, values.length + o.values.length);
      System.arraycopy(o.values, 0, both, values.length, o.values.length);
      return new FieldMatch(field, both);
    }

    @Override
    public boolean eval(EvalContext c) {
      String raw = c.raw(field);
      if (folded) {
        // An equality with a short literal fails on the length, a prefix within its first chars:
        // lower-casing a 60-char path or a 180-char hash list first was most of such a test.
        for (ValueTest t : tests) {
          if (t.testFolded(raw)) {
            return true;
          }
        }
        return false;
      }
      char[] lower = c.lower(field);
      int len = c.lowerLength(field);
      for (ValueTest t : tests) {
        if (t.test(raw, lower, len, c)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code field|exists: true/false}. */
  static final class Exists extends Expr {
    private final int field;
    private final boolean present;

    Exists(int field, boolean present) {
      this.field = field;
      this.present = present;
    }

    @Override
    public boolean eval(EvalContext c) {
      return c.present(field) == present;
    }
  }

  /**
   * A keyword (field-less) search: a value matches where any value of the event contains it; with
   * {@code all} every value must be found (each in any field).
   */
  static final class Keywords extends Expr {
    private final ValueTest[] tests;
    private final boolean all;

    Keywords(ValueTest[] tests, boolean all) {
      this.tests = tests;
      this.all = all;
    }

    @Override
    public boolean eval(EvalContext c) {
      for (ValueTest t : tests) {
        boolean found = anyValue(t, c);
        if (all && !found) {
          return false;
        }
        if (!all && found) {
          return true;
        }
      }
      return all;
    }

    private static boolean anyValue(ValueTest t, EvalContext c) {
      int n = c.valueCount();
      for (int i = 0; i < n; i++) {
        String v = c.value(i);
        if (v == null) {
          continue;
        }
        if (t.test(v, c.valueLower(i), c.valueLowerLength(i), c)) {
          return true;
        }
      }
      return false;
    }
  }
}
