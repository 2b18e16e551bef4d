package io.psfleet.harness.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {
  private static final long MS = 1_000_000L;

  @Test
  void anIdIsTimedFromItsFirstPublicationToItsFirstReturn() {
    LatencyTracker t = new LatencyTracker(1, 100);
    t.published("a", 0);
    t.published("a", 50 * MS); // a second event of the same process: still timed from the first
    t.published("b", 10 * MS);
    t.observed("a", 200 * MS);
    t.observed("a", 300 * MS);
    assertThat(t.pending()).isEqualTo(1);
    t.observed("b", 110 * MS);

    StepLatency step = t.closeStep();

    assertThat(step.tracked()).isEqualTo(2);
    assertThat(step.samples()).isEqualTo(2);
    assertThat(step.repeats()).isEqualTo(1);
    assertThat(step.unseen()).isZero();
    // HdrHistogram keeps three significant digits.
    assertThat(step.p50Millis()).isBetween(99.9, 100.1);
    assertThat(step.maxMillis()).isBetween(199.0, 201.0);
  }

  @Test
  void foreignIdsAndRecordsWithoutAnIdAreCountedNotTimed() {
    LatencyTracker t = new LatencyTracker(1, 100);
    t.published("a", 0);
    t.observed("never-sent", MS);
    t.observed(null, MS);

    StepLatency step = t.closeStep();

    assertThat(step.samples()).isZero();
    assertThat(step.p50Millis()).isNull();
    assertThat(step.unknown()).isEqualTo(1);
    assertThat(step.withoutId()).isEqualTo(1);
    assertThat(step.outputRecords()).isEqualTo(2);
    assertThat(step.unseen()).isEqualTo(1);
  }

  @Test
  void aStepsIdsAreForgottenWhenItClosesSoALateReturnIsUnknown() {
    LatencyTracker t = new LatencyTracker(1, 100);
    t.published("a", 0);
    assertThat(t.closeStep().unseen()).isEqualTo(1);

    t.observed("a", 20_000 * MS);

    StepLatency next = t.closeStep();
    assertThat(next.unknown()).isEqualTo(1);
    assertThat(next.samples()).isZero();
    assertThat(next.tracked()).isZero();
  }

  @Test
  void memoryIsBoundedByTheCapacity() {
    LatencyTracker t = new LatencyTracker(1, 3);
    IntStream.range(0, 10).forEach(i -> t.published("id-" + i, i));

    StepLatency step = t.closeStep();

    assertThat(step.tracked()).isEqualTo(3);
    assertThat(step.untracked()).isEqualTo(7);
  }

  @Test
  void theSampleIsAboutOneIdInNAndTheSameOnBothSides() {
    LatencyTracker t = new LatencyTracker(10, 1_000_000);
    long sampled = IntStream.range(0, 100_000).filter(i -> t.tracks("host-000001#" + i)).count();
    assertThat(sampled).isBetween(9_000L, 11_000L);

    IntStream.range(0, 1_000).forEach(i -> t.published("host-000002#" + i, 0));
    IntStream.range(0, 1_000).forEach(i -> t.observed("host-000002#" + i, MS));
    StepLatency step = t.closeStep();
    assertThat(step.samples()).isEqualTo(step.tracked()).isPositive();
    assertThat(step.unknown()).isZero();
    assertThat(step.outputRecords()).isEqualTo(1_000);
  }

  @Test
  void shardsMergeByAddingHistogramsNotByAveragingPercentiles() {
    LatencyTracker fast = new LatencyTracker(1, 1_000);
    IntStream.range(0, 90).forEach(i -> fast.published("f" + i, 0));
    IntStream.range(0, 90).forEach(i -> fast.observed("f" + i, 10 * MS));
    LatencyTracker slow = new LatencyTracker(1, 1_000);
    IntStream.range(0, 10).forEach(i -> slow.published("s" + i, 0));
    IntStream.range(0, 10).forEach(i -> slow.observed("s" + i, 1_000 * MS));

    StepLatency merged = StepLatency.merge(List.of(fast.closeStep(), slow.closeStep()));

    assertThat(merged.samples()).isEqualTo(100);
    assertThat(merged.tracked()).isEqualTo(100);
    // Averaging the shards' medians would give 505 ms; 90 of the 100 took 10 ms.
    assertThat(merged.p50Millis()).isBetween(9.99, 10.02);
    assertThat(merged.p95Millis()).isBetween(999.0, 1001.0);
  }

  @Test
  void shardsReadingOneOutputTopicCountItsRecordsOnceAndEachOthersIdsAsKnown() {
    // Both shards read the same 30 output records: 10 ids of each shard and 10 of neither.
    LatencyTracker one = new LatencyTracker(1, 1_000);
    LatencyTracker two = new LatencyTracker(1, 1_000);
    IntStream.range(0, 10).forEach(i -> one.published("one-" + i, 0));
    IntStream.range(0, 10).forEach(i -> two.published("two-" + i, 0));
    for (LatencyTracker shard : List.of(one, two)) {
      for (String prefix : List.of("one-", "two-", "foreign-")) {
        IntStream.range(0, 10).forEach(i -> shard.observed(prefix + i, 5 * MS));
      }
    }

    StepLatency a = one.closeStep();
    StepLatency b = two.closeStep();
    StepLatency fleet = StepLatency.mergeShards(List.of(a, b));

    assertThat(a.unknown()).isEqualTo(20);
    assertThat(fleet.samples()).isEqualTo(20);
    assertThat(fleet.outputRecords()).isEqualTo(30);
    assertThat(fleet.unknown()).isEqualTo(10);
  }
}
