package io.psfleet.agent.publish;

/**
 * The destination cannot take records at all. For Kafka: no metadata for the topic, because the
 * cluster is unreachable or the topic does not exist, within {@code max.block.ms} of the first
 * send, or within {@code delivery.timeout.ms} once the cluster had answered. The record that met it
 * is counted as failed; stop publishing rather than sending more.
 */
public final class PublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
