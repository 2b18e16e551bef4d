package io.psfleet.harness.latency;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Remembers when psfleet published the ids it tracks and measures, when each comes back on the
 * pipeline's output topic, the time in between. Time is an argument (nanoseconds of one monotonic
 * clock), never read here.
 *
 * <p>Which ids: a deterministic sample, the ids whose hash falls in one of {@code sampleEvery}
 * buckets, so that every record carrying a tracked id is seen as such on both sides (an id such as
 * ProcessGuid that several events share is remembered at its first publication and matched at its
 * first return; later returns count as repeats). Memory is bounded: at most {@code capacity} ids
 * are remembered at a time; beyond that, sampled ids are counted as untracked, not remembered.
 *
 * <p>Steps: ids belong to the step open when they were published. {@link #closeStep} ends it: its
 * ids still out are counted unseen and forgotten, so an id that comes back later counts as unknown.
 * Publishing and observing may run on different threads.
 */
public final class LatencyTracker {
  private final int sampleEvery;
  private final int capacity;
  private final Map<String, long[]> open = new HashMap<>();
  private Histogram micros = StepLatency.newHistogram();
  private long tracked;
  private long pending;
  private long untracked;
  private long unknown;
  private long repeats;
  private long withoutId;
  private long outputRecords;

  /**
   * @param sampleEvery 1 tracks every id, N tracks about one id in N
   * @param capacity the most ids remembered at once
   */
  public LatencyTracker(int sampleEvery, int capacity) {
    if (sampleEvery < 1 || capacity < 1) {
      throw new IllegalArgumentException("sampleEvery and capacity must be positive");
    }
    this.sampleEvery = sampleEvery;
    this.capacity = capacity;
  }

  /** Whether {@code id} is of the sample; cheap, for the hot path before anything else. */
  public boolean tracks(String id) {
    if (sampleEvery == 1) {
      return true;
    }
    // murmur3's finaliser: String.hashCode alone puts similar ids (host-000001#17) in few buckets.
    int h = id.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Integer.remainderUnsigned(h, sampleEvery) == 0;
  }

  /** psfleet hands a record carrying {@code id} to its producer at {@code nanos}. */
  public void published(String id, long nanos) {
    if (id == null || !tracks(id)) {
      return;
    }
    synchronized (this) {
      if (open.containsKey(id)) {
        return; // remembered at its first publication
      }
      if (open.size() >= capacity) {
        untracked++;
        return;
      }
      // {published at, 0 while out / 1 once back}
      open.put(id, new long[] {nanos, 0});
      tracked++;
      pending++;
    }
  }

  /** A record came back on the output topic at {@code nanos} with {@code id}, or with none. */
  public void observed(String id, long nanos) {
    synchronized (this) {
      outputRecords++;
      if (id == null) {
        withoutId++;
        return;
      }
    }
    if (!tracks(id)) {
      return;
    }
    synchronized (this) {
      long[] sent = open.get(id);
      if (sent == null) {
        unknown++;
      } else if (sent[1] != 0) {
        repeats++;
      } else {
        sent[1] = 1;
        pending--;
        micros.recordValue(Math.min(3_600_000_000L, Math.max(0, (nanos - sent[0]) / 1_000)));
      }
    }
  }

  /** Tracked ids of the open step that have not come back yet. */
  public synchronized long pending() {
    return pending;
  }

  /** The open step's figures; forgets its ids and opens the next step. */
  public synchronized StepLatency closeStep() {
    StepLatency step =
        StepLatency.of(
            micros, tracked, pending, untracked, unknown, repeats, withoutId, outputRecords);
    open.clear();
    micros = StepLatency.newHistogram();
    tracked = 0;
    pending = 0;
    untracked = 0;
    unknown = 0;
    repeats = 0;
    withoutId = 0;
    outputRecords = 0;
    return step;
  }
}
