package io.psfleet.kafka;

/** Topics could not be created or checked: the message names the cluster and what went wrong. */
public final class TopicSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TopicSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
