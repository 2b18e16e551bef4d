package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One case per row of the README's routine table: the routine works at the highest IRQL its
 * Microsoft page allows and bug checks 0xA one level above it ("any" routines are called at
 * DISPATCH_LEVEL, the highest level modelled). And every status a row names is one the routine
 * returns, each from a call that produces it, unless the row says it cannot arise in the model.
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

  /** Per routine, each status its row names and a call on a fresh fixture that returns it. */
  private static final Map<String, Map<NtStatus, Function<Fixture, NtStatus>>> STATUSES =
      new LinkedHashMap<>();

  private static void status(String routine, NtStatus status, Function<Fixture, NtStatus> call) {
    STATUSES.computeIfAbsent(routine, r -> new LinkedHashMap<>()).put(status, call);
  }

  /** Registers distinct routines until the call fails; returns the failure. */
  private static NtStatus untilFull(Function<Integer, NtStatus> register) {
    for (int i = 0; i <= Kernel.MAX_NOTIFY_ROUTINES; i++) {
      NtStatus status = register.apply(i);
      if (!status.isSuccess()) {
        assertThat(i).as("slots taken before the failure").isEqualTo(Kernel.MAX_NOTIFY_ROUTINES);
        return status;
      }
    }
    throw new AssertionError("more than " + Kernel.MAX_NOTIFY_ROUTINES + " routines registered");
  }

  private static ObCallbackRegistration obRegistration(String altitude) {
    return new ObCallbackRegistration(
        altitude,
        List.of(
            new ObOperationRegistration(
                ObObjectType.PsProcessType,
                java.util.EnumSet.of(ObOperation.OB_OPERATION_HANDLE_CREATE),
                pre -> {},
                null)));
  }

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

  static {
    CreateProcessNotifyRoutineEx ex = (p, pid, i) -> {};
    status(
        "PsSetCreateProcessNotifyRoutineEx",
        NtStatus.STATUS_SUCCESS,
        f -> f.kernel.psSetCreateProcessNotifyRoutineEx(f.driver, ex, false));
    status(
        "PsSetCreateProcessNotifyRoutineEx",
        NtStatus.STATUS_INVALID_PARAMETER,
        f -> {
          f.kernel.psSetCreateProcessNotifyRoutineEx(f.driver, ex, false);
          return f.kernel.psSetCreateProcessNotifyRoutineEx(f.driver, ex, false);
        });
    status(
        "PsSetCreateProcessNotifyRoutineEx",
        NtStatus.STATUS_ACCESS_DENIED,
        f -> f.kernel.psSetCreateProcessNotifyRoutineEx(f.host.emptyDriver(false), ex, false));
    status(
        "PsSetCreateProcessNotifyRoutineEx",
        NtStatus.STATUS_PROCEDURE_NOT_FOUND,
        f -> f.kernel.psSetCreateProcessNotifyRoutineEx(f.driver, ex, true));
    CreateProcessNotifyRoutine legacy = (ppid, pid, create) -> {};
    status(
        "PsSetCreateProcessNotifyRoutine",
        NtStatus.STATUS_SUCCESS,
        f -> f.kernel.psSetCreateProcessNotifyRoutine(f.host.emptyDriver(false), legacy, false));
    status(
        "PsSetCreateProcessNotifyRoutine",
        NtStatus.STATUS_INVALID_PARAMETER,
        f ->
            untilFull(
                i ->
                    f.kernel.psSetCreateProcessNotifyRoutine(
                        f.driver, (ppid, pid, create) -> i.hashCode(), false)));
    status(
        "PsSetCreateProcessNotifyRoutine",
        NtStatus.STATUS_PROCEDURE_NOT_FOUND,
        f -> f.kernel.psSetCreateProcessNotifyRoutine(f.driver, legacy, true));
    PsCreateProcessNotifyType subsystems =
        PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems;
    status(
        "PsSetCreateProcessNotifyRoutineEx2",
        NtStatus.STATUS_SUCCESS,
        f -> f.kernel.psSetCreateProcessNotifyRoutineEx2(f.driver, subsystems, ex, false));
    status(
        "PsSetCreateProcessNotifyRoutineEx2",
        NtStatus.STATUS_INVALID_PARAMETER,
        f ->
            untilFull(
                i ->
                    f.kernel.psSetCreateProcessNotifyRoutineEx2(
                        f.driver, subsystems, (p, pid, info) -> i.hashCode(), false)));
    status(
        "PsSetCreateProcessNotifyRoutineEx2",
        NtStatus.STATUS_ACCESS_DENIED,
        f ->
            f.kernel.psSetCreateProcessNotifyRoutineEx2(
                f.host.emptyDriver(false), subsystems, ex, false));
    status(
        "PsSetCreateProcessNotifyRoutineEx2",
        NtStatus.STATUS_PROCEDURE_NOT_FOUND,
        f -> f.kernel.psSetCreateProcessNotifyRoutineEx2(f.driver, subsystems, ex, true));
    for (PsCreateThreadNotifyType type : PsCreateThreadNotifyType.values()) {
      status(
          "PsSetCreateThreadNotifyRoutineEx",
          NtStatus.STATUS_SUCCESS,
          f -> f.kernel.psSetCreateThreadNotifyRoutineEx(f.driver, type, (pid, tid, create) -> {}));
    }
    status(
        "PsSetCreateThreadNotifyRoutineEx",
        NtStatus.STATUS_INSUFFICIENT_RESOURCES,
        f ->
            untilFull(
                i ->
                    f.kernel.psSetCreateThreadNotifyRoutineEx(
                        f.driver,
                        PsCreateThreadNotifyType.PsCreateThreadNotifyNonSystem,
                        (pid, tid, create) -> {})));
    status(
        "PsSetLoadImageNotifyRoutineEx",
        NtStatus.STATUS_SUCCESS,
        f ->
            f.kernel.psSetLoadImageNotifyRoutineEx(
                f.driver, (n, p, i) -> {}, Kernel.PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE));
    status(
        "PsSetLoadImageNotifyRoutineEx",
        NtStatus.STATUS_INVALID_PARAMETER_2,
        f -> f.kernel.psSetLoadImageNotifyRoutineEx(f.driver, (n, p, i) -> {}, 2));
    status(
        "PsSetLoadImageNotifyRoutineEx",
        NtStatus.STATUS_INSUFFICIENT_RESOURCES,
        f -> untilFull(i -> f.kernel.psSetLoadImageNotifyRoutineEx(f.driver, (n, p, x) -> {}, 0)));
    status(
        "SeLocateProcessImageName",
        NtStatus.STATUS_SUCCESS,
        f -> {
          LocatedImageName located = f.kernel.seLocateProcessImageName(f.process);
          f.kernel.exFreePool(located.imageFileName());
          return located.status();
        });
    status(
        "PsSetCreateThreadNotifyRoutine",
        NtStatus.STATUS_SUCCESS,
        f -> f.kernel.psSetCreateThreadNotifyRoutine(f.driver, (pid, tid, create) -> {}));
    status(
        "PsSetCreateThreadNotifyRoutine",
        NtStatus.STATUS_INSUFFICIENT_RESOURCES,
        f -> untilFull(i -> f.kernel.psSetCreateThreadNotifyRoutine(f.driver, (p, t, c) -> {})));
    CreateThreadNotifyRoutine thread = (pid, tid, create) -> {};
    status(
        "PsRemoveCreateThreadNotifyRoutine",
        NtStatus.STATUS_SUCCESS,
        f -> {
          f.kernel.psSetCreateThreadNotifyRoutine(f.driver, thread);
          return f.kernel.psRemoveCreateThreadNotifyRoutine(thread);
        });
    status(
        "PsRemoveCreateThreadNotifyRoutine",
        NtStatus.STATUS_PROCEDURE_NOT_FOUND,
        f -> f.kernel.psRemoveCreateThreadNotifyRoutine(thread));
    status(
        "PsSetLoadImageNotifyRoutine",
        NtStatus.STATUS_SUCCESS,
        f -> f.kernel.psSetLoadImageNotifyRoutine(f.driver, (n, p, i) -> {}));
    status(
        "PsSetLoadImageNotifyRoutine",
        NtStatus.STATUS_INSUFFICIENT_RESOURCES,
        f -> untilFull(i -> f.kernel.psSetLoadImageNotifyRoutine(f.driver, (n, p, x) -> {})));
    LoadImageNotifyRoutine image = (n, p, i) -> {};
    status(
        "PsRemoveLoadImageNotifyRoutine",
        NtStatus.STATUS_SUCCESS,
        f -> {
          f.kernel.psSetLoadImageNotifyRoutine(f.driver, image);
          return f.kernel.psRemoveLoadImageNotifyRoutine(image);
        });
    status(
        "PsRemoveLoadImageNotifyRoutine",
        NtStatus.STATUS_PROCEDURE_NOT_FOUND,
        f -> f.kernel.psRemoveLoadImageNotifyRoutine(image));
    status(
        "PsLookupProcessByProcessId",
        NtStatus.STATUS_SUCCESS,
        f -> {
          Lookup<EProcess> found = f.kernel.psLookupProcessByProcessId(f.process.processId());
          f.kernel.obDereferenceObject(found.object());
          return found.status();
        });
    status(
        "PsLookupProcessByProcessId",
        NtStatus.STATUS_INVALID_CID,
        f -> f.kernel.psLookupProcessByProcessId(f.thread.threadId()).status());
    status(
        "PsLookupThreadByThreadId",
        NtStatus.STATUS_SUCCESS,
        f -> {
          Lookup<EThread> found = f.kernel.psLookupThreadByThreadId(f.thread.threadId());
          f.kernel.obDereferenceObject(found.object());
          return found.status();
        });
    status(
        "PsLookupThreadByThreadId",
        NtStatus.STATUS_INVALID_PARAMETER,
        f -> f.kernel.psLookupThreadByThreadId(f.process.processId()).status());
    status(
        "PsGetProcessExitStatus",
        NtStatus.STATUS_PENDING,
        f ->
            f.kernel.psGetProcessExitStatus(f.process) == NtStatus.STATUS_PENDING.code()
                ? NtStatus.STATUS_PENDING
                : NtStatus.STATUS_SUCCESS);
    status(
        "ObRegisterCallbacks",
        NtStatus.STATUS_SUCCESS,
        f -> f.kernel.obRegisterCallbacks(f.driver, obRegistration("320000")).status());
    status(
        "ObRegisterCallbacks",
        NtStatus.STATUS_INVALID_PARAMETER,
        f ->
            f.kernel
                .obRegisterCallbacks(f.driver, new ObCallbackRegistration(null, List.of()))
                .status());
    status(
        "ObRegisterCallbacks",
        NtStatus.STATUS_ACCESS_DENIED,
        f ->
            f.kernel
                .obRegisterCallbacks(f.host.emptyDriver(false), obRegistration("320000"))
                .status());
    status(
        "ObRegisterCallbacks",
        NtStatus.STATUS_FLT_INSTANCE_ALTITUDE_COLLISION,
        f -> {
          f.kernel.obRegisterCallbacks(f.driver, obRegistration("320000"));
          return f.kernel.obRegisterCallbacks(f.driver, obRegistration("320000")).status();
        });
  }

  /** The statuses a row names, less those it says cannot arise in the model. */
  private static Set<NtStatus> statusesNamed(String returns) {
    String reachable = returns.replaceAll("\\([^()]*cannot arise[^()]*\\)", "");
    Set<NtStatus> named = new java.util.LinkedHashSet<>();
    Matcher status = Pattern.compile("`(STATUS_\\w+)`").matcher(reachable);
    while (status.find()) {
      named.add(NtStatus.valueOf(status.group(1)));
    }
    return named;
  }

  @TestFactory
  Stream<DynamicTest> everyStatusARowNamesIsOneTheRoutineReturns() throws IOException {
    Map<String, String> returns = routineTable(3);
    return returns.entrySet().stream()
        .flatMap(
            row -> {
              Set<NtStatus> named = statusesNamed(row.getValue());
              Map<NtStatus, Function<Fixture, NtStatus>> calls =
                  STATUSES.getOrDefault(row.getKey(), Map.of());
              DynamicTest listed =
                  DynamicTest.dynamicTest(
                      row.getKey() + " names exactly the statuses tested",
                      () -> assertThat(calls.keySet()).as(row.getKey()).isEqualTo(named));
              return Stream.concat(
                  Stream.of(listed),
                  calls.entrySet().stream()
                      .map(
                          c ->
                              DynamicTest.dynamicTest(
                                  row.getKey() + " returns " + c.getKey(),
                                  () -> {
                                    Fixture f = new Fixture();
                                    assertThat(c.getValue().apply(f)).isEqualTo(c.getKey());
                                    assertThat(f.kernel.isHalted()).isFalse();
                                  })));
            });
  }

  /** The routine table's column {@code column} (1: IRQL, 3: returns), by routine. */
  private static Map<String, String> routineTable(int column) throws IOException {
    String readme = Files.readString(README);
    String table =
        readme.substring(
            readme.indexOf("<!-- routine-table:start -->"),
            readme.indexOf("<!-- routine-table:end -->"));
    Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]+) \\| ([^|]+) \\|").matcher(table);
    Map<String, String> documented = new LinkedHashMap<>();
    while (row.find()) {
      documented.put(row.group(1), row.group(column == 1 ? 2 : 3).trim());
    }
    return documented;
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
    Map<String, String> documented = routineTable(1);

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
