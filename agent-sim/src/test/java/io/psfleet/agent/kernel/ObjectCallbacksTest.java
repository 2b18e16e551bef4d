package io.psfleet.agent.kernel;

import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_ALL_ACCESS;
import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_QUERY_LIMITED_INFORMATION;
import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_VM_READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ObRegisterCallbacks on process and thread handles: pre and post, create and duplicate. */
class ObjectCallbacksTest {
  private static final Set<ObOperation> BOTH =
      Set.of(ObOperation.OB_OPERATION_HANDLE_CREATE, ObOperation.OB_OPERATION_HANDLE_DUPLICATE);

  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final DriverObject driver = host.emptyDriver(true);
  private final List<String> seen = new ArrayList<>();
  private final EProcess lsass = host.start(kernel.systemProcess(), host.images.lsass, "lsass.exe");
  private final EProcess tool = host.start(kernel.systemProcess(), host.images.cmd, "tool.exe");

  private ObRegistrationHandle register(String altitude, ObOperationRegistration... operations) {
    return kernel.obRegisterCallbacks(
        driver, new ObCallbackRegistration(altitude, List.of(operations)));
  }

  /** A protecting driver: no one but lsass itself may read lsass's memory. */
  private ObOperationRegistration protectLsass() {
    return new ObOperationRegistration(
        ObObjectType.PsProcessType,
        BOTH,
        info -> {
          seen.add("pre " + info.operation() + " " + Integer.toHexString(info.desiredAccess()));
          if (info.object() == lsass && kernel.psGetCurrentProcess() != lsass) {
            info.setDesiredAccess(info.desiredAccess() & ~PROCESS_VM_READ);
          }
        },
        info ->
            seen.add("post " + info.operation() + " " + Integer.toHexString(info.grantedAccess())));
  }

  @Test
  void aPreRoutineStripsDesiredAccessAndThePostRoutineSeesWhatWasGranted() {
    assertThat(register("321000", protectLsass()).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    Handle handle =
        kernel.openProcess(
            host.firstThread(tool), lsass, PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ);

    assertThat(handle.succeeded()).isTrue();
    assertThat(handle.grantedAccess()).isEqualTo(PROCESS_QUERY_LIMITED_INFORMATION);
    assertThat(seen)
        .containsExactly(
            "pre OB_OPERATION_HANDLE_CREATE 1010", "post OB_OPERATION_HANDLE_CREATE 1000");
  }

  @Test
  void aRoutineCannotGrantMoreThanWasAsked() {
    register(
        "321000",
        new ObOperationRegistration(
            ObObjectType.PsProcessType,
            BOTH,
            info -> info.setDesiredAccess(PROCESS_ALL_ACCESS),
            null));

    Handle handle =
        kernel.openProcess(host.firstThread(tool), lsass, PROCESS_QUERY_LIMITED_INFORMATION);

    assertThat(handle.grantedAccess()).isEqualTo(PROCESS_QUERY_LIMITED_INFORMATION);
  }

  @Test
  void aDuplicateIsSeenAsSuchAndKeepsAtMostTheSourceAccess() {
    Handle source =
        kernel.openProcess(host.firstThread(tool), lsass, PROCESS_QUERY_LIMITED_INFORMATION);
    register(
        "321000",
        new ObOperationRegistration(
            ObObjectType.PsProcessType,
            Set.of(ObOperation.OB_OPERATION_HANDLE_DUPLICATE),
            info -> seen.add("pre " + info.operation()),
            null));

    Handle duplicate = kernel.duplicateHandle(host.firstThread(tool), source, PROCESS_ALL_ACCESS);
    kernel.openProcess(host.firstThread(tool), lsass, PROCESS_VM_READ);

    assertThat(duplicate.grantedAccess()).isEqualTo(PROCESS_QUERY_LIMITED_INFORMATION);
    assertThat(seen).containsExactly("pre OB_OPERATION_HANDLE_DUPLICATE");
  }

  @Test
  void threadRegistrationsSeeOnlyThreadHandlesInTheOpenersContext() {
    register(
        "321000",
        new ObOperationRegistration(
            ObObjectType.PsThreadType,
            BOTH,
            info -> seen.add("thread opened by " + kernel.psGetCurrentProcessId()),
            null));

    kernel.openProcess(host.firstThread(tool), lsass, PROCESS_VM_READ);
    kernel.openThread(host.firstThread(tool), host.firstThread(lsass), 0x0040);

    assertThat(seen).containsExactly("thread opened by " + kernel.psGetProcessId(tool));
  }

  @Test
  void callbacksRunHighestAltitudeFirst() {
    register("100000", op("low"));
    DriverObject other = host.emptyDriver(true);
    kernel.obRegisterCallbacks(other, new ObCallbackRegistration("380000", List.of(op("high"))));

    kernel.openProcess(host.firstThread(tool), lsass, PROCESS_VM_READ);

    assertThat(seen).containsExactly("high", "low");
  }

  private ObOperationRegistration op(String name) {
    return new ObOperationRegistration(
        ObObjectType.PsProcessType, BOTH, info -> seen.add(name), null);
  }

  @Test
  void registrationStatusesAreTheDocumentedOnes() {
    assertThat(register("321000", op("a")).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(register("321000", op("b")).status())
        .isEqualTo(NtStatus.STATUS_FLT_INSTANCE_ALTITUDE_COLLISION);
    assertThat(register("321001").status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(
            register(
                    "321002",
                    new ObOperationRegistration(ObObjectType.PsProcessType, BOTH, null, null))
                .status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(
            kernel
                .obRegisterCallbacks(
                    host.emptyDriver(false), new ObCallbackRegistration("321003", List.of(op("c"))))
                .status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
  }

  @Test
  void unregisteringStopsTheCallbacksAndUnloadingWithoutItBugChecks() {
    ObRegistrationHandle registration = register("321000", op("seen"));
    kernel.obUnRegisterCallbacks(registration.registrationHandle());
    kernel.openProcess(host.firstThread(tool), lsass, PROCESS_VM_READ);
    assertThat(seen).isEmpty();

    DriverObject careless =
        host.loadDriver(
            true,
            (k, d) -> {
              k.obRegisterCallbacks(d, new ObCallbackRegistration("100", List.of(op("x"))));
              d.setDriverUnload(x -> {});
              return NtStatus.STATUS_SUCCESS;
            });

    assertThatThrownBy(() -> kernel.ioUnloadDriver(careless)).isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code())
        .isEqualTo(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
  }
}
