package io.psfleet.jobs.correlation;

import static io.psfleet.jobs.detect.TestEvents.KERNEL32;
import static io.psfleet.jobs.detect.TestEvents.KERNELBASE;
import static io.psfleet.jobs.detect.TestEvents.NTDLL;
import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.ocsf.OcsfValidator;
import io.psfleet.ocsf.ValidationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * psfleet-001, DLL injection, as the pack's {@code temporal_ordered} correlations: a remote thread,
 * then within 30 s a suspicious load in its target. Hits, near misses, look-alikes, the window's
 * end and the state left behind.
 */
class PackDllInjectionTest {
  static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  static final Proc NOTEPAD = proc(21, 3100, SYSTEM32 + "notepad.exe");
  static final Proc OTHER_APP = proc(22, 3200, SYSTEM32 + "mspaint.exe");
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
  PackRun run;

  @BeforeEach
  void open() throws Exception {
    run = new PackRun();
  }

  @AfterEach
  void close() throws Exception {
    run.close();
  }

  @Test
  void loadLibraryThreadThenUnsignedTempDllRaisesOneInjectionAlertNamingBoth() throws Exception {
    String thread =
        run.send(
            TestEvents.withAncestries(
                host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"),
                chain(EXPLORER),
                chain(EXPLORER)));
    String load = run.send(host1.load(10.004, NOTEPAD, TEMP_DLL, null, chain(EXPLORER)));
    run.watermark(11);

    assertThat(run.hostAlerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.analytic().id()).isEqualTo("psfleet-001");
              assertThat(a.analytic().technique()).isEqualTo("T1055.001");
              assertThat(a.analytic().tacticId()).isEqualTo("TA0005");
              assertThat(a.analytic().severity()).isEqualTo("High");
              assertThat(a.evidenceEventIds()).containsExactly(thread, load);
              assertThat(a.hostId()).isEqualTo("host-000001");
              assertThat(a.hosts()).containsExactly("host-000001");
              assertThat(a.process().key()).isEqualTo(NOTEPAD.key());
              assertThat(a.process().image()).isEqualTo(NOTEPAD.image());
              ValidationResult valid =
                  OcsfValidator.bundled().validate(OcsfDetectionFinding.toJsonBytes(a));
              assertThat(valid.errors()).as(valid.toString()).isEmpty();
            });
    // The rules the correlation refers to raise nothing of their own.
    assertThat(run.singleEventAlerts).isEmpty();
  }

  @Test
  void anyRemoteThreadThenAnUnsignedDllAlerts() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, null, null));
    run.send(host1.load(12, NOTEPAD, "C:\\Program Files\\Odd\\unsigned.dll", null));
    run.watermark(13);

    assertThat(run.hostAlerts()).extracting(a -> a.analytic().id()).containsExactly("psfleet-001");
  }

  @Test
  void loadLibraryThreadThenSignedDllOutsideTrustedFoldersAlertsAsTheLoadLibraryVariant()
      throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryA"));
    run.send(host1.load(10.5, NOTEPAD, "D:\\Tools\\signed.dll", "Someone Ltd"));
    run.watermark(11);

    assertThat(run.hostAlerts())
        .extracting(a -> a.analytic().id())
        .containsExactly("psfleet-001-loadlibrary");
  }

  @Test
  void loadLibraryThreadThenSignedDllFromProgramDataAlertsOnce() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNELBASE, "LoadLibraryExW"));
    run.send(host1.load(10.5, NOTEPAD, "C:\\ProgramData\\Vendor\\signed.dll", "Someone Ltd"));
    run.watermark(11);

    assertThat(run.hostAlerts()).extracting(a -> a.analytic().id()).containsExactly("psfleet-001");
  }

  @Test
  void loadLibraryThreadThenSignedDllFromANetworkShareAlertsAsSuspicious() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(host1.load(10.5, NOTEPAD, "\\\\fileserver\\tools$\\signed.dll", "Someone Ltd"));
    run.watermark(11);

    assertThat(run.hostAlerts()).extracting(a -> a.analytic().id()).containsExactly("psfleet-001");
  }

  @Test
  void aPathWithOneLeadingBackslashIsNoNetworkPath() throws Exception {
    // In Sigma '\\' is one backslash: a rule written so would take any such path for a share.
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(
        host1.load(10.5, NOTEPAD, "\\Device\\HarddiskVolume3\\Tools\\signed.dll", "Someone Ltd"));
    run.watermark(11);

    assertThat(run.hostAlerts())
        .extracting(a -> a.analytic().id())
        .containsExactly("psfleet-001-loadlibrary");
  }

  @Test
  void otherThreadThenSignedDllOutsideTrustedFoldersIsANearMiss() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, null, null));
    run.send(host1.load(10.5, NOTEPAD, "D:\\Tools\\signed.dll", "Someone Ltd"));
    run.watermark(11);

    assertThat(run.hostAlerts()).isEmpty();
  }

  @Test
  void benignRemoteThreadsRaiseNothingAndLeaveNoStateBehind() throws Exception {
    run.send(host1.thread(10, EDR, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(host1.load(10.003, NOTEPAD, EDR_DLL, "Contoso Security Ltd"));
    run.send(host1.thread(11, DEBUGGER, NOTEPAD, NTDLL, "DbgUiRemoteBreakin"));
    run.send(host1.load(12, NOTEPAD, SYSTEM32 + "dbgcore.dll", TestEvents.MICROSOFT));
    run.send(host1.thread(12, CSRSS, CMD, KERNELBASE, "CtrlRoutine"));
    run.send(host1.load(13, CMD, SYSTEM32 + "winmm.dll", TestEvents.MICROSOFT));
    run.send(host1.initialThread(13, CMD, proc(40, 6000, SYSTEM32 + "conhost.exe")));
    run.watermark(14);
    assertThat(run.stateEntries()).isPositive();

    run.watermark(43);

    assertThat(run.hostAlerts()).isEmpty();
    assertThat(run.stateEntries()).isZero();
    assertThat(run.timers()).isZero();
  }

  @Test
  void unsignedLoadInAnotherProcessIsANearMiss() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(host1.load(10.004, OTHER_APP, TEMP_DLL, null));
    run.watermark(11);

    assertThat(run.hostAlerts()).isEmpty();
  }

  @Test
  void sameProcessKeyOnAnotherHostIsANearMiss() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(host2.load(10.004, NOTEPAD, TEMP_DLL, null));
    run.watermark(11);

    assertThat(run.hostAlerts()).isEmpty();
  }

  @Test
  void loadBeforeTheThreadIsNotItsDoing() throws Exception {
    run.send(host1.load(9, NOTEPAD, TEMP_DLL, null));
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.watermark(11);

    assertThat(run.hostAlerts()).isEmpty();
  }

  @Test
  void aLoadAtTheWindowsEdgeAlertsAndOneJustPastItDoesNot() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(host1.load(40.001, NOTEPAD, TEMP_DLL, null));
    run.watermark(41);
    assertThat(run.hostAlerts()).isEmpty();

    run.send(host1.thread(50, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(host1.load(80, NOTEPAD, TEMP_DLL, null));
    run.watermark(81);
    assertThat(run.hostAlerts()).hasSize(1);
  }

  @Test
  void aThreadsStateIsGoneOnceTheWatermarkPassesItsWindow() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.watermark(11);
    assertThat(run.stateEntries()).isPositive();
    assertThat(run.timers()).isPositive();

    run.watermark(41);

    assertThat(run.stateEntries()).isZero();
    assertThat(run.timers()).isZero();
  }

  @Test
  void oneThreadRaisesOneAlertEvenIfItLoadsTwoDlls() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(host1.load(10.004, NOTEPAD, TEMP_DLL, null));
    run.send(host1.load(10.008, NOTEPAD, "C:\\Users\\alice\\AppData\\Local\\Temp\\b.dll", null));
    run.watermark(11);

    assertThat(run.hostAlerts()).hasSize(1);
  }

  @Test
  void threadsOfSeveralTargetsAreJudgedSeparately() throws Exception {
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.send(host1.thread(20, CSRSS, CMD, KERNELBASE, "CtrlRoutine"));
    run.send(host1.load(45.5, CMD, TEMP_DLL, null));
    run.send(host1.load(45.6, NOTEPAD, TEMP_DLL, null));
    run.watermark(46);

    assertThat(run.hostAlerts())
        .singleElement()
        .satisfies(a -> assertThat(a.process().key()).isEqualTo(CMD.key()));
    run.watermark(80);
    // The host's injection state is gone; the fleet keeps the unsigned DLL's sightings longer.
    assertThat(run.host.numKeyedStateEntries()).isZero();
  }

  @Test
  void aLoadThatArrivesBeforeItsThreadWithinTheBoundStillMatches() throws Exception {
    // Out of order on the way: the watermark has not passed either, so both are judged in
    // event-time order.
    run.send(host1.load(10.004, NOTEPAD, TEMP_DLL, null));
    run.send(host1.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    run.watermark(11);

    assertThat(run.hostAlerts()).hasSize(1);
  }
}
