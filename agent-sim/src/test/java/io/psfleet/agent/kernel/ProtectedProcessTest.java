package io.psfleet.agent.kernel;

import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_ALL_ACCESS;
import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_QUERY_LIMITED_INFORMATION;
import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_VM_READ;
import static io.psfleet.agent.kernel.ProcessAccessRights.THREAD_ALL_ACCESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.sensor.FileHashCache;
import io.psfleet.agent.sensor.SensorConfig;
import io.psfleet.agent.sensor.SensorDriver;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.TelemetryEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lsass as a protected process light (RunAsPPL), and what unprotected callers get of it. */
class ProtectedProcessTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final EProcess lsass =
      host.start(
          kernel.systemThread(),
          ProcessParameters.of(host.images.lsass, "lsass.exe", ProcessToken.SYSTEM)
              .withProtection(PsProtection.LSA_LIGHT));
  private final EProcess mimikatz =
      host.start(
          kernel.systemThread(),
          ProcessParameters.of(host.images.cmd, "mimikatz.exe", ProcessToken.SYSTEM));

  @Test
  void lsassIsAProtectedProcessLightAndSystemAFullyProtectedOne() {
    assertThat(kernel.psIsProtectedProcessLight(lsass)).isTrue();
    assertThat(kernel.psIsProtectedProcess(lsass)).isTrue();
    assertThat(kernel.psIsProtectedProcess(kernel.systemProcess())).isTrue();
    assertThat(kernel.psIsProtectedProcessLight(kernel.systemProcess())).isFalse();
    assertThat(kernel.psIsProtectedProcess(mimikatz)).isFalse();
    assertThat(kernel.psIsProtectedProcessLight(mimikatz)).isFalse();
  }

  @Test
  void aSystemProcessWithoutProtectionIsRefusedMemoryReadsOfLsassButGetsLimitedAccess() {
    EThread opener = host.firstThread(mimikatz);

    Handle dump =
        kernel.openProcess(opener, lsass, PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ);
    Handle all = kernel.openProcess(opener, lsass, PROCESS_ALL_ACCESS);
    Handle query = kernel.openProcess(opener, lsass, PROCESS_QUERY_LIMITED_INFORMATION);

    assertThat(dump.status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
    assertThat(dump.object()).isNull();
    assertThat(all.status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
    assertThat(query.succeeded()).isTrue();
    assertThat(query.grantedAccess()).isEqualTo(PROCESS_QUERY_LIMITED_INFORMATION);
    assertThat(kernel.openProcess(opener, mimikatz, PROCESS_ALL_ACCESS).succeeded()).isTrue();
  }

  @Test
  void aCallerWhoseProtectionDominatesGetsFullAccessAndLsassItselfToo() {
    EProcess winTcb =
        host.start(
            kernel.systemThread(),
            ProcessParameters.of(host.images.svchost, "svchost.exe", ProcessToken.SYSTEM)
                .withProtection(
                    new PsProtection(
                        PsProtection.Type.PsProtectedTypeProtectedLight,
                        PsProtection.Signer.PsProtectedSignerWinTcb)));
    EProcess antimalware =
        host.start(
            kernel.systemThread(),
            ProcessParameters.of(host.images.svchost, "MsMpEng.exe", ProcessToken.SYSTEM)
                .withProtection(
                    new PsProtection(
                        PsProtection.Type.PsProtectedTypeProtectedLight,
                        PsProtection.Signer.PsProtectedSignerAntimalware)));

    assertThat(kernel.openProcess(host.firstThread(winTcb), lsass, PROCESS_ALL_ACCESS).succeeded())
        .isTrue();
    assertThat(kernel.openProcess(host.firstThread(lsass), lsass, PROCESS_ALL_ACCESS).succeeded())
        .isTrue();
    assertThat(kernel.openProcess(kernel.systemThread(), lsass, PROCESS_ALL_ACCESS).succeeded())
        .isTrue();
    assertThat(
            kernel.openProcess(host.firstThread(antimalware), lsass, PROCESS_ALL_ACCESS).status())
        .as("a lower signer does not dominate Lsa")
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
  }

  @Test
  void theThreadsOfAProtectedProcessAreProtectedTooAndNoRemoteThreadGetsIn() {
    EThread opener = host.firstThread(mimikatz);
    EThread lsassThread = host.firstThread(lsass);
    int threadsBefore = kernel.threadsOf(lsass).size();

    assertThat(kernel.openThread(opener, lsassThread, THREAD_ALL_ACCESS).status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
    assertThat(
            kernel.openThread(opener, lsassThread, PsProtection.THREAD_LIMITED_ACCESS).succeeded())
        .isTrue();
    assertThat(
            kernel
                .createThread(
                    opener, lsass, kernel.exportAddress(host.images.kernel32, "LoadLibraryW"))
                .status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
    assertThat(kernel.threadsOf(lsass)).hasSize(threadsBefore);
  }

  @Test
  void postRoutinesSeeTheRefusalAndTheSensorReportsOnlyTheAccessGranted() {
    List<TelemetryEvent> events = new ArrayList<>();
    SensorDriver sensor =
        new SensorDriver(SensorConfig.of("host-ppl", 3, new FileHashCache()), events::add);
    host.loadDriver(true, sensor::driverEntry);
    List<String> post = new ArrayList<>();
    kernel.obRegisterCallbacks(
        host.emptyDriver(true),
        new ObCallbackRegistration(
            "320000",
            List.of(
                new ObOperationRegistration(
                    ObObjectType.PsProcessType,
                    EnumSet.of(ObOperation.OB_OPERATION_HANDLE_CREATE),
                    null,
                    info ->
                        post.add(
                            NtStatus.describe(info.returnStatus())
                                + " "
                                + Integer.toHexString(info.grantedAccess()))))));
    EThread opener = host.firstThread(mimikatz);

    kernel.openProcess(opener, lsass, PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ);
    kernel.openProcess(opener, lsass, PROCESS_QUERY_LIMITED_INFORMATION);

    assertThat(post).hasSize(2);
    assertThat(post.get(0)).contains("ACCESS_DENIED").endsWith(" 0");
    assertThat(post.get(1)).endsWith(" 1000");
    assertThat(events.stream().map(TelemetryEvent::getBody).filter(ProcessAccess.class::isInstance))
        .singleElement()
        .satisfies(
            b ->
                assertThat(((ProcessAccess) b).getGrantedAccess())
                    .isEqualTo(PROCESS_QUERY_LIMITED_INFORMATION));
  }
}
