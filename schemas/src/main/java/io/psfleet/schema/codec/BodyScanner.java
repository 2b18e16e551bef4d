package io.psfleet.schema.codec;

import io.psfleet.schema.codec.DecodeException.Reason;
import org.apache.avro.Schema;

/**
 * Walks a binary Avro body against its writer schema, building nothing, so that {@link
 * SingleObjectCodec} can refuse malformed input before Avro's reader touches it.
 *
 * <p>Why a separate pass: Avro's {@code BinaryDecoder} sizes a string's bytes or an array's storage
 * from the length prefix before it knows whether that many bytes exist, so a single flipped bit can
 * demand gigabytes; it also accepts trailing bytes and reports truncation and corruption through a
 * mix of unrelated runtime exceptions. This scan checks every length and count against the bytes
 * left, every union and enum index against the schema, and that the record ends exactly at the end
 * of the message. It costs one allocation-free pass over bytes that the decode then reads from
 * cache.
 *
 * <p>A block of an array or map may not announce more items than there are bytes left. Only an
 * array of zero-byte items (nulls, empty records) could legally break that rule, and none of our
 * schemas has one; refusing it is what keeps a fuzzed count from sizing a huge array.
 */
final class BodyScanner {

  private final byte[] bytes;
  private int pos;

  private BodyScanner(byte[] bytes, int from) {
    this.bytes = bytes;
    this.pos = from;
  }

  /**
   * Checks that {@code bytes} from index {@code from} to the end hold exactly one datum of {@code
   * schema}.
   *
   * @throws DecodeException {@link Reason#TRUNCATED} when the bytes end before the datum does, or a
   *     length asks for more bytes than are left; {@link Reason#CORRUPT} for anything else
   */
  static void scan(Schema schema, byte[] bytes, int from) throws DecodeException {
    BodyScanner scanner = new BodyScanner(bytes, from);
    scanner.skip(schema);
    if (scanner.pos != bytes.length) {
      throw new DecodeException(
          Reason.CORRUPT,
          (bytes.length - scanner.pos)
              + " trailing bytes after the complete record, from byte "
              + scanner.pos);
    }
  }

  private void skip(Schema schema) throws DecodeException {
    switch (schema.getType()) {
      case NULL -> {}
      case BOOLEAN -> {
        int b = next();
        if (b > 1) {
          throw corrupt("boolean byte " + b + " is neither 0 nor 1");
        }
      }
      case INT -> readInt();
      case LONG -> readVarint(10);
      case FLOAT -> advance(4);
      case DOUBLE -> advance(8);
      case FIXED -> advance(schema.getFixedSize());
      case STRING, BYTES -> advance(readLength());
      case ENUM -> readIndex(schema.getEnumSymbols().size(), schema);
      case UNION -> skip(schema.getTypes().get(readIndex(schema.getTypes().size(), schema)));
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          skip(field.schema());
        }
      }
      case ARRAY -> skipBlocks(schema.getElementType(), false);
      case MAP -> skipBlocks(schema.getValueType(), true);
    }
  }

  private void skipBlocks(Schema items, boolean keyed) throws DecodeException {
    for (long count = readVarint(10); count != 0; count = readVarint(10)) {
      long declaredBytes = -1;
      if (count < 0) {
        // A negative count is followed by the block's size in bytes, so readers can skip it.
        if (count == Long.MIN_VALUE) {
          throw corrupt("block item count " + count + " is out of range");
        }
        count = -count;
        declaredBytes = readVarint(10);
        if (declaredBytes < 0) {
          throw corrupt("block byte size " + declaredBytes + " is negative");
        }
      }
      if (count > bytes.length - pos) {
        throw new DecodeException(
            Reason.TRUNCATED,
            "block of "
                + count
                + " items at byte "
                + pos
                + " cannot fit in the "
                + (bytes.length - pos)
                + " bytes left");
      }
      int blockStart = pos;
      for (long i = 0; i < count; i++) {
        if (keyed) {
          advance(readLength());
        }
        skip(items);
      }
      if (declaredBytes >= 0 && pos - blockStart != declaredBytes) {
        throw corrupt("block declares " + declaredBytes + " bytes but holds " + (pos - blockStart));
      }
    }
  }

  /** An enum's or union's index; the message is built only for a bad one (this runs per field). */
  private int readIndex(int size, Schema of) throws DecodeException {
    int index = readInt();
    if (index < 0 || index >= size) {
      String what = of.getType() == Schema.Type.UNION ? "union" : "enum " + of.getFullName();
      throw corrupt(what + " index " + index + " is outside 0.." + (size - 1));
    }
    return index;
  }

  private long readLength() throws DecodeException {
    long length = readVarint(10);
    if (length < 0) {
      throw corrupt("length " + length + " is negative");
    }
    return length;
  }

  private int readInt() throws DecodeException {
    long value = readVarint(5);
    if (value != (int) value) {
      throw corrupt("int " + value + " is out of range");
    }
    return (int) value;
  }

  /**
   * Reads a zig-zag variable-length number of at most {@code maxBytes} bytes, as Avro writes it.
   */
  private long readVarint(int maxBytes) throws DecodeException {
    long raw = 0;
    for (int i = 0; i < maxBytes; i++) {
      int b = next();
      raw |= (b & 0x7FL) << (7 * i);
      if (b < 0x80) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw corrupt("variable-length number longer than " + maxBytes + " bytes");
  }

  private int next() throws DecodeException {
    if (pos == bytes.length) {
      throw new DecodeException(Reason.TRUNCATED, "body ends at byte " + pos + " mid-record");
    }
    return bytes[pos++] & 0xFF;
  }

  private void advance(long length) throws DecodeException {
    if (length > bytes.length - pos) {
      throw new DecodeException(
          Reason.TRUNCATED,
          "value of "
              + length
              + " bytes at byte "
              + pos
              + " runs past the end, "
              + (bytes.length - pos)
              + " bytes left");
    }
    pos += (int) length;
  }

  private DecodeException corrupt(String detail) {
    return new DecodeException(Reason.CORRUPT, detail + ", before byte " + pos);
  }
}
