package io.psfleet.commandline;

/**
 * A command line or configuration the user must fix; its message names the option, the value and
 * what is accepted. Commands exit with {@link Commands#USAGE} after printing it on one line.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
