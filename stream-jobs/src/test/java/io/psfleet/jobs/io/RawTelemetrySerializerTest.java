package io.psfleet.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RawTelemetrySerializerTest {
  private final RawTelemetrySerializer serializer = new RawTelemetrySerializer();

  private RawTelemetry roundTrip(RawTelemetry r) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(r, out);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
    assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  private static RawTelemetry record(String hostId, long offset) {
    return new RawTelemetry(
        hostId, "psfleet.telemetry", 0, offset, 0, null, new byte[] {(byte) offset});
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
  void aHostIdThatComesAgainIsTheSameInstanceAndOtherHostsStayApart() throws Exception {
    RawTelemetry first = roundTrip(record("host-000001", 1));
    RawTelemetry other = roundTrip(record("host-000002", 2));
    RawTelemetry again = roundTrip(record("host-000001", 3));

    assertThat(again.hostId()).isSameAs(first.hostId());
    assertThat(again.topic()).isSameAs(first.topic());
    assertThat(other.hostId()).isEqualTo("host-000002");
    assertThat(again.offset()).isEqualTo(3);
  }

  @Test
  void aNumberedFleetsHostIdsMostlyKeepTheirOwnInstance() throws Exception {
    int hosts = 2000; // bench job's fleet: about an eighth of the slots
    String[] first = new String[hosts];
    for (int h = 0; h < hosts; h++) {
      first[h] = roundTrip(record(String.format("host-%06d", h + 1), h)).hostId();
    }
    int same = 0;
    for (int h = 0; h < hosts; h++) {
      if (roundTrip(record(String.format("host-%06d", h + 1), h)).hostId() == first[h]) {
        same++;
      }
    }
    // Random slots would give about 94%; numbered ids must not fold onto each other.
    assertThat(same).isGreaterThan(hosts * 85 / 100);
  }

  @Test
  void textsThatShareASlotAreReadAsTheyWereWritten() throws Exception {
    // More hosts than intern slots: every id collides with another in its slot.
    int hosts = RawTelemetrySerializer.INTERNED_TEXTS * 3;
    for (int pass = 0; pass < 2; pass++) {
      for (int h = 0; h < hosts; h++) {
        String id = "host-" + h;
        assertThat(roundTrip(record(id, h)).hostId()).isEqualTo(id);
      }
    }
  }

  @Test
  void flinkPicksThisSerializerNotKryoAndEachUserGetsItsOwn() {
    TypeInformation<RawTelemetry> info = TypeInformation.of(RawTelemetry.class);
    assertThat(info).isInstanceOf(RawTelemetryTypeInfo.class);
    var config = new org.apache.flink.api.common.serialization.SerializerConfigImpl();

    assertThat(info.createSerializer(config)).isInstanceOf(RawTelemetrySerializer.class);
    assertThat(info.createSerializer(config)).isNotSameAs(info.createSerializer(config));
    assertThat(serializer.duplicate()).isNotSameAs(serializer).isEqualTo(serializer);
  }
}
