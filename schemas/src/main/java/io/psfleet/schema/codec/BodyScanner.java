package io.psfleet.schema.codec;

import io.psfleet.schema.codec.DecodeException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  // The plan's operations; each is followed by its operands in the plan's code.
  private static final int BOOLEAN = 0;
  private static final int INT = 1;
  private static final int LONG = 2;

  /** {@code SKIP n}: a value of n bytes (fixed, float, double). */
  private static final int SKIP = 3;

  /** A length-prefixed value (string, bytes). */
  private static final int LENGTH_PREFIXED = 4;

  /** {@code ENUM size name}: an index below size; name indexes the plan's enum names. */
  private static final int ENUM = 5;

  /** {@code UNION n next (start end){n}}: an index below n, then that branch's code. */
  private static final int UNION = 6;

  /** {@code BLOCKS keyed next items...}: an array's or (keyed) a map's blocks of items. */
  private static final int BLOCKS = 7;

  /** {@code CALL start end}: a record inside itself (a recursive schema), run from its code. */
  private static final int CALL = 8;

  /**
   * A writer schema compiled for the scan: records flattened into their fields, so a body is
   * checked by one loop over a small int program rather than by walking Avro's schema objects.
   */
  record Plan(int[] code, String[] enumNames) {}

  private final byte[] bytes;
  private final String[] enumNames;
  private int pos;

  private BodyScanner(byte[] bytes, int from, String[] enumNames) {
    this.bytes = bytes;
    this.pos = from;
    this.enumNames = enumNames;
  }

  /** Compiles {@code schema} once; the plan is what {@link #scan} runs per message. */
  static Plan plan(Schema schema) {
    Compiler compiler = new Compiler();
    compiler.emit(schema);
    return new Plan(
        Arrays.copyOf(compiler.code, compiler.length), compiler.enumNames.toArray(String[]::new));
  }

  /**
   * Checks that {@code bytes} from index {@code from} to the end hold exactly one datum of the
   * plan's schema.
   *
   * @throws DecodeException {@link Reason#TRUNCATED} when the bytes end before the datum does, or a
   *     length asks for more bytes than are left; {@link Reason#CORRUPT} for anything else
   */
  static void scan(Plan plan, byte[] bytes, int from) throws DecodeException {
    BodyScanner scanner = new BodyScanner(bytes, from, plan.enumNames());
    scanner.run(plan.code(), 0, plan.code().length);
    if (scanner.pos != bytes.length) {
      throw new DecodeException(
          Reason.CORRUPT,
          (bytes.length - scanner.pos)
              + " trailing bytes after the complete record, from byte "
              + scanner.pos);
    }
  }

  private void run(int[] code, int from, int to) throws DecodeException {
    int pc = from;
    while (pc < to) {
      switch (code[pc]) {
        case BOOLEAN -> {
          int b = next();
          if (b > 1) {
            throw corrupt("boolean byte " + b + " is neither 0 nor 1");
          }
          pc++;
        }
        case INT -> {
          readInt();
          pc++;
        }
        case LONG -> {
          readVarint(10);
          pc++;
        }
        case SKIP -> {
          advance(code[pc + 1]);
          pc += 2;
        }
        case LENGTH_PREFIXED -> {
          advance(readLength());
          pc++;
        }
        case ENUM -> {
          readIndex(code[pc + 1], code[pc + 2]);
          pc += 3;
        }
        case UNION -> {
          int branch = pc + 3 + 2 * readIndex(code[pc + 1], -1);
          run(code, code[branch], code[branch + 1]);
          pc = code[pc + 2];
        }
        case BLOCKS -> {
          skipBlocks(code, code[pc + 1] == 1, pc + 3, code[pc + 2]);
          pc = code[pc + 2];
        }
        case CALL -> {
          run(code, code[pc + 1], code[pc + 2]);
          pc += 3;
        }
        default -> throw new IllegalStateException("scan plan operation " + code[pc]);
      }
    }
  }

  private void skipBlocks(int[] code, boolean keyed, int items, int itemsEnd)
      throws DecodeException {
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
        run(code, items, itemsEnd);
      }
      if (declaredBytes >= 0 && pos - blockStart != declaredBytes) {
        throw corrupt("block declares " + declaredBytes + " bytes but holds " + (pos - blockStart));
      }
    }
  }

  /**
   * An enum's or union's index; the message is built only for a bad one (this runs per field).
   *
   * @param enumName the enum's index in the plan's names, or -1 for a union
   */
  private int readIndex(int size, int enumName) throws DecodeException {
    int index = readInt();
    if (index < 0 || index >= size) {
      String what = enumName < 0 ? "union" : "enum " + enumNames[enumName];
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

  /** Flattens a schema into a plan's code. */
  private static final class Compiler {
    private int[] code = new int[64];
    private int length;
    private final List<String> enumNames = new ArrayList<>();

    /** The records being compiled, by full name: where each one's fields start. */
    private final Map<String, Integer> open = new HashMap<>();

    /** Each open record's CALLs into itself, whose end is patched when the record is done. */
    private final Map<String, List<Integer>> calls = new HashMap<>();

    void emit(Schema schema) {
      switch (schema.getType()) {
        case NULL -> {}
        case BOOLEAN -> add(BOOLEAN);
        case INT -> add(INT);
        case LONG -> add(LONG);
        case FLOAT -> add(SKIP, 4);
        case DOUBLE -> add(SKIP, 8);
        case FIXED -> add(SKIP, schema.getFixedSize());
        case STRING, BYTES -> add(LENGTH_PREFIXED);
        case ENUM -> {
          enumNames.add(schema.getFullName());
          add(ENUM, schema.getEnumSymbols().size(), enumNames.size() - 1);
        }
        case UNION -> {
          List<Schema> branches = schema.getTypes();
          int at = length;
          add(UNION, branches.size(), 0);
          for (int i = 0; i < branches.size(); i++) {
            add(0, 0);
          }
          for (int i = 0; i < branches.size(); i++) {
            code[at + 3 + 2 * i] = length;
            emit(branches.get(i));
            code[at + 3 + 2 * i + 1] = length;
          }
          code[at + 2] = length;
        }
        case RECORD -> {
          String name = schema.getFullName();
          Integer start = open.get(name);
          if (start != null) {
            calls.get(name).add(length + 2);
            add(CALL, start, 0);
            return;
          }
          open.put(name, length);
          calls.put(name, new ArrayList<>());
          for (Schema.Field field : schema.getFields()) {
            emit(field.schema());
          }
          for (int patch : calls.remove(name)) {
            code[patch] = length;
          }
          open.remove(name);
        }
        case ARRAY -> blocks(false, schema.getElementType());
        case MAP -> blocks(true, schema.getValueType());
      }
    }

    private void blocks(boolean keyed, Schema items) {
      int at = length;
      add(BLOCKS, keyed ? 1 : 0, 0);
      emit(items);
      code[at + 2] = length;
    }

    private void add(int... words) {
      if (length + words.length > code.length) {
        code = Arrays.copyOf(code, Math.max(code.length * 2, length + words.length));
      }
      System.arraycopy(words, 0, code, length, words.length);
      length += words.length;
    }
  }
}
