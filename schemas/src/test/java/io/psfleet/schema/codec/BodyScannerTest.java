package io.psfleet.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.psfleet.schema.codec.DecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scanner must accept everything Avro writes, for every type a future schema version might use,
 * not only the types our schemas use today; and refuse what Avro's reader would choke on.
 */
class BodyScannerTest {

  private static final Schema EVERY_TYPE =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "EveryType", "namespace": "test", "fields": [
                {"name": "none", "type": "null"},
                {"name": "flag", "type": "boolean"},
                {"name": "small", "type": "int"},
                {"name": "big", "type": "long"},
                {"name": "single", "type": "float"},
                {"name": "double", "type": "double"},
                {"name": "text", "type": "string"},
                {"name": "raw", "type": "bytes"},
                {"name": "four", "type": {"type": "fixed", "name": "Four", "size": 4}},
                {"name": "colour", "type": {"type": "enum", "name": "Colour",
                                            "symbols": ["RED", "GREEN", "BLUE"]}},
                {"name": "names", "type": {"type": "array", "items": "string"}},
                {"name": "counts", "type": {"type": "map", "values": "long"}},
                {"name": "maybe", "type": ["null", "double"]}
              ]}
              """);

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void acceptsEveryTypeAsAvroWritesIt() throws IOException {
    byte[] body = write(false);

    assertThatCode(() -> BodyScanner.scan(BodyScanner.plan(EVERY_TYPE), body, 0))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsArraysAndMapsWrittenInSizedBlocks() throws IOException {
    byte[] plain = write(false);
    byte[] blocked = write(true);

    assertThat(blocked).as("blocked encoding").isNotEqualTo(plain);
    assertThatCode(() -> BodyScanner.scan(BodyScanner.plan(EVERY_TYPE), blocked, 0))
        .doesNotThrowAnyException();
  }

  private static final Schema LINKED =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Node", "namespace": "test", "fields": [
                {"name": "value", "type": "int"},
                {"name": "tags", "type": {"type": "array", "items": {
                  "type": "record", "name": "Tag", "fields": [
                    {"name": "kind", "type": {"type": "enum", "name": "Kind",
                                              "symbols": ["A", "B"]}},
                    {"name": "label", "type": ["null", "string"]}]}}},
                {"name": "next", "type": ["null", "Node"]}
              ]}
              """);

  /** A list of {@code length} nodes, each with one tag. */
  private static byte[] linked(int length) throws IOException {
    Schema tag = LINKED.getField("tags").schema().getElementType();
    GenericRecord node = null;
    for (int i = length; i > 0; i--) {
      GenericRecord t = new GenericData.Record(tag);
      t.put("kind", new GenericData.EnumSymbol(tag.getField("kind").schema(), "B"));
      t.put("label", i % 2 == 0 ? null : "tag-" + i);
      GenericRecord n = new GenericData.Record(LINKED);
      n.put("value", i);
      n.put("tags", List.of(t));
      n.put("next", node);
      node = n;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Encoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(LINKED).write(node, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Test
  void followsARecordThatHoldsItselfAndRecordsInsideArrays() throws IOException {
    byte[] body = linked(5);

    assertThatCode(() -> BodyScanner.scan(BodyScanner.plan(LINKED), body, 0))
        .doesNotThrowAnyException();
    for (int length = 0; length < body.length; length++) {
      byte[] prefix = Arrays.copyOf(body, length);
      DecodeException e =
          catchThrowableOfType(
              DecodeException.class, () -> BodyScanner.scan(BodyScanner.plan(LINKED), prefix, 0));
      assertThat(e).as("prefix of %d bytes", length).isNotNull();
      assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    }
    byte[] badKind = body.clone();
    badKind[2] = 4; // the first tag's kind: zig-zag 2, outside A..B
    assertThat(
            catchThrowableOfType(
                    DecodeException.class,
                    () -> BodyScanner.scan(BodyScanner.plan(LINKED), badKind, 0))
                .getMessage())
        .contains("enum test.Kind index 2");
  }

  @Test
  void refusesEveryTruncationAsTruncated() throws IOException {
    byte[] body = write(false);

    for (int length = 0; length < body.length; length++) {
      byte[] prefix = Arrays.copyOf(body, length);

      assertThat(scanFailure(EVERY_TYPE, prefix).reason())
          .as("prefix of %d bytes", length)
          .isEqualTo(Reason.TRUNCATED);
    }
  }

  static Stream<Arguments> malformed() {
    Schema longs = Schema.createArray(Schema.create(Schema.Type.LONG));
    return Stream.of(
        Arguments.of("boolean byte 2", Schema.create(Schema.Type.BOOLEAN), "02", Reason.CORRUPT),
        Arguments.of(
            "enum index 3 of 3", EVERY_TYPE.getField("colour").schema(), "06", Reason.CORRUPT),
        Arguments.of(
            "negative enum index", EVERY_TYPE.getField("colour").schema(), "01", Reason.CORRUPT),
        Arguments.of(
            "int beyond 32 bits", Schema.create(Schema.Type.INT), "8080808020", Reason.CORRUPT),
        Arguments.of(
            "six-byte int", Schema.create(Schema.Type.INT), "808080808000", Reason.CORRUPT),
        Arguments.of(
            "negative bytes length", Schema.create(Schema.Type.BYTES), "03", Reason.CORRUPT),
        Arguments.of(
            "bytes past the end", Schema.create(Schema.Type.BYTES), "0a0102", Reason.TRUNCATED),
        Arguments.of("block of more items than bytes", longs, "0a000000", Reason.TRUNCATED),
        Arguments.of("block with a wrong byte size", longs, "010a0000", Reason.CORRUPT),
        Arguments.of("block with a negative byte size", longs, "01010000", Reason.CORRUPT),
        Arguments.of(
            "block count of Long.MIN_VALUE", longs, "ffffffffffffffffff01", Reason.CORRUPT),
        Arguments.of(
            "map key past the end",
            Schema.createMap(Schema.create(Schema.Type.LONG)),
            "020800",
            Reason.TRUNCATED),
        Arguments.of(
            "fixed past the end", EVERY_TYPE.getField("four").schema(), "010203", Reason.TRUNCATED),
        Arguments.of(
            "double past the end",
            Schema.create(Schema.Type.DOUBLE),
            "0000000000",
            Reason.TRUNCATED),
        Arguments.of(
            "float then a trailing byte",
            Schema.create(Schema.Type.FLOAT),
            "0000000000",
            Reason.CORRUPT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesMalformedBody(String label, Schema schema, String hex, Reason expected) {
    assertThat(scanFailure(schema, HEX.parseHex(hex)).reason()).isEqualTo(expected);
  }

  private static GenericRecord everyType() {
    Schema colour = EVERY_TYPE.getField("colour").schema();
    Schema four = EVERY_TYPE.getField("four").schema();
    return new GenericRecordBuilder(EVERY_TYPE)
        .set("none", null)
        .set("flag", true)
        .set("small", -1_000_000)
        .set("big", Long.MIN_VALUE)
        .set("single", 1.5f)
        .set("double", -2.25)
        .set("text", "zwölf")
        .set("raw", ByteBuffer.wrap(new byte[] {0, -1, 2}))
        .set("four", new GenericData.Fixed(four, new byte[] {1, 2, 3, 4}))
        .set("colour", new GenericData.EnumSymbol(colour, "BLUE"))
        .set("names", List.of("a", "", "ccc"))
        .set("counts", new TreeMap<>(Map.of("x", 1L, "y", -300L)))
        .set("maybe", 0.5)
        .build();
  }

  /** Avro's own encoding of {@link #everyType()}; blocking writes arrays and maps sized. */
  private static byte[] write(boolean blocking) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Encoder encoder =
        blocking
            ? EncoderFactory.get().blockingBinaryEncoder(out, null)
            : EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(EVERY_TYPE).write(everyType(), encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static DecodeException scanFailure(Schema schema, byte[] body) {
    DecodeException e =
        catchThrowableOfType(
            DecodeException.class, () -> BodyScanner.scan(BodyScanner.plan(schema), body, 0));
    assertThat(e).as("scanning %s", HEX.formatHex(body)).isNotNull();
    return e;
  }
}
