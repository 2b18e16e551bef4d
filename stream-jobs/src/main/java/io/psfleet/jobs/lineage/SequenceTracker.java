package io.psfleet.jobs.lineage;

/**
 * Checks one host's sequence numbers: per boot they must run 1, 2, 3, ... A number past the next
 * expected one is a gap (events lost before the pipeline); one at or before the last seen is a
 * duplicate (the producer or a replay sent it twice). A Flink POJO, kept as keyed state.
 */
public class SequenceTracker {
  /** What to do with an event, by its sequence number. */
  public enum Verdict {
    IN_ORDER,
    AFTER_GAP,
    DUPLICATE
  }

  public long bootId;
  public long lastSequence;
  public long gaps;
  public long missing;
  public long duplicates;

  public SequenceTracker() {}

  /** Records {@code sequence} of boot {@code boot}; a new boot starts counting again at 1. */
  public Verdict observe(long boot, long sequence) {
    if (boot != bootId) {
      bootId = boot;
      lastSequence = 0;
    }
    if (sequence <= lastSequence) {
      duplicates++;
      return Verdict.DUPLICATE;
    }
    Verdict verdict = Verdict.IN_ORDER;
    if (sequence != lastSequence + 1) {
      gaps++;
      missing += sequence - lastSequence - 1;
      verdict = Verdict.AFTER_GAP;
    }
    lastSequence = sequence;
    return verdict;
  }
}
