package io.psfleet.cli.cluster;

/**
 * A part of the cluster did not come up or misbehaved; the message says which and where to look.
 */
public final class ClusterException extends RuntimeException {
  ClusterException(String message) {
    super(message);
  }

  ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
