package io.psfleet.sigma.parse;

/** A rule the engine cannot load: the reason and the 1-based line it points at (0 if unknown). */
public final class SigmaSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int line;

  public SigmaSyntaxException(int line, String reason) {
    super(reason);
    this.line = line;
  }

  public int line() {
    return line;
  }

  public String reason() {
    return getMessage();
  }
}
