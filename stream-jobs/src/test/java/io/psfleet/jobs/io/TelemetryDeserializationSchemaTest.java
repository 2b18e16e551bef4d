package io.psfleet.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.jobs.event.EventKind;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.schema.EventHeader;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.IntegrityLevel;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.SignatureStatus;
import io.psfleet.schema.SignatureType;
import io.psfleet.schema.SigningLevel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryDeserializationSchemaTest {
  private final TelemetryDeserializationSchema schema =
      new TelemetryDeserializationSchema(InputBounds.defaults());

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

  /** What one record becomes through the source's header read and the decode after the keyBy. */
  private record Decoded(Telemetry event, DeadLetter deadLetter, long truncatedFields) {}

  private Decoded decode(byte[] value) {
    Envelope envelope =
        schema.decode(
            value,
            "host-000001".getBytes(StandardCharsets.UTF_8),
            "psfleet.telemetry",
            3,
            99,
            FleetConfig.Builder.DEFAULT_START_NANOS / 1_000_000L);
    if (envelope.deadLetter() != null) {
      return new Decoded(null, envelope.deadLetter(), 0);
    }
    TelemetryDecoder decoder = new TelemetryDecoder(InputBounds.defaults());
    List<DeadLetter> rejected = new ArrayList<>();
    Telemetry event = decoder.decode(envelope.record(), rejected::add);
    assertThat(event == null).isEqualTo(rejected.size() == 1);
    return new Decoded(
        event, rejected.isEmpty() ? null : rejected.get(0), decoder.truncatedFields());
  }

  @Test
  void validRecordBecomesAnEvent() {
    Decoded envelope = decode(validImageLoad());

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
    // A body that fails after the keyBy keeps the record's coordinates and bytes just the same.
    DeadLetter bodyLetter = decode(truncated).deadLetter();
    assertThat(bodyLetter.value()).isEqualTo(truncated);
    assertThat(bodyLetter.key()).isEqualTo("host-000001".getBytes(StandardCharsets.UTF_8));
    assertThat(bodyLetter.partition()).isEqualTo(3);
    assertThat(bodyLetter.offset()).isEqualTo(99);
  }

  @Test
  void neverThrowsOnRandomBytes() {
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = validImageLoad();
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
      Decoded envelope = decode(bytes);
      assertThat(envelope.event() != null ^ envelope.deadLetter() != null).isTrue();
    }
  }

  private static byte[] encode(TelemetryEvent event) {
    return SingleObjectCodec.telemetry().encode(event);
  }

  private static TelemetryEvent processCreate(String commandLine) {
    ProcessCreate create = new ProcessCreate();
    create.setProcessGuid(43L);
    create.setProcessId(1204);
    create.setImage("C:\\Windows\\System32\\cmd.exe");
    create.setCommandLine(commandLine);
    create.setIntegrityLevel(IntegrityLevel.MEDIUM);
    create.setParentProcessId(1200);
    create.setCreatorProcessId(1200);
    create.setCreatorThreadId(1208);
    return new TelemetryEvent(
        new EventHeader("host-000001", 7L, 4L, FleetConfig.Builder.DEFAULT_START_NANOS, "test"),
        create);
  }

  @Test
  void aMegabyteCommandLineIsCutToItsBoundAndSaysSo() {
    String huge = "powershell -enc " + "A".repeat(2 * 1024 * 1024);

    Decoded envelope = decode(encode(processCreate(huge)));

    String kept = envelope.event().commandLine();
    assertThat(kept).hasSize(FieldBounds.COMMAND_LINE_CHARS).startsWith("powershell -enc AAAA");
    assertThat(kept).endsWith(FieldBounds.TRUNCATED);
    assertThat(envelope.truncatedFields()).isEqualTo(1);
    assertThat(envelope.event().image()).isEqualTo("C:\\Windows\\System32\\cmd.exe");
  }

  @Test
  void textsWithinTheirBoundsAreKeptWhole() {
    String longest = "x".repeat(FieldBounds.COMMAND_LINE_CHARS);

    Decoded envelope = decode(encode(processCreate(longest)));

    assertThat(envelope.event().commandLine()).isEqualTo(longest);
    assertThat(envelope.truncatedFields()).isZero();
  }

  @Test
  void everyTextHasABound() {
    TelemetryEvent event = processCreate("c");
    ProcessCreate body = (ProcessCreate) event.getBody();
    String long_ = "\\".repeat(100_000);
    body.setImage(long_);
    body.setUser(long_);
    body.setParentImage(long_);
    body.setCompany(long_);
    event.getHeader().setSensorVersion(long_);

    Decoded envelope = decode(encode(event));

    assertThat(envelope.truncatedFields()).isEqualTo(5);
    assertThat(envelope.event().image()).hasSize(FieldBounds.PATH_CHARS);
    assertThat(envelope.event().parentImage()).hasSize(FieldBounds.PATH_CHARS);
    assertThat(envelope.event().user()).hasSize(FieldBounds.TEXT_CHARS);
    assertThat(envelope.event().company()).hasSize(FieldBounds.TEXT_CHARS);
  }

  @Test
  void aCutNeverSplitsACharacter() {
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
    String cut = FieldBounds.cut("a" + emoji.repeat(1000), 100);

    assertThat(cut).hasSizeLessThanOrEqualTo(100).endsWith(FieldBounds.TRUNCATED);
    assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf(FieldBounds.TRUNCATED) - 1)))
        .isFalse();
  }

  @Test
  void valuesNoHostProducesMakeTheRecordADeadLetter() {
    TelemetryEvent negativePid = processCreate("c");
    ((ProcessCreate) negativePid.getBody()).setProcessId(-4);
    TelemetryEvent negativeParent = processCreate("c");
    ((ProcessCreate) negativeParent.getBody()).setParentProcessId(-1);
    TelemetryEvent zeroSequence = processCreate("c");
    zeroSequence.getHeader().setSequence(0L);
    TelemetryEvent beforeEpoch = processCreate("c");
    beforeEpoch.getHeader().setEventTimeNanos(-1L);
    TelemetryEvent longHost = processCreate("c");
    longHost.getHeader().setHostId("h".repeat(FieldBounds.HOST_ID_CHARS + 1));
    TelemetryEvent blankHost = processCreate("c");
    blankHost.getHeader().setHostId(" ");

    for (TelemetryEvent event :
        List.of(negativePid, negativeParent, zeroSequence, beforeEpoch, longHost, blankHost)) {
      DeadLetter letter = decode(encode(event)).deadLetter();
      assertThat(letter).isNotNull();
      assertThat(letter.reason()).isEqualTo("IMPLAUSIBLE");
    }
    assertThat(decode(encode(negativePid)).deadLetter().message())
        .isEqualTo("ProcessId must not be negative, is -4");
  }

  @Test
  void anEventFarAheadOfItsKafkaTimestampIsADeadLetterAndOneJustWithinIsKept() {
    TelemetryEvent event = processCreate("c");
    long eventMillis = FleetConfig.Builder.DEFAULT_START_NANOS / 1_000_000L;
    long bound = InputBounds.DEFAULT_MAX_EVENT_TIME_AHEAD.toMillis();
    byte[] value = encode(event);
    byte[] key = "host-000001".getBytes(StandardCharsets.UTF_8);

    Envelope ahead = schema.decode(value, key, "t", 0, 1, eventMillis - bound - 1);
    Envelope within = schema.decode(value, key, "t", 0, 1, eventMillis - bound);
    Envelope old = schema.decode(value, key, "t", 0, 1, eventMillis + 365L * 86_400_000L);
    Envelope noTimestamp = schema.decode(value, key, "t", 0, 1, -1);

    assertThat(ahead.deadLetter().reason()).isEqualTo("FUTURE_TIME");
    assertThat(within.record()).isNotNull();
    assertThat(old.record()).isNotNull();
    assertThat(noTimestamp.record()).isNotNull();
    assertThat(within.eventMillis()).isEqualTo(eventMillis);
  }

  @Test
  void aDeadLettersCopyIsCutToTheRecordBoundAndKeepsTheOriginalSizes() {
    TelemetryDeserializationSchema small =
        new TelemetryDeserializationSchema(
            new InputBounds(
                InputBounds.MIN_RECORD_BYTES,
                InputBounds.DEFAULT_MAX_EVENT_TIME_AHEAD,
                InputBounds.DEFAULT_MAX_SEQUENCE_JUMP,
                InputBounds.DEFAULT_MAX_PROCESSES_PER_HOST,
                InputBounds.DEFAULT_HOST_IDLE));
    byte[] garbage = new byte[1024 * 1024];
    new java.util.Random(3).nextBytes(garbage);
    byte[] key = new byte[10_000];

    DeadLetter letter = small.decode(garbage, key, "t", 2, 77, 5).deadLetter();

    assertThat(letter.value()).hasSize(InputBounds.MIN_RECORD_BYTES);
    assertThat(letter.value()).isEqualTo(Arrays.copyOf(garbage, InputBounds.MIN_RECORD_BYTES));
    assertThat(letter.valueSize()).isEqualTo(garbage.length);
    assertThat(letter.valueCut()).isTrue();
    assertThat(letter.key()).hasSize(DeadLetter.MAX_KEY_BYTES);
    assertThat(letter.keySize()).isEqualTo(10_000);
    assertThat(letter.message()).hasSizeLessThanOrEqualTo(DeadLetter.MAX_MESSAGE_CHARS);
  }

  @Test
  void neverThrowsOnRandomBytesOfAnyLength() {
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[random.nextInt(300)];
      random.nextBytes(bytes);
      if (bytes.length > 2 && random.nextBoolean()) {
        bytes[0] = (byte) 0xC3; // past the marker, into the fingerprint and body
        bytes[1] = 0x01;
      }
      Decoded envelope = decode(bytes);
      assertThat(envelope.event() != null ^ envelope.deadLetter() != null).isTrue();
    }
  }
}
