package io.psfleet.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RawTelemetrySerializerTest {
  private static RawTelemetry roundTrip(RawTelemetry r) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    RawTelemetrySerializer.INSTANCE.serialize(r, out);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    RawTelemetrySerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
    assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    return RawTelemetrySerializer.INSTANCE.deserialize(
        new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void everyFieldSurvivesTheShuffle() throws Exception {
    byte[] value = {(byte) 0xC3, 0x01, 1, 2, 3, 0, -1};
    RawTelemetry r =
        new RawTelemetry(
            "host-000001",
            "psfleet.telemetry",
            3,
            1L << 40,
            1_795_507_200_000L,
            "host-000001".getBytes(StandardCharsets.UTF_8),
            value);

    RawTelemetry back = roundTrip(r);

    assertThat(back.hostId()).isEqualTo("host-000001");
    assertThat(back.topic()).isEqualTo("psfleet.telemetry");
    assertThat(back.partition()).isEqualTo(3);
    assertThat(back.offset()).isEqualTo(1L << 40);
    assertThat(back.timestamp()).isEqualTo(1_795_507_200_000L);
    assertThat(back.key()).isEqualTo(r.key());
    assertThat(back.value()).isEqualTo(value);
  }

  @Test
  void aMissingKeyStaysMissingAndAnEmptyValueStaysEmpty() throws Exception {
    RawTelemetry back = roundTrip(new RawTelemetry("h", "t", 0, 0, -1, null, new byte[0]));

    assertThat(back.key()).isNull();
    assertThat(back.value()).isEmpty();
    assertThat(back.timestamp()).isEqualTo(-1);
  }

  @Test
  void flinkPicksThisSerializerNotKryo() {
    assertThat(TypeInformation.of(RawTelemetry.class)).isInstanceOf(RawTelemetryTypeInfo.class);
    assertThat(
            TypeInformation.of(RawTelemetry.class)
                .createSerializer(
                    new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
        .isSameAs(RawTelemetrySerializer.INSTANCE);
  }
}
