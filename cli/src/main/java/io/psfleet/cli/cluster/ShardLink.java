package io.psfleet.cli.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between one simulator shard and the Kafka cluster, made cuttable: a byte relay on
 * loopback from each broker's advertised relay port to its relay listener. TLS and SASL pass
 * through untouched, so the shard authenticates to the brokers themselves. {@link #cut()} drops
 * every open connection and refuses new ones (the ports are closed: connection refused, as when a
 * laptop leaves the network); {@link #restore()} listens again on the same ports.
 */
final class ShardLink implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;
  private static final long ACCEPTOR_EXIT_MILLIS = 5_000;

  private final Map<Integer, Integer> routes;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<ServerSocket> listeners = new ArrayList<>();
  private final List<Thread> acceptors = new ArrayList<>();
  private final AtomicLong toBrokers = new AtomicLong();
  private volatile boolean up;

  /** {@code routes}: port to listen on, to the broker port it forwards to (both loopback). */
  ShardLink(Map<Integer, Integer> routes) {
    this.routes = Map.copyOf(routes);
  }

  /** Listens on every route; the shard can reach the brokers. */
  synchronized void restore() {
    if (up) {
      return;
    }
    up = true;
    routes.forEach(
        (listen, target) -> {
          try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen));
            listeners.add(server);
            Thread acceptor = new Thread(() -> accept(server, target), "shard-link-" + listen);
            acceptor.setDaemon(true);
            acceptor.start();
            acceptors.add(acceptor);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + listen, e);
          }
        });
  }

  /** Severs every connection and closes the ports: the shard cannot reach any broker. */
  synchronized void cut() {
    up = false;
    listeners.forEach(ShardLink::closeQuietly);
    listeners.clear();
    // A thread blocked in accept(2) holds the listening socket until the call returns, so the
    // port would still take connections for a moment after close(); once the acceptors are gone,
    // a new connection is refused.
    for (Thread acceptor : acceptors) {
      try {
        acceptor.join(ACCEPTOR_EXIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    acceptors.clear();
    open.forEach(ShardLink::closeQuietly);
    open.clear();
  }

  /** Bytes the shard has sent through the link so far: whether it was publishing at all. */
  long bytesToBrokers() {
    return toBrokers.get();
  }

  @Override
  public void close() {
    cut();
  }

  private void accept(ServerSocket server, int target) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket broker;
        try {
          broker = new Socket(InetAddress.getLoopbackAddress(), target);
        } catch (IOException e) {
          closeQuietly(client); // the broker is down (a killed one): the client sees a refusal
          continue;
        }
        open.add(client);
        open.add(broker);
        if (!up) {
          // cut() ran between accept and here: honour it.
          closeQuietly(client);
          closeQuietly(broker);
          continue;
        }
        pipe(client, broker, toBrokers);
        pipe(broker, client, new AtomicLong());
      } catch (IOException e) {
        return; // closed by cut()
      }
    }
  }

  private void pipe(Socket from, Socket to, AtomicLong bytes) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[BUFFER];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  bytes.addAndGet(n);
                  out.write(buffer, 0, n);
                }
              } catch (SocketException e) {
                // cut, or the other side went away
              } catch (IOException e) {
                // the same, reported differently
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "shard-link-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing is all we wanted
    }
  }
}
