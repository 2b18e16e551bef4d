package io.psfleet.sigma.compile;

/** A lower-cased literal that must occur in field {@code field} for a rule to be able to match. */
public record FieldLiteral(int field, String literal) {
  /** The pseudo field of keyword searches: the literal may occur in any value of the event. */
  public static final int ANY = -1;
}
