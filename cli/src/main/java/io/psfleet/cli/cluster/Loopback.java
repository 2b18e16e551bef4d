package io.psfleet.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Everything the cluster opens listens on loopback only. */
final class Loopback {
  static final String ADDRESS = "127.0.0.1";

  private Loopback() {}

  /** A port free on loopback right now (the process that binds it follows within seconds). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
