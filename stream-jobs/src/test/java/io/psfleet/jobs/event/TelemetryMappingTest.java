package io.psfleet.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.schema.EventHeader;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.IntegrityLevel;
import io.psfleet.schema.Md5;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.Sha1;
import io.psfleet.schema.Sha256;
import io.psfleet.schema.SignatureStatus;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import io.psfleet.schema.sysmon.SysmonFields;
import org.junit.jupiter.api.Test;

class TelemetryMappingTest {
  private static final EventHeader HEADER =
      new EventHeader("host-1", 7L, 42L, 1_764_316_741_337_000_000L, "s");

  @Test
  void processCreateV2FieldsReachTelemetryAndSysmonFields() {
    ProcessCreate p =
        ProcessCreate.newBuilder()
            .setProcessGuid(5)
            .setProcessId(8752)
            .setImage("C:\\Windows\\System32\\cmd.exe")
            .setCommandLine("cmd.exe /c whoami")
            .setUser("CORP\\bob")
            .setIntegrityLevel(IntegrityLevel.HIGH)
            .setTerminalSessionId(1)
            .setHashes(new Sha256(bytes(32, 1)))
            .setParentProcessId(8056)
            .setCreatorProcessId(8056)
            .setCreatorThreadId(8060)
            .setOriginalFileName("Cmd.Exe")
            .setDescription("Windows Command Processor")
            .setProduct("Microsoft\u00ae Windows\u00ae Operating System")
            .setCompany("Microsoft Corporation")
            .setFileVersion("10.0.19041.4355 (WinBuild.160101.0800)")
            .setCurrentDirectory("C:\\Users\\bob\\")
            .setLogonId(0x3b5cb2L)
            .setLogonGuid("{0197231E-B736-6923-B25C-3B0000000000}")
            .setParentUser("CORP\\bob")
            .setMD5(new Md5(bytes(16, 2)))
            .setSHA1(new Sha1(bytes(20, 3)))
            .setIMPHASH(new Md5(bytes(16, 4)))
            .build();

    Telemetry t = TelemetryMapping.from(new TelemetryEvent(HEADER, p));
    SysmonFields s = SysmonFields.of(t);

    assertThat(t.originalFileName()).isEqualTo("Cmd.Exe");
    assertThat(t.terminalSessionId()).isEqualTo(1);
    assertThat(s.field("LogonId")).isEqualTo("0x3b5cb2");
    assertThat(s.field("CurrentDirectory")).isEqualTo("C:\\Users\\bob\\");
    assertThat(s.field("IntegrityLevel")).isEqualTo("High");
    assertThat(s.field("UtcTime")).isEqualTo("2025-11-28 07:59:01.337");
    assertThat(s.field("Hashes"))
        .matches("SHA1=[0-9A-F]{40},MD5=[0-9A-F]{32},SHA256=[0-9A-F]{64},IMPHASH=[0-9A-F]{32}");
    assertThat(s.field("ParentImage")).as("parent unknown to the sensor").isEqualTo("-");
  }

  @Test
  void imageLoadExitAndThreadCarryTheirUsers() {
    ImageLoad load =
        ImageLoad.newBuilder()
            .setProcessGuid(5L)
            .setProcessId(8)
            .setImage("C:\\a.exe")
            .setImageLoaded("C:\\Users\\Public\\p.dll")
            .setSigned(false)
            .setSignatureStatus(SignatureStatus.UNSIGNED)
            .setImageBase(0x10000)
            .setImageSize(0x3000)
            .setUser("CORP\\bob")
            .build();
    ProcessExit exit = new ProcessExit(5L, 8, "C:\\a.exe", 0xC000013A, "CORP\\bob");
    ThreadCreate thread =
        ThreadCreate.newBuilder()
            .setTargetProcessGuid(5)
            .setTargetProcessId(8)
            .setTargetImage("C:\\a.exe")
            .setNewThreadId(12)
            .setSourceProcessGuid(6L)
            .setSourceProcessId(16)
            .setSourceThreadId(20)
            .setSourceImage("C:\\b.exe")
            .setStartAddress(0x1000)
            .setRemoteThread(true)
            .setSourceUser("CORP\\eve")
            .setTargetUser("CORP\\bob")
            .build();

    SysmonFields l = SysmonFields.of(TelemetryMapping.from(new TelemetryEvent(HEADER, load)));
    SysmonFields x = SysmonFields.of(TelemetryMapping.from(new TelemetryEvent(HEADER, exit)));
    SysmonFields r = SysmonFields.of(TelemetryMapping.from(new TelemetryEvent(HEADER, thread)));

    assertThat(l.field("User")).isEqualTo("CORP\\bob");
    assertThat(l.field("SignatureStatus")).isEqualTo("Unavailable");
    assertThat(l.field("OriginalFileName")).isEqualTo("-");
    assertThat(x.field("User")).isEqualTo("CORP\\bob");
    assertThat(r.field("SourceUser")).isEqualTo("CORP\\eve");
    assertThat(r.field("TargetUser")).isEqualTo("CORP\\bob");
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 13 + i);
    }
    return b;
  }

  @Test
  void hashesAreWrittenAsHexFormatWritesThemForEveryByte() {
    java.util.Random random = new java.util.Random(7);
    for (int n = 0; n < 256; n++) {
      byte[] bytes = new byte[1 + random.nextInt(64)];
      random.nextBytes(bytes);
      bytes[0] = (byte) n; // every byte value, negative ones included, in the first position
      org.apache.avro.generic.GenericFixed hash =
          new org.apache.avro.generic.GenericData.Fixed(
              org.apache.avro.Schema.createFixed("h", null, null, bytes.length), bytes);

      assertThat(TelemetryMapping.hex(hash)).isEqualTo(java.util.HexFormat.of().formatHex(bytes));
    }
  }
}
