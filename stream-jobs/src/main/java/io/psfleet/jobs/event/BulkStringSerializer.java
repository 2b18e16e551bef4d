package io.psfleet.jobs.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Strings in Flink's {@link StringValue} wire format (length + 1 as a 7-bit varint, 0 for null,
 * then each char as a 7-bit varint), written and read in bulk where the text is ASCII, which is
 * nearly all telemetry: paths, command lines, hashes, GUIDs. {@link StringValue} itself moves one
 * byte per interface call each way, which made it the largest cost of the job's keyBy. Bytes are
 * the same, so state written by either reads with the other.
 */
public final class BulkStringSerializer {
  private static final int HIGH_BIT = 0x80;

  /** Per thread: read buffer for ASCII strings up to this length; longer ones get their own. */
  private static final int SCRATCH = 4096;

  private static final ThreadLocal<byte[]> BUFFER =
      ThreadLocal.withInitial(() -> new byte[SCRATCH]);

  private BulkStringSerializer() {}

  public static void write(String s, DataOutputView out) throws IOException {
    if (s == null) {
      out.write(0);
      return;
    }
    // A UTF-8 encoding as long as the string has only chars below 0x80: exactly one varint byte
    // each, so the encoding is the wire format's char data.
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length != s.length()) {
      StringValue.writeString(s, out);
      return;
    }
    writeVarint(s.length() + 1, out);
    out.write(utf8);
  }

  public static String read(DataInputView in) throws IOException {
    int lenPlusOne = readVarint(in);
    if (lenPlusOne == 0) {
      return null;
    }
    int len = lenPlusOne - 1;
    byte[] bytes = len <= SCRATCH ? BUFFER.get() : new byte[len];
    // At least one byte per char: reading len bytes never reads past this string.
    in.readFully(bytes, 0, len);
    int i = 0;
    while (i < len && bytes[i] >= 0) {
      i++;
    }
    if (i == len) {
      return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
    return decodeRest(bytes, i, len, in);
  }

  /**
   * The general case from the first char at or above 0x80: chars are decoded from the bytes read so
   * far, then from {@code in} once those run out (multi-byte chars took more bytes than chars).
   */
  private static String decodeRest(byte[] bytes, int ascii, int len, DataInputView in)
      throws IOException {
    char[] chars = new char[len];
    for (int k = 0; k < ascii; k++) {
      chars[k] = (char) bytes[k];
    }
    int pos = ascii;
    for (int k = ascii; k < len; k++) {
      int c = 0;
      int shift = 0;
      int b;
      do {
        b = pos < len ? bytes[pos++] & 0xFF : in.readUnsignedByte();
        c |= (b & 0x7F) << shift;
        shift += 7;
      } while (b >= HIGH_BIT);
      chars[k] = (char) c;
    }
    return new String(chars);
  }

  private static void writeVarint(int value, DataOutputView out) throws IOException {
    while (value >= HIGH_BIT) {
      out.write(value | HIGH_BIT);
      value >>>= 7;
    }
    out.write(value);
  }

  private static int readVarint(DataInputView in) throws IOException {
    int value = 0;
    int shift = 0;
    int b;
    do {
      b = in.readUnsignedByte();
      value |= (b & 0x7F) << shift;
      shift += 7;
    } while (b >= HIGH_BIT);
    return value;
  }
}
