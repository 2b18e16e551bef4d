package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.KERNEL32;
import static io.psfleet.jobs.detect.TestEvents.KERNELBASE;
import static io.psfleet.jobs.detect.TestEvents.NTDLL;
import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.at;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InjectionSequenceTest {
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

  final DetectionConfig config = DetectionConfig.defaults();
  final TestEvents events = new TestEvents("host-000002");

  InjectionSequence pendingAfter(EnrichedEvent... threads) {
    InjectionSequence s = InjectionSequence.empty();
    for (EnrichedEvent thread : threads) {
      assertThat(InjectionSequence.opensWindow(thread.event())).isTrue();
      s = s.plus(thread, config);
    }
    return s;
  }

  @Test
  void loadLibraryThreadThenUnsignedTempDllRaisesInjectionAlert() {
    EnrichedEvent thread =
        TestEvents.withAncestries(
            events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"),
            chain(EXPLORER),
            chain(EXPLORER));
    EnrichedEvent load = events.load(10.004, NOTEPAD, TEMP_DLL, null, chain(EXPLORER));

    InjectionSequence.Match match = pendingAfter(thread).match(load, config);

    assertThat(match).isNotNull();
    assertThat(match.remaining().isEmpty()).isTrue();
    Alert a = match.alert();
    assertThat(a.rule()).isEqualTo(Rule.DLL_INJECTION);
    assertThat(a.evidenceEventIds())
        .containsExactly(thread.event().eventId(), load.event().eventId());
    assertThat(a.uid())
        .isEqualTo(
            Alert.uidOf(Rule.DLL_INJECTION, thread.event().eventId(), load.event().eventId()));
    assertThat(a.timeNanos()).isEqualTo(load.event().timeNanos());
    assertThat(a.process().key()).isEqualTo(NOTEPAD.key());
    assertThat(a.process().ancestry()).extracting(x -> x.key()).containsExactly(EXPLORER.key());
    assertThat(a.actor().key()).isEqualTo(DROPPER.key());
    assertThat(a.actor().image()).isEqualTo(DROPPER.image());
    assertThat(a.actor().ancestry()).extracting(x -> x.key()).containsExactly(EXPLORER.key());
    assertThat(a.module().path()).isEqualTo(TEMP_DLL);
    assertThat(a.module().signed()).isFalse();
    assertThat(a.message())
        .contains("invoice_2026-11.exe", "kernel32.dll!LoadLibraryW", "notepad.exe", TEMP_DLL);
  }

  @Test
  void sourceAncestryThatStartsWithTheCreatorItselfIsNotRepeatedInTheActor() {
    EnrichedEvent thread =
        TestEvents.withAncestries(
            events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"),
            chain(EXPLORER),
            chain(DROPPER, EXPLORER));
    EnrichedEvent load = events.load(10.004, NOTEPAD, TEMP_DLL, null, chain(EXPLORER));

    Alert a = pendingAfter(thread).match(load, config).alert();

    assertThat(a.actor().key()).isEqualTo(DROPPER.key());
    assertThat(a.actor().commandLine()).isEqualTo(DROPPER.commandLine());
    assertThat(a.actor().ancestry()).extracting(x -> x.key()).containsExactly(EXPLORER.key());
  }

  @Test
  void anyRemoteThreadThenUnsignedDllAlerts() {
    EnrichedEvent thread = events.thread(10, DROPPER, NOTEPAD, null, null);
    EnrichedEvent load = events.load(12, NOTEPAD, "C:\\Program Files\\Odd\\unsigned.dll", null);

    assertThat(pendingAfter(thread).match(load, config)).isNotNull();
  }

  @Test
  void loadLibraryThreadThenSignedDllFromProgramDataAlerts() {
    EnrichedEvent thread = events.thread(10, DROPPER, NOTEPAD, KERNELBASE, "LoadLibraryExW");
    EnrichedEvent load =
        events.load(10.5, NOTEPAD, "C:\\ProgramData\\Vendor\\signed.dll", "Someone Ltd");

    assertThat(pendingAfter(thread).match(load, config)).isNotNull();
  }

  @Test
  void loadLibraryThreadThenSignedDllOutsideTrustedFoldersAlerts() {
    EnrichedEvent thread = events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryA");
    EnrichedEvent load = events.load(10.5, NOTEPAD, "D:\\Tools\\signed.dll", "Someone Ltd");

    assertThat(pendingAfter(thread).match(load, config)).isNotNull();
  }

  @Test
  void otherThreadThenSignedDllOutsideTrustedFoldersDoesNotAlert() {
    EnrichedEvent thread = events.thread(10, DROPPER, NOTEPAD, null, null);
    EnrichedEvent load = events.load(10.5, NOTEPAD, "D:\\Tools\\signed.dll", "Someone Ltd");

    assertThat(pendingAfter(thread).match(load, config)).isNull();
  }

  @Test
  void securityProductLoadingItsSignedProgramFilesDllDoesNotAlert() {
    EnrichedEvent thread = events.thread(10, EDR, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent load = events.load(10.003, NOTEPAD, EDR_DLL, "Contoso Security Ltd");

    assertThat(pendingAfter(thread).match(load, config)).isNull();
  }

  @Test
  void debuggerBreakInFollowedBySystemDllDoesNotAlert() {
    EnrichedEvent thread = events.thread(10, DEBUGGER, NOTEPAD, NTDLL, "DbgUiRemoteBreakin");
    EnrichedEvent load = events.load(11, NOTEPAD, SYSTEM32 + "dbgcore.dll", TestEvents.MICROSOFT);

    assertThat(pendingAfter(thread).match(load, config)).isNull();
  }

  @Test
  void consoleControlThreadFollowedBySystemDllDoesNotAlert() {
    EnrichedEvent thread = events.thread(10, CSRSS, CMD, KERNELBASE, "CtrlRoutine");
    EnrichedEvent load = events.load(11, CMD, SYSTEM32 + "winmm.dll", TestEvents.MICROSOFT);

    assertThat(pendingAfter(thread).match(load, config)).isNull();
  }

  @Test
  void initialAndLocalThreadsOpenNoWindow() {
    assertThat(InjectionSequence.opensWindow(events.initialThread(1, EXPLORER, NOTEPAD).event()))
        .isFalse();
    assertThat(
            InjectionSequence.opensWindow(
                events.thread(1, NOTEPAD, NOTEPAD, SYSTEM32 + "notepad.exe", null).event()))
        .isFalse();
  }

  @Test
  void unsignedLoadInAnotherProcessIsANearMiss() {
    EnrichedEvent thread = events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent load = events.load(10.004, OTHER_APP, TEMP_DLL, null);

    assertThat(pendingAfter(thread).match(load, config)).isNull();
  }

  @Test
  void loadBeforeTheThreadIsNotItsDoing() {
    EnrichedEvent load = events.load(9, NOTEPAD, TEMP_DLL, null);
    EnrichedEvent thread = events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW");

    assertThat(pendingAfter(thread).match(load, config)).isNull();
  }

  @Test
  void loadAfterTheWindowDoesNotAlert() {
    EnrichedEvent thread = events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent atEdge = events.load(40, NOTEPAD, TEMP_DLL, null);
    EnrichedEvent late = events.load(40.001, NOTEPAD, TEMP_DLL, null);

    assertThat(pendingAfter(thread).match(late, config)).isNull();
    assertThat(pendingAfter(thread).match(atEdge, config)).isNotNull();
  }

  @Test
  void expireDropsOnlyThreadsWhoseWindowEnded() {
    EnrichedEvent early = events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent later = events.thread(20, EDR, NOTEPAD, KERNEL32, "LoadLibraryW");
    InjectionSequence both = pendingAfter(early, later);

    assertThat(both.expire(at(40), config).threads()).hasSize(2);
    assertThat(both.expire(at(40.5), config).threads()).containsExactly(later);
    assertThat(both.expire(at(50.5), config).isEmpty()).isTrue();
  }

  @Test
  void theMostRecentQualifyingThreadIsBlamedAndUsedUp() {
    EnrichedEvent edr = events.thread(10, EDR, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent dropper = events.thread(11, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent load = events.load(11.004, NOTEPAD, TEMP_DLL, null);

    InjectionSequence.Match match = pendingAfter(edr, dropper).match(load, config);

    assertThat(match.alert().actor().key()).isEqualTo(DROPPER.key());
    assertThat(match.remaining().threads()).containsExactly(edr);
  }

  @Test
  void pendingThreadsPerTargetAreCapped() {
    DetectionConfig two = config.withInjectionMaxPendingThreads(2);
    InjectionSequence s = InjectionSequence.empty();
    EnrichedEvent[] threads = new EnrichedEvent[4];
    for (int i = 0; i < threads.length; i++) {
      threads[i] = events.thread(10 + i, CSRSS, CMD, KERNELBASE, "CtrlRoutine");
      s = s.plus(threads[i], two);
    }

    assertThat(s.threads()).containsExactly(threads[2], threads[3]);
  }

  @Test
  void outOfOrderThreadsAreKeptInEventTimeOrder() {
    EnrichedEvent later = events.thread(20, EDR, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent earlier = events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW");

    assertThat(pendingAfter(later, earlier).threads()).containsExactly(earlier, later);
  }

  @Test
  void windowIsConfigurable() {
    DetectionConfig shortWindow = config.withInjectionWindow(Duration.ofSeconds(1));
    EnrichedEvent thread = events.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW");
    EnrichedEvent load = events.load(12, NOTEPAD, TEMP_DLL, null);

    assertThat(InjectionSequence.empty().plus(thread, shortWindow).match(load, shortWindow))
        .isNull();
  }
}
