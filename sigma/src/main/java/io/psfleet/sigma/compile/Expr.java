package io.psfleet.sigma.compile;

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
    private final ValueTest[] tests;

    FieldMatch(int field, ValueTest[] tests) {
      this.field = field;
      this.tests = tests;
    }

    @Override
    public boolean eval(EvalContext c) {
      String raw = c.raw(field);
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
      return (c.raw(field) != null) == present;
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
