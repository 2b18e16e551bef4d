package io.psfleet.jobs.lineage;

/**
 * Checks one host's sequence numbers: per boot they must run 1, 2, 3, ... A number past the next
 * expected one is a gap (events lost before the pipeline); one at or before the last seen is a
 * duplicate (the producer or a replay sent it twice). A Flink POJO, kept as keyed state.
 *
 * <p>What one forged record can no longer do:
 *
 * <ul>
 *   <li>Silence the host with a leap forward: a number more than {@code maxJump} past the last one
 *       is a {@link Verdict#SEQUENCE_JUMP}, passed on but not believed, so the host's next real
 *       numbers still count as new. (A boot's first number may be anything: a job started on a
 *       running fleet meets hosts mid-boot.)
 *   <li>Replay records as new by flipping boot ids: the last {@link #BOOTS} boots are remembered
 *       with their own counts, so going back to a boot finds its duplicates; and a boot not seen
 *       before whose event is no later than the host's current boot's latest event is a {@link
 *       Verdict#BOOT_REPLAY}, dropped: a host runs one boot at a time, and a reboot comes after
 *       what the last boot did. (No tolerance: a reboot takes far longer than any disorder of one
 *       host's events, which reach the job in the order the sensor sent them.)
 * </ul>
 *
 * <p>Only events that pass in order or after a gap change which boot is current and how late it has
 * got, so neither anomaly moves what later events are judged against.
 */
public class SequenceTracker {
  /** What to do with an event, by its sequence number. */
  public enum Verdict {
    IN_ORDER,
    AFTER_GAP,
    DUPLICATE,
    /** Passed on, counted and reported; the boot's count stays where it was. */
    SEQUENCE_JUMP,
    /** Dropped, counted and reported. */
    BOOT_REPLAY
  }

  /** Boots remembered per host: the current one and the ones before it. */
  public static final int BOOTS = 4;

  /** Remembered boots, the current one (the one of the latest event that passed) first. */
  public long[] boots = new long[0];

  /** The last sequence number that passed, per boot in {@link #boots}. */
  public long[] lastSequences = new long[0];

  /** The latest event time (ns) that passed, per boot in {@link #boots}. */
  public long[] latestTimes = new long[0];

  public long gaps;
  public long missing;
  public long duplicates;
  public long jumps;
  public long replays;

  public SequenceTracker() {}

  /**
   * Records event {@code sequence} of boot {@code boot} at {@code timeNanos}.
   *
   * @param maxJump the longest leap forward within a boot that still counts as a gap
   */
  public Verdict observe(long boot, long sequence, long timeNanos, long maxJump) {
    int i = indexOf(boot);
    long last = i < 0 ? 0 : lastSequences[i];
    if (i < 0 && boots.length > 0 && timeNanos <= latestTimes[0]) {
      replays++;
      return Verdict.BOOT_REPLAY;
    }
    if (sequence <= last) {
      duplicates++;
      return Verdict.DUPLICATE;
    }
    if (last > 0 && sequence - last > maxJump) {
      jumps++;
      return Verdict.SEQUENCE_JUMP;
    }
    Verdict verdict = Verdict.IN_ORDER;
    if (sequence != last + 1) {
      gaps++;
      missing += sequence - last - 1;
      verdict = Verdict.AFTER_GAP;
    }
    long latest = i < 0 ? timeNanos : Math.max(latestTimes[i], timeNanos);
    makeCurrent(i, boot, sequence, latest);
    return verdict;
  }

  /** The current boot's last sequence number, 0 before any event. */
  public long lastSequence() {
    return lastSequences.length == 0 ? 0 : lastSequences[0];
  }

  private int indexOf(long boot) {
    for (int i = 0; i < boots.length; i++) {
      if (boots[i] == boot) {
        return i;
      }
    }
    return -1;
  }

  /** Moves boot {@code i} (or a new boot when -1) to the front; the oldest beyond BOOTS goes. */
  private void makeCurrent(int i, long boot, long sequence, long latest) {
    if (i == 0) { // the usual case, every event of a running host: no allocation
      lastSequences[0] = sequence;
      latestTimes[0] = latest;
      return;
    }
    int kept = i >= 0 ? boots.length : Math.min(boots.length + 1, BOOTS);
    long[] newBoots = new long[kept];
    long[] newLast = new long[kept];
    long[] newTimes = new long[kept];
    newBoots[0] = boot;
    newLast[0] = sequence;
    newTimes[0] = latest;
    int n = 1;
    for (int j = 0; j < boots.length && n < kept; j++) {
      if (j != i) {
        newBoots[n] = boots[j];
        newLast[n] = lastSequences[j];
        newTimes[n] = latestTimes[j];
        n++;
      }
    }
    boots = newBoots;
    lastSequences = newLast;
    latestTimes = newTimes;
  }
}
