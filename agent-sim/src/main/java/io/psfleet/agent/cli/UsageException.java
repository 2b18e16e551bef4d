package io.psfleet.agent.cli;

/** A command line the user must fix; its message says what was wrong and what to do. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
