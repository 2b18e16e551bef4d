package io.psfleet.harness.latency;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One step's end-to-end latency, as a report carries it: the percentiles in milliseconds and the
 * counts that say how far to trust them, with the histogram itself (HdrHistogram, microseconds,
 * compressed, Base64) so that reports of several shards merge by adding histograms, never by
 * averaging percentiles.
 *
 * @param samples tracked ids that came back on the output topic within the step: the latencies
 * @param p50Millis median latency, or null without samples
 * @param tracked ids psfleet published in the step and remembered (the sample)
 * @param unseen tracked ids that had not come back when the step closed
 * @param untracked ids of the sample psfleet could not remember: the bounded map was full
 * @param unknown output records whose id is of the sample but psfleet did not publish it in this
 *     step (another producer's record, or one that came back after its step closed)
 * @param repeats output records with an id that had come back before in the step (a pipeline that
 *     writes several records per input, or an id such as ProcessGuid that several events share)
 * @param withoutId output records that do not carry the matched field at all
 * @param outputRecords every record read from the output topic during the step
 * @param histogram the latencies in microseconds, HdrHistogram's compressed form in Base64
 */
public record StepLatency(
    long samples,
    Double p50Millis,
    Double p95Millis,
    Double p99Millis,
    Double maxMillis,
    long tracked,
    long unseen,
    long untracked,
    long unknown,
    long repeats,
    long withoutId,
    long outputRecords,
    String histogram) {

  /** Latencies up to an hour, three significant digits. */
  static Histogram newHistogram() {
    return new Histogram(3_600_000_000L, 3);
  }

  static StepLatency of(
      Histogram micros,
      long tracked,
      long unseen,
      long untracked,
      long unknown,
      long repeats,
      long withoutId,
      long outputRecords) {
    long n = micros.getTotalCount();
    ByteBuffer buffer = ByteBuffer.allocate(micros.getNeededByteBufferCapacity());
    int length = micros.encodeIntoCompressedByteBuffer(buffer);
    byte[] bytes = new byte[length];
    buffer.flip();
    buffer.get(bytes);
    return new StepLatency(
        n,
        n == 0 ? null : millis(micros.getValueAtPercentile(50)),
        n == 0 ? null : millis(micros.getValueAtPercentile(95)),
        n == 0 ? null : millis(micros.getValueAtPercentile(99)),
        n == 0 ? null : millis(micros.getMaxValue()),
        tracked,
        unseen,
        untracked,
        unknown,
        repeats,
        withoutId,
        outputRecords,
        Base64.getEncoder().encodeToString(bytes));
  }

  /** The histogram back from {@link #histogram}. */
  public Histogram decodeHistogram() {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(histogram)), 0);
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a latency histogram: " + e.getMessage(), e);
    }
  }

  /**
   * Several shards' figures of one step as one: counts add, histograms add, and the percentiles are
   * those of the added histogram.
   */
  public static StepLatency merge(List<StepLatency> parts) {
    Histogram all = newHistogram();
    long tracked = 0;
    long unseen = 0;
    long untracked = 0;
    long unknown = 0;
    long repeats = 0;
    long withoutId = 0;
    long outputRecords = 0;
    for (StepLatency p : parts) {
      all.add(p.decodeHistogram());
      tracked += p.tracked;
      unseen += p.unseen;
      untracked += p.untracked;
      unknown += p.unknown;
      repeats += p.repeats;
      withoutId += p.withoutId;
      outputRecords += p.outputRecords;
    }
    return of(all, tracked, unseen, untracked, unknown, repeats, withoutId, outputRecords);
  }

  /**
   * The shards of one plan as one, where every shard read the same whole output topic: what they
   * timed adds up as in {@link #merge}, but the output records are counted once (the most any shard
   * read, not the sum), and an output id is unknown only if no shard sent it: each shard counts the
   * others' sampled ids as unknown, so the fleet's unknown is the most sampled returns any shard
   * saw, less those some shard timed or counted as a repeat. Shards close a step at slightly
   * different moments, so that figure is an estimate; it is never below zero.
   */
  public static StepLatency mergeShards(List<StepLatency> shards) {
    StepLatency sum = merge(shards);
    long sampledReturns = 0;
    long outputRecords = 0;
    long withoutId = 0;
    for (StepLatency p : shards) {
      sampledReturns = Math.max(sampledReturns, p.unknown + p.samples + p.repeats);
      outputRecords = Math.max(outputRecords, p.outputRecords);
      withoutId = Math.max(withoutId, p.withoutId);
    }
    long unknown = Math.max(0, sampledReturns - sum.samples - sum.repeats);
    return new StepLatency(
        sum.samples,
        sum.p50Millis,
        sum.p95Millis,
        sum.p99Millis,
        sum.maxMillis,
        sum.tracked,
        sum.unseen,
        sum.untracked,
        unknown,
        sum.repeats,
        withoutId,
        outputRecords,
        sum.histogram);
  }

  private static double millis(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
