package io.psfleet.agent.fleet;

import io.psfleet.agent.kernel.BugCheck;
import io.psfleet.agent.publish.JsonRecords;
import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.publish.TelemetryPublisher;
import io.psfleet.agent.replay.TransplantPlan;
import io.psfleet.agent.scenario.ScenarioPlan;
import io.psfleet.agent.workload.HostProfile;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a fleet: hosts advance tick by tick on worker threads (each owns a contiguous range of
 * hosts), and after each tick one publisher thread sends that tick's events, worker after worker,
 * so the stream's order depends only on the configuration. While the publisher sends tick t the
 * workers compute tick t+1; they wait before t+2, which is how a slow publisher (a slow broker)
 * slows the simulation instead of losing events.
 *
 * <p>Pacing: with a speedup the run keeps simulated time at most that many times ahead of the wall
 * clock; with an events-per-second cap the publisher waits for its quota; with neither it runs flat
 * out.
 */
public final class Fleet {
  private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

  private final FleetConfig config;
  private final FleetAssets assets;
  private final TelemetryPublisher publisher;
  private final OutputStream groundTruthLog;
  private final RecordFormat format;
  private final Consumer<FleetProgress> progress;
  private final List<SimHost> hosts = new ArrayList<>();
  private final ScenarioPlan plan;
  private final List<BugCheckReport> bugChecks = new ArrayList<>();
  private volatile boolean stopRequested;

  /** A host that bug checked. */
  public record BugCheckReport(String hostId, BugCheck bugCheck) {}

  /**
   * @param groundTruthLog where ground truth goes as JSON lines, or null
   * @param progress called about every two seconds and once at the end, on the run's thread
   */
  public Fleet(
      FleetConfig config,
      FleetAssets assets,
      TelemetryPublisher publisher,
      OutputStream groundTruthLog,
      RecordFormat format,
      Consumer<FleetProgress> progress) {
    this.config = config;
    this.assets = assets;
    this.publisher = publisher;
    this.groundTruthLog = groundTruthLog;
    this.format = format;
    this.progress = progress;
    this.plan =
        ScenarioPlan.plan(
                assets.scenarios(),
                config.scenarios(),
                config.hosts(),
                config.scenarioHosts(),
                h -> config.profiles().kindOf(h, config.seed()),
                config.scenarioFromNanos(),
                config.scenarioToNanos(),
                config.campaign(),
                config.seed())
            .with(
                TransplantPlan.injections(
                    config.transplants(),
                    assets.images().catalog(),
                    config.hosts(),
                    config.scenarioHosts(),
                    config.startNanos(),
                    config.scenarioFromNanos(),
                    config.scenarioToNanos(),
                    config.seed()));
  }

  /** The scenarios of the whole fleet, shard or not. */
  public ScenarioPlan plan() {
    return plan;
  }

  /** Asks a running {@link #run} to stop after the current tick and flush what it has. */
  public void stop() {
    stopRequested = true;
  }

  /** Runs to the end of the configured duration (or until {@link #stop}); returns the summary. */
  public FleetSummary run() {
    long heapBefore = usedHeapAfterGc();
    createHosts();
    int workers = Math.min(config.threads(), Math.max(1, hosts.size()));
    ExecutorService pool = Executors.newFixedThreadPool(workers, daemon("psfleet-host-"));
    ExecutorService sender = Executors.newSingleThreadExecutor(daemon("psfleet-publish-"));
    TickBuffer[][] buffers = new TickBuffer[2][workers];
    List<Function<TelemetryEvent, byte[]>> encoders = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      buffers[0][w] = new TickBuffer();
      buffers[1][w] = new TickBuffer();
      encoders.add(format.newEncoder());
    }
    Counters counters = new Counters();
    Publishing publishing = new Publishing();
    long wallStart = System.nanoTime();
    long nextProgress = wallStart + PROGRESS_EVERY_NANOS;
    long end = config.startNanos() + config.duration().toNanos();
    long tickNanos = config.tick().toNanos();
    Future<?> inFlight = null;
    int parity = 0;
    try {
      for (long tickEnd = config.startNanos() + tickNanos; ; tickEnd += tickNanos) {
        long until = Math.min(tickEnd, end);
        TickBuffer[] tick = buffers[parity];
        runTick(pool, workers, until, tick, encoders, counters);
        await(inFlight);
        inFlight = sender.submit(() -> publishing.publish(tick));
        parity ^= 1;
        counters.simulatedNanos = until - config.startNanos();
        if (config.speedup() > 0) {
          sleepUntil(wallStart + (long) ((until - config.startNanos()) / config.speedup()));
        }
        long now = System.nanoTime();
        if (now >= nextProgress) {
          progress.accept(snapshot(counters, now - wallStart));
          nextProgress = now + PROGRESS_EVERY_NANOS;
        }
        if (until >= end || stopRequested) {
          break;
        }
      }
      await(inFlight);
      publisher.flush();
      flushGroundTruthLog();
    } finally {
      pool.shutdownNow();
      sender.shutdownNow();
    }
    FleetProgress last = snapshot(counters, System.nanoTime() - wallStart);
    progress.accept(last);
    long heapAfter = usedHeapAfterGc();
    long booted = hosts.stream().filter(SimHost::booted).count();
    return new FleetSummary(
        last,
        booted == 0 ? 0 : Math.max(0, heapAfter - heapBefore) / booted,
        List.copyOf(bugChecks),
        plan.instances(),
        stopRequested);
  }

  private void createHosts() {
    long bootSpread = config.bootWindow().toNanos();
    for (int h = 0; h < config.hosts(); h++) {
      if (!config.shard().owns(h)) {
        continue;
      }
      long seed = FleetSeeds.host(config.seed(), h);
      HostProfile.Kind kind = config.profiles().kindOf(h, config.seed());
      HostProfile profile = assets.programs().profile(kind);
      Double rate = config.processCreatesPerHour().get(kind);
      if (rate != null) {
        profile = profile.withProcessCreatesPerHour(rate);
      }
      long bootAt = config.startNanos() + (bootSpread == 0 ? 0 : Math.floorMod(seed, bootSpread));
      hosts.add(
          new SimHost(
              h,
              profile,
              seed,
              bootAt,
              plan.forHost(h),
              config.bootTelemetry(),
              config.hashAlgorithms(),
              config.drivers(),
              config.lsassRunAsPpl()));
    }
  }

  private void runTick(
      ExecutorService pool,
      int workers,
      long tickEnd,
      TickBuffer[] tick,
      List<Function<TelemetryEvent, byte[]>> encoders,
      Counters counters) {
    List<Callable<Void>> work = new ArrayList<>(workers);
    int n = hosts.size();
    for (int w = 0; w < workers; w++) {
      int from = (int) ((long) n * w / workers);
      int to = (int) ((long) n * (w + 1) / workers);
      TickBuffer out = tick[w];
      Function<TelemetryEvent, byte[]> encoder = encoders.get(w);
      work.add(
          () -> {
            for (int i = from; i < to; i++) {
              SimHost host = hosts.get(i);
              boolean wasBooted = host.booted();
              if (host.advance(tickEnd, out, encoder, assets)) {
                synchronized (bugChecks) {
                  bugChecks.add(new BugCheckReport(host.hostId(), host.bugCheck()));
                }
              }
              if (!wasBooted && host.booted()) {
                counters.booted.incrementAndGet();
              }
            }
            return null;
          });
    }
    try {
      for (Future<Void> done : pool.invokeAll(work)) {
        done.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while simulating", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a host failed: " + e.getCause(), e.getCause());
    }
    for (TickBuffer buffer : tick) {
      counters.events += buffer.size();
      counters.groundTruths += buffer.truthSize();
    }
  }

  private FleetProgress snapshot(Counters counters, long wallNanos) {
    int halted;
    synchronized (bugChecks) {
      halted = bugChecks.size();
    }
    PublisherStats stats = publisher.stats();
    return new FleetProgress(
        counters.simulatedNanos,
        wallNanos,
        counters.events,
        hosts.size(),
        counters.booted.get(),
        halted,
        counters.groundTruths,
        stats);
  }

  private void flushGroundTruthLog() {
    if (groundTruthLog != null) {
      try {
        groundTruthLog.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the ground-truth file: " + e.getMessage(), e);
      }
    }
  }

  private static void await(Future<?> future) {
    if (future == null) {
      return;
    }
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "publishing failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static void sleepUntil(long wallNanos) {
    long wait = wallNanos - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Counts written by the run's thread (and, for boots, its workers). */
  private static final class Counters {
    final AtomicInteger booted = new AtomicInteger();
    volatile long events;
    volatile long groundTruths;
    volatile long simulatedNanos;
  }

  /** The publisher thread's side: ordered sends, the rate cap, ground truth. */
  private final class Publishing {
    private final SingleObjectCodec<GroundTruth> truthCodec = SingleObjectCodec.groundTruth();
    private final JsonRecords json = new JsonRecords();
    private final long startNanos = System.nanoTime();
    private long sent;

    void publish(TickBuffer[] tick) {
      for (TickBuffer buffer : tick) {
        for (int i = 0; i < buffer.size(); i++) {
          if (config.eventsPerSecond() > 0 && (sent & 255) == 0) {
            double seconds = config.shape().secondsFor(sent, config.eventsPerSecond());
            sleepUntil(startNanos + (long) (seconds * 1e9));
          }
          publisher.send(buffer.key(i), buffer.value(i));
          sent++;
        }
        for (int i = 0; i < buffer.truthSize(); i++) {
          GroundTruth truth = buffer.truth(i);
          publisher.sendGroundTruth(buffer.truthKey(i), truthCodec.encode(truth));
          if (groundTruthLog != null) {
            try {
              groundTruthLog.write(json.groundTruth(truth));
              groundTruthLog.write('\n');
            } catch (IOException e) {
              throw new UncheckedIOException(
                  "cannot write the ground-truth file: " + e.getMessage(), e);
            }
          }
        }
        buffer.clear();
      }
    }
  }
}
