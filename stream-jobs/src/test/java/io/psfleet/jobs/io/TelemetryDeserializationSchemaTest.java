package io.psfleet.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.jobs.event.EventKind;
import io.psfleet.schema.EventHeader;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.SignatureStatus;
import io.psfleet.schema.SignatureType;
import io.psfleet.schema.SigningLevel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TelemetryDeserializationSchemaTest {
  private final TelemetryDeserializationSchema schema = new TelemetryDeserializationSchema();

  static byte[] validImageLoad() {
    ImageLoad load = new ImageLoad();
    load.setProcessGuid(42L);
    load.setProcessId(1200);
    load.setImage("C:\\Windows\\System32\\notepad.exe");
    load.setImageLoaded("C:\\Users\\alice\\AppData\\Local\\Temp\\x.dll");
    load.setSigned(false);
    load.setSignatureStatus(SignatureStatus.UNSIGNED);
    load.setImageSignatureLevel(SigningLevel.UNSIGNED);
    load.setImageSignatureType(SignatureType.NONE);
    load.setImageBase(0x7ff800000000L);
    load.setImageSize(4096);
    TelemetryEvent event =
        new TelemetryEvent(
            new EventHeader("host-000001", 7L, 3L, FleetConfig.Builder.DEFAULT_START_NANOS, "test"),
            load);
    return SingleObjectCodec.telemetry().encode(event);
  }

  private Envelope decode(byte[] value) {
    return schema.decode(
        value, "host-000001".getBytes(StandardCharsets.UTF_8), "psfleet.telemetry", 3, 99, 1234);
  }

  @Test
  void validRecordBecomesAnEvent() {
    Envelope envelope = decode(validImageLoad());

    assertThat(envelope.deadLetter()).isNull();
    assertThat(envelope.event().kind()).isEqualTo(EventKind.IMAGE_LOAD);
    assertThat(envelope.event().imageLoaded()).endsWith("x.dll");
    assertThat(envelope.event().signatureLevel()).isEqualTo(1);
    assertThat(envelope.event().eventId()).isEqualTo("host-000001:7:3");
  }

  @Test
  void truncatedGarbageAndUnknownSchemaBecomeDeadLettersWithReasonAndBytes() {
    byte[] valid = validImageLoad();
    byte[] truncated = Arrays.copyOf(valid, valid.length - 5);
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    byte[] unknown = valid.clone();
    unknown[5] ^= 0x5A;

    assertThat(decode(truncated).deadLetter().reason()).isEqualTo("TRUNCATED");
    assertThat(decode(garbage).deadLetter().reason()).isEqualTo("BAD_MARKER");
    assertThat(decode(unknown).deadLetter().reason()).isEqualTo("UNKNOWN_SCHEMA");
    assertThat(decode(null).deadLetter().reason()).isEqualTo("TRUNCATED");
    DeadLetter letter = decode(garbage).deadLetter();
    assertThat(letter.value()).isEqualTo(garbage);
    assertThat(letter.topic()).isEqualTo("psfleet.telemetry");
    assertThat(letter.partition()).isEqualTo(3);
    assertThat(letter.offset()).isEqualTo(99);
  }

  @Test
  void neverThrowsOnRandomBytes() {
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = validImageLoad();
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
      Envelope envelope = decode(bytes);
      assertThat(envelope.event() != null ^ envelope.deadLetter() != null).isTrue();
    }
  }
}
