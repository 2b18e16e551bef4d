package io.psfleet.schema.codec;

import io.psfleet.schema.EventHeader;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.IntegrityLevel;
import io.psfleet.schema.Md5;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.Sha1;
import io.psfleet.schema.Sha256;
import io.psfleet.schema.SignatureStatus;
import io.psfleet.schema.SignatureType;
import io.psfleet.schema.SigningLevel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import io.psfleet.schema.ThreadExit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Records with every field set to a value other than its default, so a codec that drops or defaults
 * a field shows up as a difference. {@code optionals} false leaves every nullable null.
 */
final class Samples {

  private Samples() {}

  /** One event per body type, each once with its nullable fields set and once with them null. */
  static List<TelemetryEvent> telemetryEvents() {
    List<TelemetryEvent> events = new ArrayList<>(telemetryEvents(true));
    events.addAll(telemetryEvents(false));
    return events;
  }

  /** One event per body type, in the order of the body union. */
  static List<TelemetryEvent> telemetryEvents(boolean optionals) {
    List<Object> bodies =
        List.of(
            processCreate(optionals),
            processExit(),
            imageLoad(optionals),
            threadCreate(optionals),
            threadExit(),
            processAccess(optionals));
    return IntStream.range(0, bodies.size())
        .mapToObj(
            i ->
                TelemetryEvent.newBuilder().setHeader(header(i + 1)).setBody(bodies.get(i)).build())
        .toList();
  }

  static List<GroundTruth> groundTruths() {
    return List.of(groundTruth(true), groundTruth(false));
  }

  static EventHeader header(long sequence) {
    return EventHeader.newBuilder()
        .setHostId("host-0042.corp.example")
        .setBootId(-7_311_002_115L)
        .setSequence(sequence)
        .setEventTimeNanos(1_764_000_000_123_456_789L)
        .setSensorVersion("psfleet-sensor 0.1.0")
        .build();
  }

  static ProcessCreate processCreate(boolean optionals) {
    return ProcessCreate.newBuilder()
        .setProcessGuid(0x1234_5678_9ABC_DEF0L)
        .setProcessId(4321)
        .setImage("C:\\Windows\\System32\\rundll32.exe")
        .setCommandLine(optionals ? "rundll32.exe C:\\Users\\Public\\p.dll,Start" : null)
        .setUser(optionals ? "CORP\\alice" : null)
        .setIntegrityLevel(IntegrityLevel.HIGH)
        .setTerminalSessionId(2)
        .setHashes(optionals ? sha256(1) : null)
        .setParentProcessGuid(optionals ? 77L : null)
        .setParentProcessId(1200)
        .setParentImage(optionals ? "C:\\Program Files\\Microsoft Office\\WINWORD.EXE" : null)
        .setParentCommandLine(optionals ? "\"WINWORD.EXE\" /n invoice.docm" : null)
        .setCreatorProcessGuid(optionals ? 78L : null)
        .setCreatorProcessId(1300)
        .setCreatorThreadId(1304)
        .setCreatorImage(optionals ? "C:\\Windows\\explorer.exe" : null)
        .setFileOpenNameAvailable(false)
        .setIsSubsystemProcess(true)
        .setCreationStatus(0xC0000022)
        .setCurrentDirectory(optionals ? "C:\\Users\\alice\\Downloads\\" : null)
        .setLogonGuid(optionals ? "{0197231E-B736-6923-B25C-3B0000000000}" : null)
        .setLogonId(optionals ? 0x3b5cb2L : null)
        .setParentUser(optionals ? "CORP\\alice" : null)
        .setOriginalFileName(optionals ? "RUNDLL32.EXE" : null)
        .setDescription(optionals ? "Windows host process (Rundll32)" : null)
        .setProduct(optionals ? "Microsoft\u00ae Windows\u00ae Operating System" : null)
        .setCompany(optionals ? "Microsoft Corporation" : null)
        .setFileVersion(optionals ? "10.0.19041.3636 (WinBuild.160101.0800)" : null)
        .setMD5(optionals ? md5(3) : null)
        .setSHA1(optionals ? sha1(4) : null)
        .setIMPHASH(optionals ? md5(5) : null)
        .build();
  }

  static ProcessExit processExit() {
    return ProcessExit.newBuilder()
        .setProcessGuid(Long.MIN_VALUE)
        .setProcessId(Integer.MAX_VALUE)
        .setImage("C:\\Windows\\System32\\notepad.exe")
        .setExitStatus(-1)
        .setUser("NT AUTHORITY\\SYSTEM")
        .build();
  }

  static ImageLoad imageLoad(boolean optionals) {
    return ImageLoad.newBuilder()
        .setProcessGuid(optionals ? 0x1234_5678_9ABC_DEF0L : null)
        .setProcessId(4321)
        .setImage(optionals ? "C:\\Windows\\System32\\rundll32.exe" : null)
        .setImageLoaded("C:\\Users\\Public\\p.dll")
        .setHashes(optionals ? sha256(2) : null)
        .setSigned(true)
        .setSignature(optionals ? "Contoso Ltd" : null)
        .setSignatureStatus(SignatureStatus.REVOKED)
        .setSystemModeImage(true)
        .setImageSignatureLevel(SigningLevel.CUSTOM_6)
        .setImageSignatureType(SignatureType.PPL_MITIGATED)
        .setImageBase(0x7FFE_0000_0000L)
        .setImageSize(1 << 20)
        .setImagePartialMap(true)
        .setExtendedInfoPresent(false)
        .setUser(optionals ? "CORP\\alice" : null)
        .setOriginalFileName(optionals ? "p.dll" : null)
        .setDescription(optionals ? "" : null)
        .setProduct(optionals ? "Payload" : null)
        .setCompany(optionals ? "Contoso Ltd" : null)
        .setFileVersion(optionals ? "1.0.0.0" : null)
        .setMD5(optionals ? md5(6) : null)
        .setSHA1(optionals ? sha1(7) : null)
        .setIMPHASH(optionals ? md5(8) : null)
        .build();
  }

  static ThreadCreate threadCreate(boolean optionals) {
    return ThreadCreate.newBuilder()
        .setTargetProcessGuid(0x1234_5678_9ABC_DEF0L)
        .setTargetProcessId(4321)
        .setTargetImage("C:\\Windows\\System32\\lsass.exe")
        .setNewThreadId(5555)
        .setSourceProcessGuid(optionals ? 99L : null)
        .setSourceProcessId(6666)
        .setSourceThreadId(6670)
        .setSourceImage(optionals ? "C:\\Users\\Public\\evil.exe" : null)
        .setStartAddress(0x7FFB_1234_5678L)
        .setStartModule(optionals ? "C:\\Windows\\System32\\kernel32.dll" : null)
        .setStartFunction(optionals ? "LoadLibraryW" : null)
        .setRemoteThread(true)
        .setInitialThread(true)
        .setSourceUser(optionals ? "CORP\\mallory" : null)
        .setTargetUser(optionals ? "NT AUTHORITY\\SYSTEM" : null)
        .build();
  }

  static ProcessAccess processAccess(boolean optionals) {
    return ProcessAccess.newBuilder()
        .setSourceProcessGuid(0x0FED_CBA9_8765_4321L)
        .setSourceProcessId(7212)
        .setSourceThreadId(7216)
        .setSourceImage(optionals ? "C:\\Users\\Public\\mimikatz.exe" : null)
        .setTargetProcessGuid(0x1234_5678_9ABC_DEF0L)
        .setTargetProcessId(688)
        .setTargetImage(optionals ? "C:\\Windows\\System32\\lsass.exe" : null)
        .setGrantedAccess(0x1010)
        .setDuplicate(true)
        .setCallTrace(optionals ? "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4" : null)
        .setSourceUser(optionals ? "CORP\\mallory" : null)
        .setTargetUser(optionals ? "NT AUTHORITY\\SYSTEM" : null)
        .build();
  }

  static ThreadExit threadExit() {
    return ThreadExit.newBuilder()
        .setProcessGuid(-1L)
        .setProcessId(0)
        .setThreadId(Integer.MIN_VALUE)
        .build();
  }

  static GroundTruth groundTruth(boolean optionals) {
    return GroundTruth.newBuilder()
        .setScenarioId("scn-0001")
        .setScenario("classic-dll-injection")
        .setTechnique("T1055.001")
        .setLabel(GroundTruthLabel.BENIGN_LOOKALIKE)
        .setHostId("host-0042.corp.example")
        .setBootId(3)
        .setProcessGuids(List.of(1L, -2L, Long.MAX_VALUE))
        .setEventSequences(List.of(10L, 11L, 12L, 400L))
        .setTimeNanos(1_764_000_000_999_000_000L)
        .setDescription(optionals ? "remote thread into lsass, then an unsigned image load" : null)
        .build();
  }

  private static Md5 md5(int seed) {
    return new Md5(bytes(16, seed));
  }

  private static Sha1 sha1(int seed) {
    return new Sha1(bytes(20, seed));
  }

  private static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    IntStream.range(0, length).forEach(i -> bytes[i] = (byte) (seed * 17 + i));
    return bytes;
  }

  private static Sha256 sha256(int seed) {
    byte[] bytes = new byte[32];
    IntStream.range(0, bytes.length).forEach(i -> bytes[i] = (byte) (seed * 31 + i));
    return new Sha256(bytes);
  }
}
