package io.psfleet.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.schema.EventHeader;
import io.psfleet.schema.TelemetryEvent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TelemetryHeaderTest {
  private final SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
  private final TelemetryHeader.Reader reader = new TelemetryHeader.Reader();

  @Test
  void readsTheHeaderFieldsTheWholeDecodeGives() throws DecodeException {
    for (TelemetryEvent event : Samples.telemetryEvents()) {
      EventHeader expected = event.getHeader();
      TelemetryHeader header = reader.read(codec.encode(event));
      assertThat(header)
          .isEqualTo(
              new TelemetryHeader(
                  expected.getHostId(),
                  expected.getBootId(),
                  expected.getSequence(),
                  expected.getEventTimeNanos()));
    }
  }

  @Test
  void readsNegativeAndLargeValuesAndAnyHostText() throws DecodeException {
    TelemetryEvent event = Samples.telemetryEvents().get(0);
    event.getHeader().setHostId("hôte-Ω-" + "x".repeat(300));
    event.getHeader().setBootId(Long.MIN_VALUE);
    event.getHeader().setSequence(Long.MAX_VALUE);
    event.getHeader().setEventTimeNanos(-1L);

    TelemetryHeader header = reader.read(codec.encode(event));

    assertThat(header)
        .isEqualTo(
            new TelemetryHeader("hôte-Ω-" + "x".repeat(300), Long.MIN_VALUE, Long.MAX_VALUE, -1L));
  }

  /** The source routes by the header alone: a prefix must never yield a different header. */
  @Test
  void everyPrefixEitherFailsOrGivesTheSameHeader() throws DecodeException {
    byte[] whole = codec.encode(Samples.telemetryEvents().get(0));
    TelemetryHeader expected = reader.read(whole);
    int read = 0;
    for (int length = 0; length < whole.length; length++) {
      byte[] prefix = Arrays.copyOf(whole, length);
      try {
        assertThat(reader.read(prefix)).isEqualTo(expected);
        read++;
      } catch (DecodeException e) {
        assertThat(e.reason()).isEqualTo(DecodeException.Reason.TRUNCATED);
      }
    }
    // Prefixes that hold the whole header but not the body are read: their body is the decoder's.
    assertThat(read).isPositive();
  }

  @Test
  void refusesWhatTheCodecRefusesForItsHeader() {
    byte[] whole = codec.encode(Samples.telemetryEvents().get(0));
    byte[] badMarker = whole.clone();
    badMarker[0] = 0x00;
    byte[] unknownSchema = whole.clone();
    unknownSchema[5] ^= 0x5A;

    assertThatThrownBy(() -> reader.read(badMarker))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.BAD_MARKER));
    assertThatThrownBy(() -> reader.read(unknownSchema))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.UNKNOWN_SCHEMA));
  }

  @Test
  void refusesAMalformedHostLength() {
    byte[] whole = codec.encode(Samples.telemetryEvents().get(0));
    byte[] negative = whole.clone();
    negative[SingleObjectCodec.HEADER_LENGTH] = 0x01; // zig-zag -1
    byte[] endless = Arrays.copyOf(whole, SingleObjectCodec.HEADER_LENGTH + 11);
    Arrays.fill(endless, SingleObjectCodec.HEADER_LENGTH, endless.length, (byte) 0xFF);

    assertThatThrownBy(() -> reader.read(negative))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.CORRUPT));
    assertThatThrownBy(() -> reader.read(endless))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(DecodeException.Reason.CORRUPT));
  }
}
