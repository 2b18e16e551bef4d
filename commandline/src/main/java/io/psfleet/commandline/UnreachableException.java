package io.psfleet.commandline;

/**
 * An endpoint the user named (a Kafka bootstrap, a Flink REST address) that does not answer. The
 * command prints the message on one line and exits with {@link Commands#FAILURE}: the command line
 * was right, the world was not.
 */
public class UnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
