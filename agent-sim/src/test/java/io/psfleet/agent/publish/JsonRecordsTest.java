package io.psfleet.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.TestHost;
import io.psfleet.agent.sensor.FileHashCache;
import io.psfleet.agent.sensor.SensorConfig;
import io.psfleet.agent.sensor.SensorDriver;
import io.psfleet.schema.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {

  @Test
  void jsonLinesCarryTheSysmonFieldsOfSchemaV2() {
    TestHost host = new TestHost();
    List<TelemetryEvent> events = new ArrayList<>();
    SensorDriver sensor =
        new SensorDriver(SensorConfig.of("host-1", 7, new FileHashCache()), events::add);
    host.kernel.ioLoadDriver(host.sensorSys, true, sensor::driverEntry);
    EProcess explorer =
        host.start(host.kernel.systemProcess(), host.images.explorer, "C:\\Windows\\Explorer.EXE");
    host.start(explorer, host.images.cmd, "cmd.exe /c whoami");

    TelemetryEvent create =
        events.stream()
            .filter(
                e ->
                    e.getBody() instanceof io.psfleet.schema.ProcessCreate p
                        && p.getImage().endsWith("cmd.exe"))
            .findFirst()
            .orElseThrow();
    String json = new String(new JsonRecords().telemetry(create), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("\"OriginalFileName\":\"Cmd.Exe\"")
        .contains("\"Description\":\"Windows Command Processor\"")
        .contains("\"Product\":\"Microsoft\u00ae Windows\u00ae Operating System\"")
        .contains("\"Company\":\"Microsoft Corporation\"")
        .containsPattern("\"FileVersion\":\"10\\.0\\.19041\\.\\d+ \\(WinBuild\\.160101\\.0800\\)\"")
        .contains("\"CurrentDirectory\":\"C:\\\\Windows\\\\system32\\\\\"")
        .contains("\"LogonId\":" + 0x3b5cb2)
        .containsPattern(
            "\"LogonGuid\":\"\\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-B25C-3B0000000000\\}\"")
        .contains("\"ParentUser\":\"CORP\\\\alice\"")
        .containsPattern("\"MD5\":\"[0-9a-f]{32}\"")
        .containsPattern("\"SHA1\":\"[0-9a-f]{40}\"")
        .containsPattern("\"IMPHASH\":\"[0-9a-f]{32}\"");
  }

  @Test
  void everyTelemetryLineReadsBackToTheRecordItWasWrittenFrom() {
    TestHost host = new TestHost();
    List<TelemetryEvent> events = new ArrayList<>();
    SensorDriver sensor =
        new SensorDriver(SensorConfig.of("host-1", 7, new FileHashCache()), events::add);
    host.kernel.ioLoadDriver(host.sensorSys, true, sensor::driverEntry);
    EProcess explorer =
        host.start(host.kernel.systemProcess(), host.images.explorer, "C:\\Windows\\Explorer.EXE");
    host.start(explorer, host.images.cmd, "cmd.exe /c \"echo \\\"quoted\\\" & whoami\"");
    JsonRecords writer = new JsonRecords();

    assertThat(events).hasSizeGreaterThan(5);
    for (TelemetryEvent event : events) {
      String line = new String(writer.telemetry(event), StandardCharsets.UTF_8);

      assertThat(JsonRecords.readTelemetry(line)).as(line).isEqualTo(event);
    }
  }

  @Test
  void aLineThatIsNotTelemetrySaysSo() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JsonRecords.readTelemetry("{\"EventID\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no header and body");
  }
}
