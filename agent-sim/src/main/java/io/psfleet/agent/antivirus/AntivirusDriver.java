package io.psfleet.agent.antivirus;

import io.psfleet.agent.kernel.CreateProcessNotifyRoutineEx;
import io.psfleet.agent.kernel.DriverObject;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.agent.kernel.PsCreateNotifyInfo;
import io.psfleet.agent.sensor.ProcessPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * A second security product's driver on the same host: an antivirus that blocks, at creation, the
 * processes its signatures name, with STATUS_VIRUS_INFECTED, as Defender's driver does. It reports
 * nothing to psfleet. Loaded after the sensor, its routine runs after the sensor's, so the sensor
 * has already seen the creation succeed when the antivirus refuses it: the case a sensor must
 * handle to stay truthful.
 */
public final class AntivirusDriver {
  /**
   * The signatures a fleet's antivirus carries: credential-theft tools known by their file name
   * (mimikatz), which no benign program of the workload shares.
   */
  public static final ProcessPolicy CREDENTIAL_THEFT_TOOLS =
      (image, commandLine) ->
          image != null && image.toLowerCase(java.util.Locale.ROOT).endsWith("\\mimikatz.exe");

  private final ProcessPolicy signatures;
  private final CreateProcessNotifyRoutineEx processRoutine = this::onProcessNotify;
  private Kernel kernel;
  private final List<Integer> blockedProcessIds = new ArrayList<>();

  public AntivirusDriver(ProcessPolicy signatures) {
    this.signatures = signatures;
  }

  /** DriverEntry: registers the one process routine. */
  public NtStatus driverEntry(Kernel kernel, DriverObject driverObject) {
    this.kernel = kernel;
    NtStatus status = kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, false);
    if (status.isSuccess()) {
      driverObject.setDriverUnload(
          d -> this.kernel.psSetCreateProcessNotifyRoutineEx(d, processRoutine, true));
    }
    return status;
  }

  /** The process ids of the creations this driver refused, oldest first (its detection log). */
  public List<Integer> blockedProcessIds() {
    return List.copyOf(blockedProcessIds);
  }

  private void onProcessNotify(EProcess process, int processId, PsCreateNotifyInfo createInfo) {
    if (createInfo != null
        && NtStatus.ntSuccess(createInfo.creationStatus())
        && signatures.isMalicious(createInfo.imageFileName(), createInfo.commandLine())) {
      createInfo.setCreationStatus(NtStatus.STATUS_VIRUS_INFECTED.code());
      blockedProcessIds.add(processId);
    }
  }
}
