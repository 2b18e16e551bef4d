package io.psfleet.agent.publish;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Store and forward, as an EDR agent does it: sensors hand records to a bounded {@link Spool} per
 * host (memory, then disk) and go on; one forwarder thread sends them on to the {@code downstream}
 * publisher (Kafka) in each host's order, taking hosts in turn. While Kafka is unreachable the
 * downstream blocks, the forwarder waits and the spools fill; on reconnect they drain in order.
 *
 * <p>What happens when a host's spool is full is the {@link Limits#dropOldest()} policy: a sensor
 * in real time (a paced simulation) drops its oldest records, counted as failed with the reason, as
 * agents do; a simulation running as fast as it can waits instead (back-pressure), because there
 * the spool only smooths bursts and nothing should be lost.
 *
 * <p>{@link #send} and {@link #sendGroundTruth} are called from one thread as {@link
 * TelemetryPublisher} says; the downstream is called from the forwarder only (and {@link #flush}
 * once the forwarder is idle).
 */
public final class SpoolingPublisher implements TelemetryPublisher {
  /**
   * Bounds of each host's spool.
   *
   * @param memoryBytesPerHost bytes kept in memory per host
   * @param diskBytesPerHost bytes kept in the host's spool file once memory is full (0: none)
   * @param directory where spool files go
   * @param dropOldest drop a full spool's oldest records (real-time sensors) or make the sender
   *     wait
   */
  public record Limits(
      long memoryBytesPerHost, long diskBytesPerHost, Path directory, boolean dropOldest) {
    public Limits {
      if (memoryBytesPerHost <= 0) {
        throw new IllegalArgumentException(
            "memoryBytesPerHost must be positive, got " + memoryBytesPerHost);
      }
      if (diskBytesPerHost < 0) {
        throw new IllegalArgumentException(
            "diskBytesPerHost must not be negative, got " + diskBytesPerHost);
      }
      Objects.requireNonNull(directory, "directory");
    }
  }

  private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final TelemetryPublisher downstream;
  private final Limits limits;
  private final Map<String, Spool> spools = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
  private final Map<String, Boolean> queued = new ConcurrentHashMap<>();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicReference<RuntimeException> forwardFailure = new AtomicReference<>();
  private final Thread forwarder;
  private long sent;
  private long bytes;
  private long waitedNanos;
  private volatile boolean closed;

  public SpoolingPublisher(TelemetryPublisher downstream, Limits limits) {
    this.downstream = Objects.requireNonNull(downstream, "downstream");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.forwarder = new Thread(this::forward, "psfleet-spool-forwarder");
    forwarder.setDaemon(true);
    forwarder.start();
  }

  @Override
  public void send(String hostId, byte[] telemetryEvent) {
    spool(hostId, telemetryEvent, false);
  }

  @Override
  public void sendGroundTruth(String hostId, byte[] groundTruth) {
    spool(hostId, groundTruth, true);
  }

  /** Records waiting in every spool now. */
  public long spooled() {
    return pending.get();
  }

  /** Records dropped so far because a spool was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Records that went to a spool file so far (memory was full). */
  public long spilled() {
    long total = 0;
    for (Spool spool : spools.values()) {
      total += spool.spilled();
    }
    return total;
  }

  @Override
  public void flush() {
    rethrowForwardFailure();
    while (pending.get() > 0) {
      rethrowForwardFailure();
      LockSupport.parkNanos(WAIT_NANOS);
    }
    downstream.flush();
  }

  @Override
  public PublisherStats stats() {
    PublisherStats down = downstream.stats();
    long lost = dropped.get();
    String firstError = down.firstError();
    if (firstError == null && lost > 0) {
      firstError = lost + " records dropped: a host's spool was full (oldest first)";
    }
    return new PublisherStats(
        sent,
        down.delivered(),
        down.failed() + lost,
        bytes,
        waitedNanos + down.blockedNanos(),
        firstError);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      flush();
    } finally {
      closed = true;
      forwarder.interrupt();
      try {
        forwarder.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      downstream.close();
      spools.values().forEach(Spool::close);
    }
  }

  private void spool(String hostId, byte[] value, boolean groundTruth) {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(value, "value");
    if (closed) {
      throw new IllegalStateException("spooling publisher is closed");
    }
    rethrowForwardFailure();
    Spool spool =
        spools.computeIfAbsent(
            hostId,
            h ->
                new Spool(
                    limits.memoryBytesPerHost(),
                    limits.diskBytesPerHost(),
                    limits.directory().resolve(h + ".spool")));
    if (!limits.dropOldest()) {
      long start = System.nanoTime();
      while (!spool.fits(value.length) && !spool.isEmpty()) {
        rethrowForwardFailure();
        LockSupport.parkNanos(WAIT_NANOS);
      }
      waitedNanos += System.nanoTime() - start;
    }
    sent++;
    bytes += value.length;
    pending.incrementAndGet();
    int droppedNow = spool.append(value, groundTruth);
    if (droppedNow > 0) {
      dropped.addAndGet(droppedNow);
      pending.addAndGet(-droppedNow);
    }
    if (queued.putIfAbsent(hostId, Boolean.TRUE) == null) {
      ready.add(hostId);
    }
  }

  /** The forwarder: a few records of one host at a time, hosts in turn. */
  private void forward() {
    while (!closed || pending.get() > 0) {
      String host;
      try {
        host = ready.poll(10, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (host == null) {
        continue;
      }
      Spool spool = spools.get(host);
      try {
        for (int i = 0; i < 64; i++) {
          Spool.Entry entry = spool.take();
          if (entry == null) {
            break;
          }
          try {
            if (entry.groundTruth()) {
              downstream.sendGroundTruth(host, entry.value());
            } else {
              downstream.send(host, entry.value());
            }
          } finally {
            pending.decrementAndGet();
          }
        }
      } catch (RuntimeException e) {
        forwardFailure.compareAndSet(null, e);
      } finally {
        queued.remove(host);
        if (!spool.isEmpty() && queued.putIfAbsent(host, Boolean.TRUE) == null) {
          ready.add(host);
        }
      }
    }
  }

  private void rethrowForwardFailure() {
    RuntimeException failure = forwardFailure.get();
    if (failure != null) {
      throw failure;
    }
  }
}
