package io.psfleet.sigma.parse;

/**
 * One scalar value of a detection item as YAML typed it. {@code text} is the scalar exactly as
 * written (escapes of YAML resolved, Sigma wildcards and escapes not yet).
 */
public record RawValue(Type type, String text, int line) {
  /** The YAML type of the scalar. */
  public enum Type {
    STRING,
    NUMBER,
    BOOL,
    NULL
  }
}
