package io.psfleet.jobs.lineage;

import static io.psfleet.jobs.lineage.SequenceTracker.Verdict.AFTER_GAP;
import static io.psfleet.jobs.lineage.SequenceTracker.Verdict.BOOT_REPLAY;
import static io.psfleet.jobs.lineage.SequenceTracker.Verdict.DUPLICATE;
import static io.psfleet.jobs.lineage.SequenceTracker.Verdict.IN_ORDER;
import static io.psfleet.jobs.lineage.SequenceTracker.Verdict.SEQUENCE_JUMP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
  private static final long MAX_JUMP = 1_000;
  private static final long SECOND = 1_000_000_000L;
  private final SequenceTracker tracker = new SequenceTracker();

  private SequenceTracker.Verdict see(long boot, long sequence, long seconds) {
    return tracker.observe(boot, sequence, seconds * SECOND, MAX_JUMP);
  }

  @Test
  void countsGapsAndDropsDuplicatesWithinABoot() {
    assertThat(see(7, 1, 1)).isEqualTo(IN_ORDER);
    assertThat(see(7, 2, 2)).isEqualTo(IN_ORDER);
    assertThat(see(7, 2, 2)).isEqualTo(DUPLICATE);
    assertThat(see(7, 5, 3)).isEqualTo(AFTER_GAP);
    assertThat(tracker.missing).isEqualTo(2);
    assertThat(tracker.duplicates).isEqualTo(1);
  }

  @Test
  void oneForgedLeapForwardDoesNotSilenceTheHost() {
    see(7, 1, 1);
    see(7, 2, 2);

    assertThat(see(7, 1_000_000_000_000L, 3)).isEqualTo(SEQUENCE_JUMP);
    // Without the bound, every real event after the leap would be a "duplicate".
    assertThat(see(7, 3, 4)).isEqualTo(IN_ORDER);
    assertThat(see(7, 4, 5)).isEqualTo(IN_ORDER);
    assertThat(tracker.jumps).isEqualTo(1);
    assertThat(tracker.lastSequence()).isEqualTo(4);
  }

  @Test
  void aLeapWithinTheBoundIsAGap() {
    see(7, 1, 1);
    assertThat(see(7, 1 + MAX_JUMP, 2)).isEqualTo(AFTER_GAP);
  }

  @Test
  void aBootsFirstNumberMayBeAnything() {
    // A job started on a running fleet meets hosts in the middle of a boot.
    assertThat(see(7, 5_000_000, 1)).isEqualTo(AFTER_GAP);
    assertThat(see(7, 5_000_001, 2)).isEqualTo(IN_ORDER);
  }

  @Test
  void flippingBackToAnEarlierBootFindsItsDuplicates() {
    see(7, 1, 1);
    see(7, 2, 2);
    assertThat(see(8, 1, 100)).isEqualTo(IN_ORDER); // a reboot
    assertThat(see(7, 1, 1)).isEqualTo(DUPLICATE);
    assertThat(see(7, 2, 2)).isEqualTo(DUPLICATE);
    assertThat(see(8, 1, 100)).isEqualTo(DUPLICATE);
    assertThat(see(8, 2, 101)).isEqualTo(IN_ORDER);
  }

  @Test
  void oldRecordsUnderANewBootIdAreAReplay() {
    see(7, 1, 10);
    see(7, 2, 20);
    see(7, 3, 30);

    assertThat(see(99, 1, 10)).isEqualTo(BOOT_REPLAY);
    assertThat(see(98, 2, 20)).isEqualTo(BOOT_REPLAY);
    assertThat(tracker.replays).isEqualTo(2);
    // The real host carries on, and reboots later.
    assertThat(see(7, 4, 40)).isEqualTo(IN_ORDER);
    assertThat(see(8, 1, 60)).isEqualTo(IN_ORDER);
  }

  @Test
  void aNewBootMustComeAfterTheCurrentBootsLatestEvent() {
    see(7, 1, 10);
    assertThat(see(8, 1, 10)).isEqualTo(BOOT_REPLAY);
    assertThat(see(8, 1, 11)).isEqualTo(IN_ORDER);
  }

  @Test
  void remembersOnlyTheLastFewBoots() {
    for (long boot = 1; boot <= SequenceTracker.BOOTS + 3; boot++) {
      assertThat(see(boot, 1, boot * 100)).isEqualTo(IN_ORDER);
    }
    assertThat(tracker.boots).hasSize(SequenceTracker.BOOTS);
    assertThat(tracker.boots[0]).isEqualTo(SequenceTracker.BOOTS + 3);
    // A forgotten boot's old records are still no new boot.
    assertThat(see(1, 1, 100)).isEqualTo(BOOT_REPLAY);
  }

  @Test
  void anomaliesDoNotMoveWhatLaterEventsAreJudgedAgainst() {
    see(7, 1, 10);
    see(7, 1_000_000, 11); // a jump: not believed
    see(99, 1, 1); // a replay: dropped
    assertThat(tracker.boots).containsExactly(7L);
    assertThat(tracker.latestTimes).containsExactly(10 * SECOND);
  }
}
