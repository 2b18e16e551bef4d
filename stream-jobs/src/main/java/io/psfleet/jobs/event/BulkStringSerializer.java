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

  /** Read buffer for ASCII strings up to this length; longer ones get their own. */
  private static final int SCRATCH = 4096;

  /** Longest text a {@link Reader} keeps an instance of: host ids and topics, not paths. */
  private static final int MAX_INTERNED = 64;

  /** For the callers off the per-event path (state restore, the correlation operators' input). */
  private static final ThreadLocal<Reader> READERS = ThreadLocal.withInitial(() -> new Reader(0));

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

  /** Reads one string with this thread's {@link Reader}. */
  public static String read(DataInputView in) throws IOException {
    return READERS.get().read(in);
  }

  /**
   * Reads strings of this format into a scratch buffer of its own: a serializer on the per-event
   * path holds one (and is duplicated per thread), since a thread-local lookup per string cost the
   * keyBy more than the copy it saves. With intern slots, a short ASCII text that comes again comes
   * back as the same instance: a host id or topic read with every record costs no new string.
   */
  public static final class Reader {
    private final byte[] scratch = new byte[SCRATCH];
    private final String[] interned;
    private final int shift;

    /** A reader keeping {@code internSlots} texts (0, or a power of two from 2), direct-mapped. */
    public Reader(int internSlots) {
      if (internSlots < 0 || internSlots == 1 || (internSlots & (internSlots - 1)) != 0) {
        throw new IllegalArgumentException(
            "intern slots must be 0 or a power of two from 2, got " + internSlots);
      }
      interned = internSlots == 0 ? null : new String[internSlots];
      shift = 32 - Integer.numberOfTrailingZeros(Math.max(internSlots, 2));
    }

    public String read(DataInputView in) throws IOException {
      int lenPlusOne = readVarint(in);
      if (lenPlusOne == 0) {
        return null;
      }
      int len = lenPlusOne - 1;
      byte[] bytes = len <= SCRATCH ? scratch : new byte[len];
      // At least one byte per char: reading len bytes never reads past this string.
      in.readFully(bytes, 0, len);
      int i = 0;
      while (i < len && bytes[i] >= 0) {
        i++;
      }
      if (i < len) {
        return decodeRest(bytes, i, len, in);
      }
      if (interned == null || len > MAX_INTERNED) {
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      int h = 0;
      for (int k = 0; k < len; k++) {
        h = 31 * h + bytes[k];
      }
      // Fibonacci hashing: host ids are numbered, and their plain hashes fall in runs that a
      // mask of the low bits folds onto each other.
      int slot = (h * 0x9E3779B9) >>> shift;
      String kept = interned[slot];
      if (kept != null && sameAscii(kept, bytes, len)) {
        return kept;
      }
      String s = new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      interned[slot] = s;
      return s;
    }

    private static boolean sameAscii(String s, byte[] bytes, int len) {
      if (s.length() != len) {
        return false;
      }
      for (int k = 0; k < len; k++) {
        if (s.charAt(k) != bytes[k]) {
          return false;
        }
      }
      return true;
    }
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
