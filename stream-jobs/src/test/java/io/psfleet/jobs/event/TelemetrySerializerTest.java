package io.psfleet.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TelemetrySerializerTest {
  private static Telemetry roundTrip(Telemetry t) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(256);
    TelemetrySerializer.INSTANCE.serialize(t, out);
    Telemetry back =
        TelemetrySerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    DataOutputSerializer copied = new DataOutputSerializer(256);
    TelemetrySerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
    assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    return back;
  }

  @Test
  void everyFieldSurvivesARoundTrip() throws Exception {
    Telemetry full =
        new Telemetry(
            "host-000001",
            7,
            42,
            1_795_507_200_000_000_000L,
            EventKind.THREAD_CREATE,
            1200,
            -5L,
            "C:\\a.exe",
            "a /x",
            "CORP\\bob",
            "HIGH",
            9L,
            800,
            "C:\\p.exe",
            "p /y",
            11L,
            804,
            "C:\\c.exe",
            0xC0000022,
            "C:\\m.dll",
            "ab12",
            true,
            "Microsoft Windows",
            12,
            true,
            1204,
            13L,
            808,
            "C:\\s.exe",
            0x7ff8_0000_1000L,
            "C:\\k.dll",
            "LoadLibraryW",
            true,
            false,
            3);

    assertThat(roundTrip(full)).isEqualTo(full);
  }

  @Test
  void nullStringsAndFalseFlagsSurviveToo() throws Exception {
    Telemetry sparse =
        new Telemetry(
            "h",
            1,
            1,
            1,
            EventKind.THREAD_EXIT,
            4,
            0,
            null,
            null,
            null,
            null,
            0,
            0,
            null,
            null,
            0,
            0,
            null,
            0,
            null,
            null,
            false,
            null,
            0,
            false,
            8,
            0,
            0,
            null,
            0,
            null,
            null,
            false,
            true,
            0);

    assertThat(roundTrip(sparse)).isEqualTo(sparse);
  }
}
