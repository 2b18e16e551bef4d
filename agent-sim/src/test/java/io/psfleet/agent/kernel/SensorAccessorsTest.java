package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accessors sensors call beyond the notify routines' arguments. */
class SensorAccessorsTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final DriverObject driver = host.emptyDriver(true);

  @Test
  void processExitTimeIsSetWhenExitRoutinesRunAndZeroWhileRunning() {
    List<Long> exitTimes = new ArrayList<>();
    kernel.psSetCreateProcessNotifyRoutineEx(
        driver, (p, pid, info) -> exitTimes.add(kernel.psGetProcessExitTime()), false);
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    kernel.advanceClockTo(TestHost.BOOT_TIME_NANOS + 5_000_000_000L);

    kernel.terminateProcess(cmd, 0);

    long exitFileTime =
        (TestHost.BOOT_TIME_NANOS + 5_000_000_000L) / 100 + 116_444_736_000_000_000L;
    assertThat(exitTimes).containsExactly(0L, exitFileTime);
  }

  @Test
  void onlySystemIsProtectedAndNoProcessIsProtectedLight() {
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");

    assertThat(kernel.psIsProtectedProcess(kernel.systemProcess())).isTrue();
    assertThat(kernel.psIsProtectedProcess(cmd)).isFalse();
    assertThat(kernel.psIsProtectedProcessLight(cmd)).isFalse();
  }

  @Test
  void sessionIdIsTheTokensSessionAndSystemThreadsAreThoseOfSystem() {
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");

    assertThat(kernel.psGetProcessSessionId(cmd)).isEqualTo(TestHost.user().sessionId());
    assertThat(kernel.psGetProcessSessionId(kernel.systemProcess())).isZero();
    assertThat(kernel.psIsSystemThread(kernel.systemThread())).isTrue();
    assertThat(kernel.psIsSystemThread(host.firstThread(cmd))).isFalse();
  }

  @Test
  void everyPrimaryTokenReferenceMustBeReleasedAndOneTooManyBugChecks() {
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    ProcessToken token = kernel.psReferencePrimaryToken(cmd);
    assertThat(kernel.tokenReferencesOutstanding()).isOne();

    kernel.psDereferencePrimaryToken(token);

    assertThat(kernel.tokenReferencesOutstanding()).isZero();
    assertThatThrownBy(() -> kernel.psDereferencePrimaryToken(token))
        .isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code()).isEqualTo(BugCheck.REFERENCE_BY_POINTER);
  }

  @Test
  void attachingSwitchesTheCurrentProcessButNotTheCurrentProcessId() {
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");

    KApcState state = kernel.keStackAttachProcess(cmd);
    assertThat(kernel.psGetCurrentProcess()).isSameAs(cmd);
    assertThat(kernel.psGetCurrentProcessId()).isEqualTo(Kernel.SYSTEM_PROCESS_ID);
    kernel.keUnstackDetachProcess(state);

    assertThat(kernel.psGetCurrentProcess()).isSameAs(kernel.systemProcess());
  }

  @Test
  void detachingOutOfOrderBugChecksInvalidProcessDetachAttempt() {
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    EProcess notepad = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    KApcState outer = kernel.keStackAttachProcess(cmd);
    kernel.keStackAttachProcess(notepad);

    assertThatThrownBy(() -> kernel.keUnstackDetachProcess(outer))
        .isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code()).isEqualTo(BugCheck.INVALID_PROCESS_DETACH_ATTEMPT);
  }
}
