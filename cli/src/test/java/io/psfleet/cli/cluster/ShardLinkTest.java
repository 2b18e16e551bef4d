package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cuttable link between a shard and the brokers, against an echo server on loopback. */
class ShardLinkTest {
  @Test
  void aCutDropsOpenConnectionsAndRefusesNewOnesUntilTheLinkIsRestored() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> serveEcho(echo), "echo");
      server.setDaemon(true);
      server.start();
      int port = Loopback.freePort();
      try (ShardLink link = new ShardLink(Map.of(port, echo.getLocalPort()))) {
        link.restore();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          assertThat(roundTrip(s, "before")).isEqualTo("before");
          link.cut();
          s.setSoTimeout(5_000);
          assertThat(readOrReset(s)).as("a cut connection ends").isEqualTo(-1);
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
            .isInstanceOf(ConnectException.class);

        link.restore();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          assertThat(roundTrip(s, "after")).isEqualTo("after");
        }
        assertThat(link.bytesToBrokers()).isEqualTo("before".length() + "after".length());
      }
    }
  }

  /** The next byte, or -1 at the end of the stream or when the other side reset it. */
  private static int readOrReset(Socket s) throws IOException {
    try {
      return s.getInputStream().read();
    } catch (java.net.SocketException e) {
      return -1;
    }
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes());
    out.flush();
    byte[] back = s.getInputStream().readNBytes(text.length());
    return new String(back);
  }

  private static void serveEcho(ServerSocket echo) {
    while (!echo.isClosed()) {
      try {
        Socket c = echo.accept();
        Thread t =
            new Thread(
                () -> {
                  try (c;
                      InputStream in = c.getInputStream();
                      OutputStream out = c.getOutputStream()) {
                    in.transferTo(out);
                  } catch (IOException e) {
                    // the link closed it
                  }
                });
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }
}
