package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One case per row of the README's routine table: the routine works at the highest IRQL its
 * Microsoft page allows and bug checks 0xA one level above it ("any" routines are called at
 * DISPATCH_LEVEL, the highest level modelled).
 */
class DocumentedBoundsTest {
  private static final Path README = Path.of("..", "README.md");

  /** A booted host with a running process, its thread and a loaded driver to call routines on. */
  private static final class Fixture {
    final TestHost host = new TestHost();
    final Kernel kernel = host.kernel;
    final DriverObject driver = host.emptyDriver(true);
    final EProcess process = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    final EThread thread = host.firstThread(process);
  }

  private record Case(Irql bound, Consumer<Fixture> call) {}

  private static final Map<String, Case> CASES = new LinkedHashMap<>();

  private static void row(String routine, Irql bound, Consumer<Fixture> call) {
    CASES.put(routine, new Case(bound, call));
  }

  static {
    row(
        "PsSetCreateProcessNotifyRoutineEx",
        Irql.PASSIVE_LEVEL,
        f ->
            assertThat(
                    f.kernel.psSetCreateProcessNotifyRoutineEx(f.driver, (p, pid, i) -> {}, true))
                .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND));
    row(
        "PsSetCreateProcessNotifyRoutine",
        Irql.PASSIVE_LEVEL,
        f ->
            assertThat(f.kernel.psSetCreateProcessNotifyRoutine(f.driver, (pp, p, c) -> {}, true))
                .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND));
    row(
        "PsSetCreateProcessNotifyRoutineEx2",
        Irql.PASSIVE_LEVEL,
        f ->
            assertThat(
                    f.kernel.psSetCreateProcessNotifyRoutineEx2(
                        f.driver,
                        PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems,
                        (p, pid, i) -> {},
                        true))
                .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND));
    row(
        "PsSetCreateThreadNotifyRoutineEx",
        Irql.PASSIVE_LEVEL,
        f -> {
          CreateThreadNotifyRoutine routine = (pid, tid, create) -> {};
          assertThat(
                  f.kernel.psSetCreateThreadNotifyRoutineEx(
                      f.driver, PsCreateThreadNotifyType.PsCreateThreadNotifyNonSystem, routine))
              .isEqualTo(NtStatus.STATUS_SUCCESS);
          f.kernel.psRemoveCreateThreadNotifyRoutine(routine);
        });
    row(
        "PsSetLoadImageNotifyRoutineEx",
        Irql.PASSIVE_LEVEL,
        f ->
            assertThat(f.kernel.psSetLoadImageNotifyRoutineEx(f.driver, (n, p, i) -> {}, 4))
                .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_2));
    row(
        "PsDereferencePrimaryToken",
        Irql.APC_LEVEL,
        f -> {
          Irql level = f.kernel.keGetCurrentIrql();
          f.kernel.keLowerIrql(Irql.PASSIVE_LEVEL);
          ProcessToken token = f.kernel.psReferencePrimaryToken(f.process);
          f.kernel.keRaiseIrql(level);
          f.kernel.psDereferencePrimaryToken(token);
          assertThat(f.kernel.tokenReferencesOutstanding()).isZero();
        });
    row(
        "PsGetProcessExitTime",
        Irql.DISPATCH_LEVEL,
        f -> assertThat(f.kernel.psGetProcessExitTime()).isZero());
    row(
        "PsIsProtectedProcess",
        null,
        f -> assertThat(f.kernel.psIsProtectedProcess(f.process)).isFalse());
    row(
        "PsIsProtectedProcessLight",
        null,
        f -> assertThat(f.kernel.psIsProtectedProcessLight(f.process)).isFalse());
    row(
        "PsGetProcessSessionId",
        null,
        f -> assertThat(f.kernel.psGetProcessSessionId(f.process)).isOne());
    row("PsIsSystemThread", null, f -> assertThat(f.kernel.psIsSystemThread(f.thread)).isFalse());
    row(
        "KeStackAttachProcess",
        Irql.APC_LEVEL,
        f -> {
          KApcState state = f.kernel.keStackAttachProcess(f.process);
          assertThat(f.kernel.psGetCurrentProcess()).isSameAs(f.process);
          f.kernel.keUnstackDetachProcess(state);
        });
    row(
        "KeUnstackDetachProcess",
        Irql.APC_LEVEL,
        f -> {
          Irql level = f.kernel.keGetCurrentIrql();
          f.kernel.keLowerIrql(Irql.PASSIVE_LEVEL);
          KApcState state = f.kernel.keStackAttachProcess(f.process);
          f.kernel.keRaiseIrql(level);
          f.kernel.keUnstackDetachProcess(state);
        });
    row(
        "PsSetCreateThreadNotifyRoutine",
        Irql.PASSIVE_LEVEL,
        f -> {
          CreateThreadNotifyRoutine routine = (pid, tid, create) -> {};
          assertThat(f.kernel.psSetCreateThreadNotifyRoutine(f.driver, routine))
              .isEqualTo(NtStatus.STATUS_SUCCESS);
          f.kernel.psRemoveCreateThreadNotifyRoutine(routine);
        });
    row(
        "PsRemoveCreateThreadNotifyRoutine",
        Irql.APC_LEVEL,
        f ->
            assertThat(f.kernel.psRemoveCreateThreadNotifyRoutine((pid, tid, create) -> {}))
                .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND));
    row(
        "PsSetLoadImageNotifyRoutine",
        Irql.PASSIVE_LEVEL,
        f -> {
          LoadImageNotifyRoutine routine = (name, pid, info) -> {};
          assertThat(f.kernel.psSetLoadImageNotifyRoutine(f.driver, routine))
              .isEqualTo(NtStatus.STATUS_SUCCESS);
          f.kernel.psRemoveLoadImageNotifyRoutine(routine);
        });
    row(
        "PsRemoveLoadImageNotifyRoutine",
        Irql.APC_LEVEL,
        f ->
            assertThat(f.kernel.psRemoveLoadImageNotifyRoutine((name, pid, info) -> {}))
                .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND));
    row(
        "PsLookupProcessByProcessId",
        Irql.APC_LEVEL,
        f ->
            assertThat(f.kernel.psLookupProcessByProcessId(4001).status())
                .isEqualTo(NtStatus.STATUS_INVALID_CID));
    row(
        "PsLookupThreadByThreadId",
        Irql.APC_LEVEL,
        f ->
            assertThat(f.kernel.psLookupThreadByThreadId(4001).status())
                .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER));
    row(
        "ObReferenceObject",
        Irql.DISPATCH_LEVEL,
        f -> {
          f.kernel.obReferenceObject(f.process);
          f.kernel.obDereferenceObject(f.process);
        });
    row(
        "ObDereferenceObject",
        Irql.DISPATCH_LEVEL,
        f -> {
          f.kernel.obReferenceObject(f.thread);
          f.kernel.obDereferenceObject(f.thread);
        });
    row(
        "SeLocateProcessImageName",
        Irql.PASSIVE_LEVEL,
        f -> {
          LocatedImageName located = f.kernel.seLocateProcessImageName(f.process);
          assertThat(located.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
          assertThat(located.imageFileName().value()).endsWith("\\cmd.exe");
          f.kernel.exFreePool(located.imageFileName());
        });
    row(
        "ExFreePool",
        Irql.DISPATCH_LEVEL,
        f -> {
          // the buffer comes at PASSIVE_LEVEL; only the free runs at the level under test
          Irql level = f.kernel.keGetCurrentIrql();
          f.kernel.keLowerIrql(Irql.PASSIVE_LEVEL);
          UnicodeString buffer = f.kernel.seLocateProcessImageName(f.process).imageFileName();
          f.kernel.keRaiseIrql(level);
          f.kernel.exFreePool(buffer);
          assertThat(f.kernel.poolBuffersOutstanding()).isZero();
        });
    row("ExQueueWorkItem", Irql.DISPATCH_LEVEL, f -> f.kernel.exQueueWorkItem(() -> {}));
    row(
        "PsReferencePrimaryToken",
        Irql.PASSIVE_LEVEL,
        f ->
            assertThat(f.kernel.psReferencePrimaryToken(f.process).user())
                .isEqualTo(TestHost.user().user()));
    row(
        "PsGetProcessExitStatus",
        Irql.APC_LEVEL,
        f ->
            assertThat(f.kernel.psGetProcessExitStatus(f.process))
                .isEqualTo(NtStatus.STATUS_PENDING.code()));
    row(
        "ZwQueryInformationProcess",
        Irql.PASSIVE_LEVEL,
        f -> assertThat(f.kernel.zwQueryProcessCommandLine(f.process)).isEqualTo("cmd.exe"));
    row(
        "ZwQueryInformationThread",
        Irql.PASSIVE_LEVEL,
        f -> assertThat(f.kernel.zwQueryThreadWin32StartAddress(f.thread)).isNotZero());
    row(
        "ObRegisterCallbacks",
        Irql.APC_LEVEL,
        f ->
            assertThat(
                    f.kernel
                        .obRegisterCallbacks(f.driver, new ObCallbackRegistration("1", List.of()))
                        .status())
                .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER));
    row("ObUnRegisterCallbacks", Irql.APC_LEVEL, f -> f.kernel.obUnRegisterCallbacks(new Object()));
    row(
        "KeGetCurrentProcessorNumberEx",
        null,
        f -> assertThat(f.kernel.keGetCurrentProcessorNumber()).isBetween(0, 1));
    row(
        "KeQueryActiveProcessorCount",
        null,
        f -> assertThat(f.kernel.keQueryActiveProcessorCount()).isEqualTo(2));
    row(
        "KeGetCurrentIrql",
        null,
        f -> assertThat(f.kernel.keGetCurrentIrql()).isEqualTo(Irql.DISPATCH_LEVEL));
    row(
        "KeRaiseIrql",
        null,
        f -> assertThat(f.kernel.keRaiseIrql(Irql.DISPATCH_LEVEL)).isEqualTo(Irql.DISPATCH_LEVEL));
    row("KeLowerIrql", null, f -> f.kernel.keLowerIrql(Irql.DISPATCH_LEVEL));
    row(
        "PsGetCurrentProcess",
        null,
        f -> assertThat(f.kernel.psGetCurrentProcess()).isSameAs(f.kernel.systemProcess()));
    row(
        "PsGetCurrentProcessId",
        null,
        f -> assertThat(f.kernel.psGetCurrentProcessId()).isEqualTo(Kernel.SYSTEM_PROCESS_ID));
    row(
        "PsGetCurrentThread",
        null,
        f -> assertThat(f.kernel.psGetCurrentThread()).isSameAs(f.kernel.systemThread()));
    row(
        "PsGetCurrentThreadId",
        null,
        f ->
            assertThat(f.kernel.psGetCurrentThreadId())
                .isEqualTo(f.kernel.psGetThreadId(f.kernel.systemThread())));
    row("PsGetProcessId", null, f -> assertThat(f.kernel.psGetProcessId(f.process) % 4).isZero());
    row("PsGetThreadId", null, f -> assertThat(f.kernel.psGetThreadId(f.thread) % 4).isZero());
    row(
        "PsGetThreadProcessId",
        null,
        f ->
            assertThat(f.kernel.psGetThreadProcessId(f.thread))
                .isEqualTo(f.kernel.psGetProcessId(f.process)));
    row(
        "PsGetThreadProcess",
        null,
        f -> assertThat(f.kernel.psGetThreadProcess(f.thread)).isSameAs(f.process));
    row(
        "PsGetProcessCreateTimeQuadPart",
        null,
        f -> assertThat(f.kernel.psGetProcessCreateTimeQuadPart(f.process)).isPositive());
    row(
        "PsIsThreadTerminating",
        null,
        f -> assertThat(f.kernel.psIsThreadTerminating(f.thread)).isFalse());
    row(
        "PsGetProcessImageFileName",
        null,
        f -> assertThat(f.kernel.psGetProcessImageFileName(f.process)).isEqualTo("cmd.exe"));
    row(
        "PsGetProcessInheritedFromUniqueProcessId",
        null,
        f ->
            assertThat(f.kernel.psGetProcessInheritedFromUniqueProcessId(f.process))
                .isEqualTo(Kernel.SYSTEM_PROCESS_ID));
  }

  @TestFactory
  Stream<DynamicTest> everyRoutineWorksAtItsBoundAndBugChecksAboveIt() {
    return CASES.entrySet().stream()
        .flatMap(
            entry -> {
              String routine = entry.getKey();
              Case c = entry.getValue();
              Irql highest = c.bound() == null ? Irql.DISPATCH_LEVEL : c.bound();
              DynamicTest atBound =
                  DynamicTest.dynamicTest(
                      routine + " at " + highest,
                      () -> {
                        Fixture f = new Fixture();
                        f.kernel.keRaiseIrql(highest);
                        c.call().accept(f);
                        assertThat(f.kernel.isHalted()).as(routine).isFalse();
                      });
              if (highest == Irql.DISPATCH_LEVEL) {
                return Stream.of(atBound);
              }
              Irql above = Irql.values()[highest.ordinal() + 1];
              DynamicTest aboveBound =
                  DynamicTest.dynamicTest(
                      routine + " at " + above + " bug checks",
                      () -> {
                        Fixture f = new Fixture();
                        f.kernel.keRaiseIrql(above);
                        assertThatThrownBy(() -> c.call().accept(f))
                            .isInstanceOf(BugCheckException.class);
                        assertThat(f.kernel.bugCheck().code())
                            .isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
                        assertThat(f.kernel.bugCheck().detail()).startsWith(routine + " ");
                      });
              return Stream.of(atBound, aboveBound);
            });
  }

  @Test
  void theReadmeTableListsExactlyTheRoutinesTestedHere() throws IOException {
    String readme = Files.readString(README);
    String table =
        readme.substring(
            readme.indexOf("<!-- routine-table:start -->"),
            readme.indexOf("<!-- routine-table:end -->"));
    Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]+) \\|").matcher(table);
    Map<String, String> documented = new LinkedHashMap<>();
    while (row.find()) {
      documented.put(row.group(1), row.group(2).trim());
    }

    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(CASES.keySet());
    CASES.forEach(
        (routine, c) ->
            assertThat(documented.get(routine))
                .as(routine)
                .startsWith(c.bound() == null ? "any" : irqlText(c.bound())));
  }

  private static String irqlText(Irql bound) {
    return bound == Irql.PASSIVE_LEVEL ? "PASSIVE_LEVEL" : "&lt;= " + bound.name();
  }

  @Test
  void keRaiseIrqlToALowerLevelBugChecksIrqlNotGreaterOrEqual() {
    Kernel kernel = new TestHost().kernel;
    kernel.keRaiseIrql(Irql.DISPATCH_LEVEL);

    assertThatThrownBy(() -> kernel.keRaiseIrql(Irql.APC_LEVEL))
        .isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code()).isEqualTo(BugCheck.IRQL_NOT_GREATER_OR_EQUAL);
    assertThat(List.of(kernel.bugCheck().p1(), kernel.bugCheck().p2()))
        .containsExactly((long) Irql.DISPATCH_LEVEL.ordinal(), (long) Irql.APC_LEVEL.ordinal());
  }

  @Test
  void keLowerIrqlToAHigherLevelBugChecksIrqlNotLessOrEqual() {
    Kernel kernel = new TestHost().kernel;

    assertThatThrownBy(() -> kernel.keLowerIrql(Irql.APC_LEVEL))
        .isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
  }
}
