package io.psfleet.schema.codec;

import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.DecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes and reads one record per message in Avro's single-object encoding: the marker C3 01, the
 * writer schema's CRC-64-AVRO fingerprint (8 bytes, little-endian), then the binary body.
 *
 * <p>Why single-object: each Kafka record then names the schema that wrote it, with no schema
 * registry to run, so a consumer can read every version any agent in the fleet still sends. A
 * version can be read once it is frozen: its self-contained writer schema lives under {@code
 * io/psfleet/schema/history/} and is named in this class; the codec resolves it to the current
 * generated class, filling defaults for fields the old writer did not have.
 *
 * <p>Why not Avro's own {@code BinaryMessageDecoder}: it sizes allocations from untrusted length
 * prefixes, accepts trailing bytes and fails with assorted runtime exceptions. This codec checks
 * the body's structure first and reports every unreadable message as a {@link DecodeException} with
 * a {@link Reason}, so a consumer can dead-letter it and carry on. The bytes it writes are the same
 * as {@code BinaryMessageEncoder}'s.
 *
 * <p>Not thread-safe: an instance reuses its encoder, decoder and output buffer from call to call
 * to spare the garbage collector. Use one instance per thread (per Flink subtask, per producer
 * thread); creating one is cheap.
 *
 * @param <T> the generated record class of the current schema
 */
public final class SingleObjectCodec<T extends SpecificRecord> {

  // Freezing a released version: put its self-contained writer schema in HISTORY, name it here.
  private static final List<String> TELEMETRY_HISTORY =
      List.of("TelemetryEvent-v1.avsc", "TelemetryEvent-v2.avsc");
  private static final List<String> GROUND_TRUTH_HISTORY = List.of("GroundTruth-v1.avsc");

  private static final String HISTORY = "/io/psfleet/schema/history/";

  /** The marker and the fingerprint, before the body. */
  static final int HEADER_LENGTH = 10;

  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /**
   * Uses the generated classes' own {@code customEncode}/{@code customDecode}, which write and read
   * fields directly instead of through reflection and union resolution by name: about half the cost
   * of encoding on the simulator's hot path. Same bytes either way.
   */
  private static final SpecificData CODERS = customCoders();

  private final String recordName;
  private final byte[] header = new byte[HEADER_LENGTH];
  private final DatumWriter<T> writer;
  private final List<WriterVersion<T>> versions = new ArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;

  /** A writer schema this codec can read, and the reader that resolves it to the current class. */
  private record WriterVersion<T>(
      long fingerprint, Schema schema, BodyScanner.Plan plan, DatumReader<T> reader) {}

  /** A codec for the telemetry topic. */
  public static SingleObjectCodec<TelemetryEvent> telemetry() {
    return new SingleObjectCodec<>(TelemetryEvent.getClassSchema(), load(TELEMETRY_HISTORY));
  }

  /** A codec for the ground-truth topic. */
  public static SingleObjectCodec<GroundTruth> groundTruth() {
    return new SingleObjectCodec<>(GroundTruth.getClassSchema(), load(GROUND_TRUTH_HISTORY));
  }

  /**
   * @param current the generated class's schema: what {@link #encode} writes and decode returns
   * @param pastWriters frozen writer schemas of the same record, in any order
   */
  SingleObjectCodec(Schema current, List<Schema> pastWriters) {
    recordName = current.getFullName();
    long currentFingerprint = SchemaNormalization.parsingFingerprint64(current);
    header[0] = MARKER_0;
    header[1] = MARKER_1;
    LITTLE_ENDIAN_LONG.set(header, 2, currentFingerprint);
    writer = new SpecificDatumWriter<>(current, CODERS);
    versions.add(
        new WriterVersion<>(
            currentFingerprint,
            current,
            BodyScanner.plan(current),
            new SpecificDatumReader<>(current, current, CODERS)));
    for (Schema past : pastWriters) {
      if (!past.getFullName().equals(recordName)) {
        throw new IllegalArgumentException(
            "writer schema " + past.getFullName() + " is not a version of " + recordName);
      }
      long fingerprint = SchemaNormalization.parsingFingerprint64(past);
      // A frozen version equal to the current one on the wire is read as the current one.
      if (find(fingerprint) == null) {
        versions.add(
            new WriterVersion<>(
                fingerprint,
                past,
                BodyScanner.plan(past),
                new SpecificDatumReader<>(past, current, CODERS)));
      }
    }
  }

  /**
   * Encodes a record, header included. A record that breaks its schema, such as a required field
   * left null, is a bug in the producer rather than bad input, and fails with Avro's runtime
   * exception ({@link NullPointerException} for the null field); the next call is unaffected.
   *
   * @return a new array that the caller owns
   */
  public byte[] encode(T record) {
    // Configure before reset: reconfiguring flushes what a failed earlier call left in the
    // encoder's buffer, and the reset then throws it away.
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    out.reset();
    try {
      encoder.writeFixed(header);
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      // ByteArrayOutputStream does not throw; the signature of Encoder makes us catch it.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Decodes a message into a new record; see {@link #decode(byte[], SpecificRecord)}. */
  public T decode(byte[] message) throws DecodeException {
    return decode(message, null);
  }

  /**
   * Decodes a message written with the current schema or any frozen past version.
   *
   * @param reuse a record to fill instead of allocating one, or null; after a {@link
   *     DecodeException} its contents are unspecified
   * @throws DecodeException for any message that is not one complete, well-formed record of a known
   *     writer schema; never another exception for bad bytes
   */
  public T decode(byte[] message, T reuse) throws DecodeException {
    WriterVersion<T> version = writerOf(message);
    BodyScanner.scan(version.plan(), message, HEADER_LENGTH);
    decoder =
        DecoderFactory.get()
            .binaryDecoder(message, HEADER_LENGTH, message.length - HEADER_LENGTH, decoder);
    try {
      return version.reader().read(reuse, decoder);
    } catch (IOException | RuntimeException e) {
      // The scan has vouched for the structure; this is a value Avro refuses to resolve.
      throw new DecodeException(
          Reason.CORRUPT, "body does not decode as " + recordName + ": " + e.getMessage(), e);
    }
  }

  /**
   * The writer schema a message's header names; a message {@link #decode} would refuse for its
   * header is refused here with the same reason. The body is not looked at.
   */
  Schema writerSchema(byte[] message) throws DecodeException {
    return writerOf(message).schema();
  }

  /** Every writer schema this codec reads, the current one first. */
  List<Schema> writerSchemas() {
    return versions.stream().map(WriterVersion::schema).toList();
  }

  private WriterVersion<T> writerOf(byte[] message) throws DecodeException {
    if (message.length < HEADER_LENGTH) {
      throw new DecodeException(
          Reason.TRUNCATED,
          "message of "
              + message.length
              + " bytes is shorter than the "
              + HEADER_LENGTH
              + "-byte single-object header");
    }
    if (message[0] != MARKER_0 || message[1] != MARKER_1) {
      throw new DecodeException(
          Reason.BAD_MARKER,
          "message starts with "
              + HEX.formatHex(message, 0, 2)
              + ", not the single-object marker C301");
    }
    long fingerprint = (long) LITTLE_ENDIAN_LONG.get(message, 2);
    WriterVersion<T> version = find(fingerprint);
    if (version == null) {
      throw new DecodeException(
          Reason.UNKNOWN_SCHEMA,
          "no known writer schema of "
              + recordName
              + " has fingerprint "
              + HEX.toHexDigits(fingerprint));
    }
    return version;
  }

  private static SpecificData customCoders() {
    SpecificData data = new SpecificData();
    data.setCustomCoders(true);
    return data;
  }

  /** Fingerprints of the writer schemas this codec reads, the current one first. */
  List<Long> knownFingerprints() {
    return versions.stream().map(WriterVersion::fingerprint).toList();
  }

  private WriterVersion<T> find(long fingerprint) {
    // A linear scan over a handful of versions: no boxing on the hot path, unlike a map lookup.
    for (WriterVersion<T> version : versions) {
      if (version.fingerprint() == fingerprint) {
        return version;
      }
    }
    return null;
  }

  private static List<Schema> load(List<String> files) {
    List<Schema> schemas = new ArrayList<>();
    for (String file : files) {
      try (InputStream in = SingleObjectCodec.class.getResourceAsStream(HISTORY + file)) {
        if (in == null) {
          throw new IllegalStateException("frozen writer schema " + HISTORY + file + " is missing");
        }
        schemas.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read frozen writer schema " + HISTORY + file, e);
      }
    }
    return schemas;
  }
}
