package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.KERNEL32;
import static io.psfleet.jobs.detect.TestEvents.KERNELBASE;
import static io.psfleet.jobs.detect.TestEvents.NTDLL;
import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.at;
import static io.psfleet.jobs.detect.TestEvents.millis;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DllInjectionFunctionTest {
  static final Proc NOTEPAD = proc(21, 3100, SYSTEM32 + "notepad.exe");
  static final Proc CMD = proc(23, 3300, SYSTEM32 + "cmd.exe");
  static final Proc DROPPER = proc(30, 5000, "C:\\Users\\alice\\Downloads\\Invoice_2026-11.exe");
  static final Proc DEBUGGER = proc(31, 5100, SYSTEM32 + "vsjitdebugger.exe");
  static final Proc EDR =
      proc(32, 900, "C:\\Program Files\\Contoso Security\\Endpoint Agent\\ContosoAgent.exe");
  static final Proc CSRSS = proc(33, 480, SYSTEM32 + "csrss.exe");
  static final String TEMP_DLL = "C:\\Users\\alice\\AppData\\Local\\Temp\\msvcupd64.dll";
  static final String EDR_DLL =
      "C:\\Program Files\\Contoso Security\\Endpoint Agent\\ContosoHook64.dll";

  final TestEvents host1 = new TestEvents("host-000001");
  final TestEvents host2 = new TestEvents("host-000002");
  KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Alert> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DllInjectionFunction(DetectionConfig.defaults(), 10_000),
            DllInjectionFunction::key,
            Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  void send(EnrichedEvent e) throws Exception {
    harness.processElement(e, millis(e.event().timeNanos()));
  }

  @Test
  void remoteThreadThenUnsignedLoadRaisesInjectionAlert() throws Exception {
    EnrichedEvent thread = host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent load = host1.load(10.004, NOTEPAD, TEMP_DLL, null);

    send(thread);
    send(load);

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.rule()).isEqualTo(Rule.DLL_INJECTION);
              assertThat(a.evidenceEventIds())
                  .containsExactly(thread.event().eventId(), load.event().eventId());
            });
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void sameProcessKeyOnAnotherHostIsANearMiss() throws Exception {
    send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(host2.load(10.004, NOTEPAD, TEMP_DLL, null));

    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void benignRemoteThreadsRaiseNothingAndLeaveNoStateBehind() throws Exception {
    send(host1.thread(10, EDR, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(host1.load(10.003, NOTEPAD, EDR_DLL, "Contoso Security Ltd"));
    send(host1.thread(11, DEBUGGER, NOTEPAD, NTDLL, "DbgUiRemoteBreakin"));
    send(host1.thread(12, CSRSS, CMD, KERNELBASE, "CtrlRoutine"));
    send(host1.initialThread(13, CMD, proc(40, 6000, SYSTEM32 + "conhost.exe")));

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(3);

    harness.processWatermark(millis(at(42)));

    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void loadAfterTheWindowDoesNotAlertEvenBeforeTheWatermarkCleansUp() throws Exception {
    send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(host1.load(41, NOTEPAD, TEMP_DLL, null));

    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void expiredThreadIsForgottenOnceTheWatermarkPassesItsWindow() throws Exception {
    send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    // the pending target and the host's count of pending targets
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processWatermark(millis(at(39.999)));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

    harness.processWatermark(millis(at(40)));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void lateLoadStillMatchesWhileItsThreadIsPending() throws Exception {
    send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    harness.processWatermark(millis(at(25)));
    send(host1.load(20, NOTEPAD, TEMP_DLL, null));

    assertThat(harness.extractOutputValues()).hasSize(1);
  }

  @Test
  void targetExitClearsItsPendingThreads() throws Exception {
    send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(host1.exit(11, NOTEPAD));

    assertThat(harness.numKeyedStateEntries()).isZero();
    harness.processWatermark(millis(at(41)));
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void oneThreadRaisesOneAlertEvenIfItLoadsTwoDlls() throws Exception {
    send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(host1.load(10.004, NOTEPAD, TEMP_DLL, null));
    send(host1.load(10.008, NOTEPAD, "C:\\Users\\alice\\AppData\\Local\\Temp\\b.dll", null));

    assertThat(harness.extractOutputValues()).hasSize(1);
  }

  @Test
  void threadsOfSeveralTargetsExpireSeparately() throws Exception {
    send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(host1.thread(20, CSRSS, CMD, KERNELBASE, "CtrlRoutine"));

    harness.processWatermark(millis(at(45)));
    send(host1.load(45.5, CMD, TEMP_DLL, null));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(a -> assertThat(a.process().key()).isEqualTo(CMD.key()));
    harness.processWatermark(millis(at(51)));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aFloodOfRemoteThreadsIntoNewTargetsKeepsTheHostsPendingStateBoundedAndTheLatestStillAlerts()
      throws Exception {
    harness.close();
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DllInjectionFunction(DetectionConfig.defaults(), 10),
            DllInjectionFunction::key,
            Types.STRING);
    for (int i = 0; i < 1_000; i++) {
      Proc target = proc(1_000 + i, 8_000 + 4 * i, NOTEPAD.image());
      send(host1.thread(10 + i / 1000.0, DROPPER, target, KERNEL32, "LoadLibraryW"));
      // pending targets, their count, and the timers' own state stay near the bound
      assertThat(harness.numKeyedStateEntries()).isLessThanOrEqualTo(11 + 1);
    }
    send(host1.thread(11.5, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(host1.load(11.504, NOTEPAD, TEMP_DLL, null));

    assertThat(harness.extractOutputValues()).hasSize(1);
  }
}
