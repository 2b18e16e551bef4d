package io.psfleet.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.kernel.TestHost;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fields the sensor reports beyond the kernel's arguments, as Sysmon reports them. */
class SensorSysmonFieldsTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final List<TelemetryEvent> events = new ArrayList<>();

  private void loadSensor(SensorConfig config) {
    SensorDriver sensor = new SensorDriver(config, events::add);
    kernel.ioLoadDriver(host.sensorSys, true, sensor::driverEntry);
  }

  @Test
  void processCreateCarriesVersionResourceDirectoryLogonAndParentUser() {
    loadSensor(SensorConfig.of("host-1", 7, new FileHashCache()));
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    host.start(explorer, host.images.powershell, "powershell.exe -NoLogo");

    ProcessCreate ps = last(ProcessCreate.class);
    assertThat(ps.getOriginalFileName()).isEqualTo("PowerShell.EXE");
    assertThat(ps.getDescription()).isEqualTo("Windows PowerShell");
    assertThat(ps.getCompany()).isEqualTo("Microsoft Corporation");
    assertThat(ps.getCurrentDirectory()).isEqualTo("C:\\Windows\\system32\\");
    assertThat(ps.getLogonId()).isEqualTo(0x3b5cb2L);
    assertThat(ps.getLogonGuid()).endsWith("-B25C-3B0000000000}");
    assertThat(ps.getParentUser()).isEqualTo("CORP\\alice");
    ProcessCreate explorerCreate = first(ProcessCreate.class);
    assertThat(explorerCreate.getParentUser()).isEqualTo("NT AUTHORITY\\SYSTEM");
  }

  @Test
  void systemProcessesAreInLogonSession0x3e7() {
    loadSensor(SensorConfig.of("host-1", 7, new FileHashCache()));
    host.start(
        kernel.systemThread(),
        io.psfleet.agent.kernel.ProcessParameters.of(
            host.images.smss, "smss.exe", ProcessToken.SYSTEM));

    ProcessCreate smss = last(ProcessCreate.class);
    assertThat(smss.getLogonId()).isEqualTo(0x3e7L);
    assertThat(smss.getLogonGuid())
        .matches("\\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-E703-000000000000\\}");
  }

  @Test
  void hashAlgorithmsFollowTheConfigurationLikeSysmonsHashAlgorithms() {
    loadSensor(
        SensorConfig.of("host-1", 7, new FileHashCache())
            .withHashAlgorithms(HashAlgorithm.parse("md5,sha256,IMPHASH")));
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    kernel.mapImage(host.firstThread(cmd), host.images.user32);

    ProcessCreate create = first(ProcessCreate.class);
    ImageLoad load = last(ImageLoad.class);
    assertThat(create.getMD5()).isNotNull();
    assertThat(create.getSHA1()).isNull();
    assertThat(create.getHashes()).isNotNull();
    assertThat(create.getIMPHASH()).isNotNull();
    assertThat(load.getSHA1()).isNull();
    assertThat(load.getMD5()).isNotNull();
    assertThat(load.getOriginalFileName()).isEqualTo("user32");
    assertThat(load.getUser()).isEqualTo("CORP\\alice");
  }

  @Test
  void defaultComputesAllFourAndParseKnowsSysmonsSpellings() {
    assertThat(SensorConfig.of("h", 1, new FileHashCache()).hashAlgorithms())
        .isEqualTo(EnumSet.allOf(HashAlgorithm.class));
    assertThat(HashAlgorithm.parse("*")).isEqualTo(Set.of(HashAlgorithm.values()));
    assertThat(HashAlgorithm.parse("SHA1, md5"))
        .containsExactlyInAnyOrder(HashAlgorithm.SHA1, HashAlgorithm.MD5);
    assertThatThrownBy(() -> HashAlgorithm.parse("md5,crc32"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("crc32");
  }

  @Test
  void exitAndThreadEventsNameTheirUsers() {
    loadSensor(SensorConfig.of("host-1", 7, new FileHashCache()));
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    kernel.createThread(
        host.firstThread(kernel.systemProcess()), cmd, kernel.imageBase(host.images.cmd) + 0x2000);
    kernel.terminateProcess(cmd, 0xC000013A);

    ThreadCreate remote = last(ThreadCreate.class);
    assertThat(remote.getSourceUser()).isEqualTo("NT AUTHORITY\\SYSTEM");
    assertThat(remote.getTargetUser()).isEqualTo("CORP\\alice");
    ProcessExit exit = last(ProcessExit.class);
    assertThat(exit.getUser()).isEqualTo("CORP\\alice");
    assertThat(exit.getExitStatus()).isEqualTo(0xC000013A);
  }

  private <T> T last(Class<T> type) {
    T found = null;
    for (TelemetryEvent e : events) {
      if (type.isInstance(e.getBody())) {
        found = type.cast(e.getBody());
      }
    }
    return found;
  }

  private <T> T first(Class<T> type) {
    for (TelemetryEvent e : events) {
      if (type.isInstance(e.getBody())) {
        return type.cast(e.getBody());
      }
    }
    return null;
  }
}
