package io.psfleet.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.DecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, decoding returns a record or throws {@link DecodeException}, nothing else.
 */
class SingleObjectCodecBadInputTest {

  private static final int HEADER_LENGTH = 10;
  private static final HexFormat HEX = HexFormat.of();

  private final SingleObjectCodec<TelemetryEvent> telemetry = SingleObjectCodec.telemetry();
  private final SingleObjectCodec<GroundTruth> groundTruth = SingleObjectCodec.groundTruth();

  @Test
  void emptyMessageIsTruncated() {
    assertThat(rejection(telemetry, new byte[0]).reason()).isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void messageShorterThanTheHeaderIsTruncated() {
    DecodeException e = rejection(telemetry, HEX.parseHex("c301abcdef"));

    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(e).hasMessageContaining("5 bytes");
  }

  @Test
  void headerWithoutABodyIsTruncated() {
    byte[] headerOnly = Arrays.copyOf(validTelemetry(), HEADER_LENGTH);

    assertThat(rejection(telemetry, headerOnly).reason()).isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void wrongMarkerIsRejected() {
    for (int at : new int[] {0, 1}) {
      byte[] message = validTelemetry();
      message[at] ^= 0x40;

      DecodeException e = rejection(telemetry, message);

      assertThat(e.reason()).isEqualTo(Reason.BAD_MARKER);
      assertThat(e).hasMessageContaining("C301");
    }
  }

  @Test
  void bareAvroBodyWithoutTheHeaderIsABadMarker() {
    byte[] message = validTelemetry();
    byte[] body = Arrays.copyOfRange(message, HEADER_LENGTH, message.length);

    assertThat(rejection(telemetry, body).reason()).isEqualTo(Reason.BAD_MARKER);
  }

  @Test
  void unknownFingerprintIsRejectedNamingIt() {
    byte[] message = validTelemetry();
    message[2] ^= 0x01;
    String fingerprint = HEX.withUpperCase().formatHex(reversed(message, 2, HEADER_LENGTH));

    DecodeException e = rejection(telemetry, message);

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
    assertThat(e).hasMessageContaining(fingerprint);
  }

  @Test
  void telemetryMessageIsAnUnknownSchemaToTheGroundTruthCodec() {
    assertThat(rejection(groundTruth, validTelemetry()).reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
  }

  @Test
  void everyTruncationOfAValidMessageIsTruncated() {
    for (TelemetryEvent event : Samples.telemetryEvents()) {
      assertEveryPrefixIsTruncated(telemetry, telemetry.encode(event));
    }
    for (GroundTruth truth : Samples.groundTruths()) {
      assertEveryPrefixIsTruncated(groundTruth, groundTruth.encode(truth));
    }
  }

  @Test
  void trailingBytesAfterTheRecordAreCorrupt() {
    byte[] valid = validTelemetry();

    for (byte[] message : List.of(concat(valid, new byte[] {0}), concat(valid, valid))) {
      DecodeException e = rejection(telemetry, message);

      assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
      assertThat(e).hasMessageContaining("trailing");
    }
  }

  @Test
  void handCraftedMessageDecodes() throws DecodeException {
    // Guards the hand-crafted bodies below: with nothing wrong in them, they decode.
    TelemetryEvent event = telemetry.decode(telemetryMessage(header(), "02", processExit()));

    assertThat(event.getHeader().getHostId()).isEqualTo("h");
    assertThat(event.getBody()).isInstanceOf(ProcessExit.class);
  }

  @Test
  void unionIndexOutsideTheBodyTypesIsCorrupt() {
    for (String index : List.of("0c", "01", "feffffff0f")) {
      byte[] message = telemetryMessage(header(), index, processExit());

      assertThat(rejection(telemetry, message).reason()).as(index).isEqualTo(Reason.CORRUPT);
    }
  }

  @Test
  void negativeStringLengthIsCorrupt() {
    byte[] message = telemetryMessage("01", header().substring(2), "02", processExit());

    assertThat(rejection(telemetry, message).reason()).isEqualTo(Reason.CORRUPT);
  }

  @Test
  void hugeStringLengthIsRefusedBeforeAnythingIsAllocated() {
    // 2^31 - 9 bytes, the largest array a JVM will allocate.
    String length = varint(Integer.MAX_VALUE - 8L);
    byte[] message = telemetryMessage(length, header().substring(2), "02", processExit());

    DecodeException e = rejection(telemetry, message);

    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(e).hasMessageContaining("2147483639");
  }

  @Test
  void hugeArrayCountIsRefusedBeforeAnythingIsAllocated() {
    // Six empty or zero fields, then processGuids announcing 2^31 - 9 items.
    byte[] message =
        message(
            groundTruth.encode(Samples.groundTruth(false)),
            "000000000000",
            varint(Integer.MAX_VALUE - 8L),
            "000000");

    assertThat(rejection(groundTruth, message).reason()).isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void overlongNumberIsCorrupt() {
    String elevenByteLong = "8080808080808080808000";
    byte[] message = telemetryMessage("0268", elevenByteLong, "000000", "02", processExit());

    assertThat(rejection(telemetry, message).reason()).isEqualTo(Reason.CORRUPT);
  }

  @Test
  void randomMutationsEitherDecodeOrFailWithDecodeException() throws DecodeException {
    Random random = new Random(20_251_124L);
    List<byte[]> telemetrySeeds =
        Samples.telemetryEvents().stream().map(telemetry::encode).toList();
    List<byte[]> groundTruthSeeds =
        Samples.groundTruths().stream().map(groundTruth::encode).toList();
    Map<String, Integer> outcomes = new TreeMap<>();

    for (int i = 0; i < 20_000; i++) {
      String outcome =
          i % 5 == 0
              ? outcome(groundTruth, mutate(pick(groundTruthSeeds, random), random), i)
              : outcome(telemetry, mutate(pick(telemetrySeeds, random), random), i);
      outcomes.merge(outcome, 1, Integer::sum);
    }

    // The mutations reach past the header into every kind of body check.
    assertThat(outcomes).containsKeys("decoded", "TRUNCATED", "CORRUPT");
  }

  /**
   * Decodes a mutated message; a record it accepts must survive its own round trip, and any
   * exception other than DecodeException fails the test with the input that caused it.
   */
  private static <T extends SpecificRecord> String outcome(
      SingleObjectCodec<T> codec, byte[] message, int iteration) throws DecodeException {
    T decoded;
    try {
      decoded = codec.decode(message);
    } catch (DecodeException e) {
      return e.reason().name();
    } catch (RuntimeException | Error e) {
      throw new AssertionError(
          "mutation " + iteration + " " + HEX.formatHex(message) + " escaped as " + e, e);
    }
    assertThat(codec.decode(codec.encode(decoded))).isEqualTo(decoded);
    return "decoded";
  }

  /** One to three random edits, almost all in the body: the header checks are simple. */
  private static byte[] mutate(byte[] seed, Random random) {
    byte[] bytes = seed.clone();
    int edits = 1 + random.nextInt(3);
    for (int edit = 0; edit < edits && bytes.length > HEADER_LENGTH; edit++) {
      int from = random.nextInt(50) == 0 ? 0 : HEADER_LENGTH;
      int at = from + random.nextInt(bytes.length - from);
      switch (random.nextInt(4)) {
        case 0 -> bytes[at] = (byte) random.nextInt(256);
        case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> bytes = insert(bytes, at, (byte) random.nextInt(256));
        default -> bytes = delete(bytes, at);
      }
    }
    return bytes;
  }

  private void assertEveryPrefixIsTruncated(SingleObjectCodec<?> codec, byte[] message) {
    for (int length = 0; length < message.length; length++) {
      byte[] prefix = Arrays.copyOf(message, length);

      assertThat(rejection(codec, prefix).reason())
          .as("prefix of %d of %d bytes", length, message.length)
          .isEqualTo(Reason.TRUNCATED);
    }
  }

  private static DecodeException rejection(SingleObjectCodec<?> codec, byte[] message) {
    Throwable thrown = catchThrowable(() -> codec.decode(message));

    assertThat(thrown)
        .as("decoding %s", HEX.formatHex(message))
        .isInstanceOf(DecodeException.class);
    return (DecodeException) thrown;
  }

  private byte[] validTelemetry() {
    return telemetry.encode(Samples.telemetryEvents().get(0));
  }

  /** A telemetry message: the current header, then the given body bytes in hex. */
  private byte[] telemetryMessage(String... body) {
    return message(validTelemetry(), body);
  }

  /** EventHeader: hostId "h", bootId 0, sequence 0, eventTimeNanos 0, sensorVersion "". */
  private static String header() {
    return "026800000000";
  }

  /** ProcessExit after its union index (02): all zero, Image "", User null (union index 0). */
  private static String processExit() {
    return "0000000000";
  }

  /** The header of a valid message, then the given body bytes in hex. */
  private static byte[] message(byte[] valid, String... body) {
    return concat(Arrays.copyOf(valid, HEADER_LENGTH), HEX.parseHex(String.join("", body)));
  }

  /** Avro's zig-zag variable-length encoding of {@code value}, in hex. */
  private static String varint(long value) {
    long raw = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((raw & ~0x7FL) != 0) {
      out.write((int) ((raw & 0x7F) | 0x80));
      raw >>>= 7;
    }
    out.write((int) raw);
    return HEX.formatHex(out.toByteArray());
  }

  private static byte[] pick(List<byte[]> seeds, Random random) {
    return seeds.get(random.nextInt(seeds.size()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static byte[] insert(byte[] bytes, int at, byte value) {
    byte[] longer = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, longer, 0, at);
    longer[at] = value;
    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
    return longer;
  }

  private static byte[] delete(byte[] bytes, int at) {
    byte[] shorter = new byte[bytes.length - 1];
    System.arraycopy(bytes, 0, shorter, 0, at);
    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
    return shorter;
  }

  private static byte[] reversed(byte[] bytes, int from, int to) {
    byte[] out = new byte[to - from];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes[to - 1 - i];
    }
    return out;
  }
}
