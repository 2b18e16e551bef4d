package io.psfleet.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.ProfileMix;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.fleet.RecordingPublisher;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.schema.sysmon.TelemetryEventSource;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The job renders its own record, the simulator's output formats the Avro record: over a simulated
 * fleet with a DLL injection and a debugger attach, both give every event the same Sysmon EventID
 * and fields.
 */
class SysmonSourcesTest {
  @Test
  void jobRecordAndAvroRecordRenderTheSameSysmonEvent() throws Exception {
    FleetConfig config =
        FleetConfig.builder()
            .hosts(4)
            .seed(5)
            .duration(Duration.ofMinutes(20))
            .bootWindow(Duration.ofSeconds(30))
            .profiles(new ProfileMix(50, 25, 25))
            .scenarios(Map.of("dll-injection", 1, "debugger-attach", 1, "lsass-procdump", 1))
            .threads(1)
            .build();
    RecordingPublisher recorder = new RecordingPublisher();
    new Fleet(config, FleetAssets.create(), recorder, null, RecordFormat.AVRO, p -> {}).run();

    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    TelemetryEventSource avro = new TelemetryEventSource();
    int[] seen = new int[SysmonFields.PROCESS_ACCESS + 1];
    for (RecordingPublisher.Sent sent : recorder.telemetry) {
      TelemetryEvent event = codec.decode(sent.value());
      SysmonFields job = SysmonFields.of(TelemetryMapping.from(event));
      SysmonFields writer = SysmonFields.of(avro.reset(event));
      assertThat(writer.eventId()).as(event.toString()).isEqualTo(job.eventId());
      assertThat(fields(writer)).as(event.toString()).isEqualTo(fields(job));
      seen[job.eventId()]++;
    }
    assertThat(seen[SysmonFields.PROCESS_CREATE]).isPositive();
    assertThat(seen[SysmonFields.PROCESS_TERMINATED]).isPositive();
    assertThat(seen[SysmonFields.DRIVER_LOADED]).isPositive();
    assertThat(seen[SysmonFields.IMAGE_LOADED]).isPositive();
    assertThat(seen[SysmonFields.CREATE_REMOTE_THREAD]).isPositive();
    assertThat(seen[SysmonFields.PROCESS_ACCESS]).isPositive();
  }

  private static Map<String, String> fields(SysmonFields view) {
    Map<String, String> out = new TreeMap<>();
    for (String name : view.fieldNames()) {
      out.put(name, String.valueOf(view.field(name)));
    }
    return out;
  }
}
