package io.psfleet.sigma.parse;

import java.util.List;

/** The parsed form of a detection condition. */
public sealed interface Condition {
  record And(List<Condition> operands) implements Condition {}

  record Or(List<Condition> operands) implements Condition {}

  record Not(Condition operand) implements Condition {}

  /** A search identifier by name. */
  record Ref(String name) implements Condition {}

  /**
   * {@code 1 of pattern} ({@code all} false) or {@code all of pattern}; {@code pattern} null means
   * {@code them}.
   */
  record Quantified(boolean all, String pattern) implements Condition {}
}
