package io.psfleet.agent.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes small evtx_dump-style recordings (SigmaHQ's regression JSON) for tests. */
final class SysmonJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> events = new ArrayList<>();
  private long recordId = 100;

  /** Adds a Sysmon event with {@code fields} (name, value, name, value, ...). */
  SysmonJson event(int eventId, String utcTime, String... fields) {
    return event("Microsoft-Windows-Sysmon", eventId, utcTime, fields);
  }

  SysmonJson event(String provider, int eventId, String utcTime, String... fields) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("RuleName", "-");
    data.put("UtcTime", utcTime);
    for (int i = 0; i < fields.length; i += 2) {
      data.put(fields[i], fields[i + 1]);
    }
    ObjectNode event = JSON.createObjectNode();
    ObjectNode root = event.putObject("Event");
    ObjectNode system = root.putObject("System");
    system.putObject("Provider").putObject("#attributes").put("Name", provider);
    system.put("EventID", eventId);
    system
        .putObject("TimeCreated")
        .putObject("#attributes")
        .put("SystemTime", utcTime.replace(' ', 'T') + "Z");
    system.put("EventRecordID", recordId++);
    system.put("Channel", provider + "/Operational");
    system.put("Computer", "victim-pc");
    ObjectNode eventData = root.putObject("EventData");
    data.forEach(eventData::put);
    events.add(event.toPrettyString());
    return this;
  }

  /** Also a line that is not JSON at all. */
  SysmonJson garbage(String text) {
    events.add(text);
    return this;
  }

  Path write(Path file) throws IOException {
    Files.writeString(file, String.join("\n", events) + "\n");
    return file;
  }

  /** A root cmd.exe started by a recorded powershell.exe, a child, a load, their exits. */
  static SysmonJson attack() {
    return new SysmonJson()
        .event(
            1,
            "2025-01-01 10:00:00.000",
            "ProcessGuid",
            "{11111111-0000-0000-0000-000000000001}",
            "ProcessId",
            "7000",
            "Image",
            "C:\\Windows\\System32\\cmd.exe",
            "OriginalFileName",
            "Cmd.Exe",
            "Description",
            "Windows Command Processor",
            "CommandLine",
            "cmd.exe /c whoami /priv",
            "CurrentDirectory",
            "C:\\Users\\eve\\",
            "User",
            "LAB\\eve",
            "LogonId",
            "0x3b5cb2",
            "TerminalSessionId",
            "1",
            "IntegrityLevel",
            "Medium",
            "Hashes",
            "MD5=45B78461F85D75C970567895A3A2DAE5,SHA256="
                + "9EFDAAAD31A2EFCE37258DABA04906691C0DA76B82E2B0FB36003727DE4F91F7,"
                + "IMPHASH=4E4BD045D7AA40BF798F4D85F28D0A0F",
            "ParentProcessGuid",
            "{11111111-0000-0000-0000-000000000000}",
            "ParentProcessId",
            "6000",
            "ParentImage",
            "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
            "ParentCommandLine",
            "powershell.exe -nop -w hidden",
            "ParentUser",
            "LAB\\eve")
        .event(
            1,
            "2025-01-01 10:00:02.000",
            "ProcessGuid",
            "{11111111-0000-0000-0000-000000000002}",
            "ProcessId",
            "7004",
            "Image",
            "C:\\Windows\\System32\\whoami.exe",
            "CommandLine",
            "whoami /priv",
            "User",
            "LAB\\eve",
            "IntegrityLevel",
            "Medium",
            "ParentProcessGuid",
            "{11111111-0000-0000-0000-000000000001}",
            "ParentProcessId",
            "7000",
            "ParentImage",
            "C:\\Windows\\System32\\cmd.exe")
        .event(
            7,
            "2025-01-01 10:00:02.500",
            "ProcessGuid",
            "{11111111-0000-0000-0000-000000000002}",
            "ProcessId",
            "7004",
            "Image",
            "C:\\Windows\\System32\\whoami.exe",
            "ImageLoaded",
            "C:\\Users\\eve\\AppData\\Local\\Temp\\evil.dll",
            "Signed",
            "false",
            "Signature",
            "-",
            "SignatureStatus",
            "Unavailable",
            "User",
            "LAB\\eve")
        .event(
            3,
            "2025-01-01 10:00:03.000",
            "ProcessGuid",
            "{11111111-0000-0000-0000-000000000002}",
            "DestinationIp",
            "10.0.0.5")
        .event(
            5,
            "2025-01-01 10:00:04.000",
            "ProcessGuid",
            "{11111111-0000-0000-0000-000000000002}",
            "ProcessId",
            "7004",
            "Image",
            "C:\\Windows\\System32\\whoami.exe",
            "User",
            "LAB\\eve");
  }
}
