package io.psfleet.harness;

/** Flink's REST API refused a request or a job failed; the message says which and why. */
public final class FlinkRestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FlinkRestException(String message) {
    super(message);
  }

  FlinkRestException(String message, Throwable cause) {
    super(message, cause);
  }
}
