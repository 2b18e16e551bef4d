package io.psfleet.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.psfleet.jobs.event.Telemetry;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineageFunctionTest {
  /** A stage that passes every enriched event on, so the tests see what lineage made of it. */
  private static final InlineFunction<String, EnrichedEvent> PASS_ON =
      (event, ctx, out) -> out.collect(event);

  private KeyedTwoInputStreamOperatorTestHarness<String, Telemetry, String, EnrichedEvent> harness;
  private final LineageEvents events = new LineageEvents();

  @BeforeEach
  void open() throws Exception {
    harness = open(10_000);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, Telemetry, String, EnrichedEvent>
      open(int maxProcesses) throws Exception {
    return open(maxProcesses, null);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, Telemetry, String, EnrichedEvent>
      open(int maxProcesses, OperatorSubtaskState restored) throws Exception {
    KeyedTwoInputStreamOperatorTestHarness<String, Telemetry, String, EnrichedEvent> h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new LineageFunction<>(
                    8,
                    Duration.ofMinutes(10),
                    1_000_000L,
                    maxProcesses,
                    InlineDecodeFunction.decoded(),
                    PASS_ON),
                List.of()),
            Telemetry::hostId,
            // The broadcast input has no key; the harness wants one.
            value -> "",
            Types.STRING);
    h.setup();
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    // The stage's broadcast input never holds event time back, as the rules topic's does not.
    h.processWatermark2(new Watermark(Long.MAX_VALUE));
    return h;
  }

  private void watermark(Duration at) throws Exception {
    harness.processWatermark1(new Watermark(at.toMillis()));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(Telemetry e) throws Exception {
    harness.processElement1(new StreamRecord<>(e, e.timeNanos() / 1_000_000));
  }

  private List<EnrichedEvent> output() {
    return harness.extractOutputValues();
  }

  @Test
  void enrichesWithAncestryAcrossPidReuse() throws Exception {
    send(events.create(1, 100, 400, "C:\\explorer.exe", 0, 0, null));
    send(events.create(2, 200, 800, "C:\\WINWORD.EXE", 100, 400, "C:\\explorer.exe"));
    send(events.exit(3, 200, 800, "C:\\WINWORD.EXE"));
    send(events.create(4, 201, 800, "C:\\notepad.exe", 100, 400, "C:\\explorer.exe"));
    send(events.create(5, 300, 1200, "C:\\cmd.exe", 201, 800, "C:\\notepad.exe"));

    EnrichedEvent last = output().get(output().size() - 1);
    assertThat(last.ancestry())
        .extracting(Ancestor::image)
        .containsExactly("C:\\notepad.exe", "C:\\explorer.exe");
  }

  @Test
  void aRestoredTableRebuildsTheAncestryItsCheckpointLeftOut() throws Exception {
    send(events.create(1, 100, 400, "C:\\explorer.exe", 0, 0, null));
    send(events.create(2, 200, 800, "C:\\WINWORD.EXE", 100, 400, "C:\\explorer.exe"));
    send(events.create(3, 300, 1200, "C:\\cmd.exe", 200, 800, "C:\\WINWORD.EXE"));
    OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
    harness.close();

    harness = open(10_000, checkpoint);
    send(events.load(4, 300, 1200, "C:\\cmd.exe", "C:\\a.dll", true));

    assertThat(output()).singleElement();
    assertThat(output().get(0).ancestry())
        .extracting(Ancestor::image, Ancestor::placeholder)
        .containsExactly(tuple("C:\\WINWORD.EXE", false), tuple("C:\\explorer.exe", false));
  }

  @Test
  void lateParentCompletesItsPlaceholder() throws Exception {
    send(events.create(1, 300, 1200, "C:\\cmd.exe", 200, 800, "C:\\WINWORD.EXE"));
    send(events.create(0, 200, 800, "C:\\WINWORD.EXE", 0, 0, null));
    send(events.load(2, 300, 1200, "C:\\cmd.exe", "C:\\a.dll", true));

    assertThat(output().get(0).ancestry()[0].placeholder()).isTrue();
    assertThat(output().get(2).ancestry()[0].placeholder()).isFalse();
  }

  @Test
  void stateIsClearedOnceExitedProcessesPassTheirGrace() throws Exception {
    send(events.create(1, 100, 400, "C:\\a.exe", 0, 0, null));
    send(events.create(2, 200, 800, "C:\\b.exe", 100, 400, "C:\\a.exe"));
    send(events.exit(3, 200, 800, "C:\\b.exe"));
    send(events.exit(4, 100, 400, "C:\\a.exe"));
    assertThat(harness.numEventTimeTimers()).isPositive();

    watermark(Duration.ofHours(1));

    assertThat(harness.numEventTimeTimers()).isZero();
    // what is left: the host's state (sequence tracker, counts, idle deadline), no process
    assertThat(harness.numKeyedStateEntries()).isOne();
  }

  @Test
  void aHostFloodingShortLivedProcessesKeepsItsStateWithinItsTableBound() throws Exception {
    // A table of 100 processes; every process starts and exits in the same second, so none is
    // past its grace while the flood lasts and only the table's bound keeps the state small.
    harness.close();
    harness = open(100);
    send(events.create(1, 1, 400, "C:\\Windows\\explorer.exe", 0, 0, null));
    flood(2_000);
    long after2000 = harness.snapshot(1, 1).getStateSize();
    flood(18_000);
    long after20000 = harness.snapshot(2, 2).getStateSize();

    assertThat(after20000)
        .as("state after 20,000 short-lived processes against after 2,000 (%d bytes)", after2000)
        .isLessThan(after2000 + after2000 / 4);
    // The table's nodes (one map) and the host's state.
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    // One timer for the minute in which they may leave, not one per process.
    assertThat(harness.numEventTimeTimers()).isOne();

    watermark(Duration.ofHours(1));
    assertThat(harness.numEventTimeTimers()).isZero();
    // explorer.exe still runs; every flooded process has gone.
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
  }

  @Test
  void hostsThatFallSilentAreForgottenAndOneThatKeepsSendingIsNot() throws Exception {
    Duration hour = Duration.ofHours(1);
    harness.setProcessingTime(0);
    send(events.create(1, 100, 400, "C:\\a.exe", 0, 0, null));
    // A producer inventing host ids, one record each.
    for (int i = 0; i < 1_000; i++) {
      send(events.on("invented-" + i, events.create(1, 7, 4, "C:\\x.exe", 0, 0, null), 1));
    }
    assertThat(harness.numKeyedStateEntries()).isGreaterThan(1_000);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1_001);

    // The real host keeps sending; the invented ones never do again.
    harness.setProcessingTime(hour.multipliedBy(20).toMillis());
    send(events.load(2, 100, 400, "C:\\a.exe", "C:\\b.dll", true));
    harness.setProcessingTime(hour.multipliedBy(27).toMillis());

    assertThat(harness.numProcessingTimeTimers()).isOne();
    // The real host's table (one process) and its state; nothing else.
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    // Its next event is still in order (its count kept), so it passes.
    int before = output().size();
    send(events.load(3, 100, 400, "C:\\a.exe", "C:\\c.dll", true));
    assertThat(output()).hasSize(before + 1);

    // Then it falls silent too.
    harness.setProcessingTime(hour.multipliedBy(60).toMillis());
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  private int flooded;

  /** {@code n} processes of explorer.exe that start and exit at second 10. */
  private void flood(int n) throws Exception {
    for (int i = 0; i < n; i++, flooded++) {
      long key = 1_000 + flooded;
      int pid = 8_000 + 4 * (flooded % 10_000);
      send(events.create(10, key, pid, "C:\\flood.exe", 1, 400, "C:\\Windows\\explorer.exe"));
      send(events.exit(10, key, pid, "C:\\flood.exe"));
    }
  }

  @Test
  void duplicateSequenceNumbersAreDroppedAndGapsPassThrough() throws Exception {
    Telemetry first = events.create(1, 100, 400, "C:\\a.exe", 0, 0, null);
    send(first);
    send(first);
    send(events.withSequence(events.load(2, 100, 400, "C:\\a.exe", "C:\\b.dll", true), 5));

    assertThat(output()).hasSize(2);
    assertThat(output().get(1).event().sequence()).isEqualTo(5);
  }

  @Test
  void aSequenceJumpIsReportedAndPassedOnAndTheHostStaysHeard() throws Exception {
    send(events.create(1, 100, 400, "C:\\a.exe", 0, 0, null));
    send(
        events.withSequence(
            events.create(2, 200, 800, "C:\\b.exe", 100, 400, "C:\\a.exe"), 1L << 40));
    send(events.withSequence(events.create(3, 300, 1200, "C:\\c.exe", 100, 400, "C:\\a.exe"), 2));

    assertThat(output()).extracting(e -> e.event().sequence()).containsExactly(1L, 1L << 40, 2L);
    assertThat(harness.getSideOutput(LineageFunction.SEQUENCE_ANOMALIES))
        .extracting(r -> r.getValue().verdict())
        .containsExactly(SequenceTracker.Verdict.SEQUENCE_JUMP);
  }

  /**
   * A host's state as a format wrote it: three processes (two of them placeholders completed later,
   * one exited), five events, the idle deadline. Written once per state format by {@link
   * #writesTheStateFixture}; restores of later versions are tested on it.
   */
  private void fixtureHistory() throws Exception {
    harness.setProcessingTime(0);
    send(events.create(1, 300, 1200, "C:\\cmd.exe", 200, 800, "C:\\WINWORD.EXE"));
    send(events.create(2, 200, 800, "C:\\WINWORD.EXE", 100, 400, "C:\\explorer.exe"));
    send(events.create(3, 100, 400, "C:\\explorer.exe", 0, 0, null));
    send(events.exit(4, 200, 800, "C:\\WINWORD.EXE"));
    send(events.load(5, 300, 1200, "C:\\cmd.exe", "C:\\a.dll", true));
  }

  /**
   * State as earlier releases wrote it, restored: the table, the host's sequence numbers and its
   * idle deadline go on where they were. {@code pojo-nodes-separate-scalars}: before {@link
   * ProcessNodeSerializer} and {@link HostState} (nodes by Flink's POJO serializer, the host's
   * values in four states); {@code nodes-format-1}: the serializer's first format, whose nodes kept
   * two counts of their process's loaded modules, which no detection read.
   */
  @ParameterizedTest
  @ValueSource(strings = {"pojo-nodes-separate-scalars", "nodes-format-1"})
  void restoresStateOfEarlierReleases(String fixture) throws Exception {
    harness.close();
    harness =
        open(
            10_000,
            OperatorSnapshotUtil.readStateHandle(
                getClass().getResource("/lineage/" + fixture + ".snapshot").getPath()));

    send(events.withSequence(events.load(5, 300, 1200, "C:\\cmd.exe", "C:\\a.dll", true), 5));
    send(events.withSequence(events.load(6, 300, 1200, "C:\\cmd.exe", "C:\\b.dll", true), 6));

    assertThat(output()).as("the duplicate of event 5 dropped").singleElement();
    assertThat(output().get(0).ancestry())
        .extracting(Ancestor::image, Ancestor::placeholder)
        .containsExactly(tuple("C:\\WINWORD.EXE", false), tuple("C:\\explorer.exe", false));
    assertThat(harness.numKeyedStateEntries())
        .as("the table (one map) and the host's state, which took in what was kept before")
        .isEqualTo(2);
    assertThat(harness.numProcessingTimeTimers()).as("the idle deadline").isOne();
    harness.setProcessingTime(Duration.ofHours(27).toMillis());
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  /**
   * Not a test: {@code -Dpsfleet.write-state-fixture=src/test/resources/lineage/NAME.snapshot}
   * writes {@link #fixtureHistory}'s checkpoint, the fixture of the current state format.
   */
  @Test
  @EnabledIfSystemProperty(named = "psfleet.write-state-fixture", matches = ".+")
  void writesTheStateFixture() throws Exception {
    fixtureHistory();
    OperatorSnapshotUtil.writeStateHandle(
        harness.snapshot(1, 1), System.getProperty("psfleet.write-state-fixture"));
  }
}
