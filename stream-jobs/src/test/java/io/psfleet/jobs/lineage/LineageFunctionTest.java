package io.psfleet.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.event.Telemetry;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LineageFunctionTest {
  private KeyedOneInputStreamOperatorTestHarness<String, Telemetry, EnrichedEvent> harness;
  private final LineageEvents events = new LineageEvents();

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new LineageFunction(8, Duration.ofMinutes(10), 1_000_000L, 10_000)),
            Telemetry::hostId,
            org.apache.flink.api.common.typeinfo.Types.STRING);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(Telemetry e) throws Exception {
    harness.processElement(new StreamRecord<>(e, e.timeNanos() / 1_000_000));
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

    harness.processWatermark(Duration.ofHours(1).toMillis());

    assertThat(harness.numEventTimeTimers()).isZero();
    // what is left: the host's sequence tracker and the completion counter, no process
    assertThat(harness.numKeyedStateEntries()).isLessThanOrEqualTo(2);
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
}
