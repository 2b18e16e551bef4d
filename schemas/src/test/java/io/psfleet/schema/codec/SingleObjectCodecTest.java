package io.psfleet.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.psfleet.schema.FrozenSchemas;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.TelemetryEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SingleObjectCodecTest {

  private final SingleObjectCodec<TelemetryEvent> telemetry = SingleObjectCodec.telemetry();
  private final SingleObjectCodec<GroundTruth> groundTruth = SingleObjectCodec.groundTruth();

  static Stream<Arguments> telemetryEvents() {
    return Stream.of(true, false)
        .flatMap(
            optionals ->
                Samples.telemetryEvents(optionals).stream()
                    .map(
                        e ->
                            Arguments.of(
                                e.getBody().getClass().getSimpleName()
                                    + (optionals ? " with optionals set" : " with optionals null"),
                                e)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("telemetryEvents")
  void telemetryEventRoundTripsToAnEqualRecord(String label, TelemetryEvent event)
      throws DecodeException {
    assertThat(telemetry.decode(telemetry.encode(event))).isEqualTo(event);
  }

  @Test
  void groundTruthRoundTripsWithAndWithoutDescription() throws DecodeException {
    for (GroundTruth truth : Samples.groundTruths()) {
      assertThat(groundTruth.decode(groundTruth.encode(truth))).isEqualTo(truth);
    }
  }

  @Test
  void decodingIntoAReusedRecordOverwritesEveryField() throws DecodeException {
    List<TelemetryEvent> events = Samples.telemetryEvents();
    TelemetryEvent reused = telemetry.decode(telemetry.encode(events.get(0)));

    for (TelemetryEvent event : events) {
      reused = telemetry.decode(telemetry.encode(event), reused);
      assertThat(reused).isEqualTo(event);
    }
  }

  @Test
  void encodingIsByteForByteAvrosReferenceSingleObjectEncoding() throws Exception {
    for (TelemetryEvent event : Samples.telemetryEvents()) {
      assertThat(telemetry.encode(event))
          .isEqualTo(bytes(TelemetryEvent.getEncoder().encode(event)));
    }
    for (GroundTruth truth : Samples.groundTruths()) {
      assertThat(groundTruth.encode(truth))
          .isEqualTo(bytes(GroundTruth.getEncoder().encode(truth)));
    }
  }

  @Test
  void headerIsMarkerThenLittleEndianFingerprintOfTheCurrentSchema() {
    byte[] message = telemetry.encode(Samples.telemetryEvents().get(0));

    assertThat(message[0]).isEqualTo((byte) 0xC3);
    assertThat(message[1]).isEqualTo((byte) 0x01);
    assertThat(ByteBuffer.wrap(message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
        .isEqualTo(SchemaNormalization.parsingFingerprint64(TelemetryEvent.getClassSchema()));
  }

  @Test
  void codecsKnowTheCurrentGeneratedSchemas() {
    assertThat(telemetry.knownFingerprints())
        .contains(SchemaNormalization.parsingFingerprint64(TelemetryEvent.SCHEMA$));
    assertThat(groundTruth.knownFingerprints())
        .contains(SchemaNormalization.parsingFingerprint64(GroundTruth.SCHEMA$));
  }

  @Test
  void codecsKnowEveryFrozenVersion() {
    FrozenSchemas.versions()
        .forEach(
            (version, types) -> {
              assertThat(telemetry.knownFingerprints())
                  .as("telemetry %s", version)
                  .contains(fingerprint(types, TelemetryEvent.getClassSchema()));
              assertThat(groundTruth.knownFingerprints())
                  .as("ground truth %s", version)
                  .contains(fingerprint(types, GroundTruth.getClassSchema()));
            });
  }

  @Test
  void messagesWrittenWithEveryFrozenVersionDecode() throws Exception {
    for (Map<String, Schema> version : FrozenSchemas.versions().values()) {
      Schema telemetryWriter = version.get(TelemetryEvent.SCHEMA$.getFullName());
      Schema groundTruthWriter = version.get(GroundTruth.SCHEMA$.getFullName());

      // A frozen version's fields are the current ones' prefix in the current order (later
      // versions only appended optional fields and body types), so a positional deep copy turns a
      // sample into the generic record that version's producer would have built; it decodes to the
      // sample with every newer field at its default (null). A body type the version did not have
      // (ProcessAccess before v3) it could not write.
      for (TelemetryEvent event : Samples.telemetryEvents()) {
        String bodyType = ((SpecificRecord) event.getBody()).getSchema().getFullName();
        if (!version.containsKey(bodyType)) {
          continue;
        }
        Object old = GenericData.get().deepCopy(telemetryWriter, (Object) event);
        assertThat(telemetry.decode(write(telemetryWriter, old)))
            .isEqualTo(withoutFieldsNewerThan(telemetryWriter, event));
      }
      for (GroundTruth truth : Samples.groundTruths()) {
        Object old = GenericData.get().deepCopy(groundTruthWriter, (Object) truth);
        assertThat(groundTruth.decode(write(groundTruthWriter, old))).isEqualTo(truth);
      }
    }
  }

  @Test
  void olderWriterWithoutNewerFieldsDecodesWithTheReaderDefaults() throws Exception {
    // A hypothetical release before eventSequences and description were added.
    Schema older =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "GroundTruth", "namespace": "io.psfleet.schema",
                 "fields": [
                   {"name": "scenarioId", "type": "string"},
                   {"name": "scenario", "type": "string"},
                   {"name": "technique", "type": "string"},
                   {"name": "label", "type": {"type": "enum", "name": "GroundTruthLabel",
                                              "symbols": ["ATTACK", "BENIGN_LOOKALIKE"]}},
                   {"name": "hostId", "type": "string"},
                   {"name": "bootId", "type": "long"},
                   {"name": "processGuids", "type": {"type": "array", "items": "long"}},
                   {"name": "timeNanos", "type": "long"}
                 ]}
                """);
    SingleObjectCodec<GroundTruth> codec =
        new SingleObjectCodec<>(GroundTruth.getClassSchema(), List.of(older));
    GroundTruth truth = Samples.groundTruth(true);
    GenericRecordBuilder olderRecord = new GenericRecordBuilder(older);
    older.getFields().forEach(field -> olderRecord.set(field, truth.get(field.name())));

    GroundTruth decoded = codec.decode(write(older, olderRecord.build()));

    GroundTruth expected =
        GroundTruth.newBuilder(truth).setEventSequences(List.of()).setDescription(null).build();
    assertThat(decoded).isEqualTo(expected);
  }

  @Test
  void writerValueTheReaderCannotResolveIsCorrupt() throws Exception {
    // Well-formed, but its label has no counterpart in the current enum, which has no default.
    // The compatibility test keeps such a writer out of the history; this is the codec's backstop.
    Schema writer =
        new Schema.Parser()
            .parse(
                GroundTruth.SCHEMA$
                    .toString()
                    .replace("\"BENIGN_LOOKALIKE\"]", "\"BENIGN_LOOKALIKE\",\"UNLABELLED\"]"));
    SingleObjectCodec<GroundTruth> codec =
        new SingleObjectCodec<>(GroundTruth.getClassSchema(), List.of(writer));
    GenericData.Record record =
        (GenericData.Record) GenericData.get().deepCopy(writer, (Object) Samples.groundTruth(true));
    record.put(
        "label", new GenericData.EnumSymbol(writer.getField("label").schema(), "UNLABELLED"));

    Throwable thrown = catchThrowable(() -> codec.decode(write(writer, record)));

    assertThat(thrown).isInstanceOf(DecodeException.class).hasMessageContaining("UNLABELLED");
    assertThat(((DecodeException) thrown).reason()).isEqualTo(DecodeException.Reason.CORRUPT);
  }

  @Test
  void pastWriterOfAnotherRecordIsRefused() {
    assertThatThrownBy(
            () ->
                new SingleObjectCodec<TelemetryEvent>(
                    TelemetryEvent.getClassSchema(), List.of(GroundTruth.getClassSchema())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.psfleet.schema.GroundTruth");
  }

  @Test
  void failedEncodeLeavesNothingBehindForTheNextMessage() throws DecodeException {
    TelemetryEvent broken = Samples.telemetryEvents().get(0);
    broken.getHeader().setSensorVersion(null);
    TelemetryEvent event = Samples.telemetryEvents().get(1);

    assertThatThrownBy(() -> telemetry.encode(broken)).isInstanceOf(NullPointerException.class);
    byte[] next = telemetry.encode(event);

    assertThat(next).isEqualTo(SingleObjectCodec.telemetry().encode(event));
    assertThat(telemetry.decode(next)).isEqualTo(event);
  }

  private static long fingerprint(Map<String, Schema> types, Schema current) {
    return SchemaNormalization.parsingFingerprint64(types.get(current.getFullName()));
  }

  /** A single-object message as any Avro producer holding only {@code writer} would write it. */
  private static byte[] write(Schema writer, Object datum) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xC3, 0x01});
    out.writeBytes(
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(SchemaNormalization.parsingFingerprint64(writer))
            .array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<>(writer).write(datum, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  /** A copy of {@code event} whose body fields that {@code v1} does not know are null. */
  private static TelemetryEvent withoutFieldsNewerThan(Schema v1, TelemetryEvent event) {
    TelemetryEvent copy = TelemetryEvent.newBuilder(event).build();
    org.apache.avro.specific.SpecificRecord body =
        (org.apache.avro.specific.SpecificRecord)
            org.apache.avro.specific.SpecificData.get()
                .deepCopy(
                    ((org.apache.avro.specific.SpecificRecord) event.getBody()).getSchema(),
                    event.getBody());
    Schema v1Body =
        v1.getField("body").schema().getTypes().stream()
            .filter(t -> t.getFullName().equals(body.getSchema().getFullName()))
            .findFirst()
            .orElseThrow();
    for (Schema.Field field : body.getSchema().getFields()) {
      if (v1Body.getField(field.name()) == null) {
        assertThat(field.schema().isNullable())
            .as("v2 field %s is optional", field.name())
            .isTrue();
        body.put(field.pos(), null);
      }
    }
    copy.setBody(body);
    return copy;
  }
}
