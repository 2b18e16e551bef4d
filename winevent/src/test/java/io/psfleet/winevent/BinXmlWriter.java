package io.psfleet.winevent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes EVTX files token by token, for tests of what the regression recordings do not hold (nested
 * BinXml, UserData, optional substitutions, CDATA, entity and character references). Names are
 * written inline the first time and referenced by offset after that, as Windows does.
 */
final class BinXmlWriter {
  private final byte[] chunk = new byte[65536];
  private final Map<String, Integer> names = new HashMap<>();
  private int pos = 512;
  private boolean dependencyIds = true;
  private int recordStart;
  private long records;

  // ------------------------------------------------------------------ records

  BinXmlWriter beginRecord(long recordId, long filetime) {
    recordStart = pos;
    u32(0x00002a2a);
    u32(0); // size, patched in endRecord
    u64(recordId);
    u64(filetime);
    records++;
    return this;
  }

  BinXmlWriter endRecord() {
    int size = pos - recordStart + 4;
    put32(recordStart + 4, size);
    u32(size);
    return this;
  }

  // ------------------------------------------------------------------ tokens

  BinXmlWriter fragmentHeader() {
    return u8(0x0f).u8(1).u8(1).u8(0);
  }

  BinXmlWriter eof() {
    return u8(0x00);
  }

  /** Start of a template instance whose definition follows inline; returns the offset to patch. */
  int templateInline() {
    u8(0x0c).u8(1).u32(0x1234);
    u32(pos + 4); // definition right here
    int def = pos;
    u32(0); // next definition
    pos += 16; // GUID
    u32(0); // data size, patched by endTemplateDefinition
    return def;
  }

  BinXmlWriter endTemplateDefinition(int def) {
    put32(def + 20, pos - def - 24);
    return this;
  }

  /** A template instance that refers to a definition written earlier in the chunk. */
  BinXmlWriter templateRef(int def) {
    return u8(0x0c).u8(1).u32(0x1234).u32(def);
  }

  /** The substitution array: {@code values[i]} is {type, bytes}. */
  BinXmlWriter substitutions(Object[]... values) {
    u32(values.length);
    for (Object[] v : values) {
      u16(((byte[]) v[1]).length).u8((Integer) v[0]).u8(0);
    }
    for (Object[] v : values) {
      bytes((byte[]) v[1]);
    }
    return this;
  }

  BinXmlWriter open(String name, boolean hasAttributes) {
    u8(hasAttributes ? 0x41 : 0x01);
    if (dependencyIds) {
      u16(0xffff);
    }
    u32(0);
    name(name);
    if (hasAttributes) {
      u32(0);
    }
    return this;
  }

  BinXmlWriter attribute(String name) {
    u8(0x06);
    return name(name);
  }

  BinXmlWriter closeStart() {
    return u8(0x02);
  }

  BinXmlWriter closeEmpty() {
    return u8(0x03);
  }

  BinXmlWriter end() {
    return u8(0x04);
  }

  BinXmlWriter text(String text) {
    u8(0x05).u8(0x01).u16(text.length());
    return bytes(text.getBytes(StandardCharsets.UTF_16LE));
  }

  BinXmlWriter cdata(String text) {
    u8(0x07).u16(text.length());
    return bytes(text.getBytes(StandardCharsets.UTF_16LE));
  }

  BinXmlWriter charRef(char c) {
    return u8(0x08).u16(c);
  }

  BinXmlWriter entityRef(String name) {
    u8(0x09);
    return name(name);
  }

  BinXmlWriter subst(int index, int type) {
    return u8(0x0d).u16(index).u8(type);
  }

  BinXmlWriter optionalSubst(int index, int type) {
    return u8(0x0e).u16(index).u8(type);
  }

  private BinXmlWriter name(String name) {
    Integer at = names.get(name);
    if (at != null) {
      return u32(at);
    }
    u32(pos + 4);
    names.put(name, pos);
    u32(0).u16(0).u16(name.length());
    bytes(name.getBytes(StandardCharsets.UTF_16LE));
    return u16(0);
  }

  // ------------------------------------------------------------------ values

  static Object[] string(String s) {
    return new Object[] {0x01, s.getBytes(StandardCharsets.UTF_16LE)};
  }

  static Object[] uint16(int v) {
    return new Object[] {0x06, new byte[] {(byte) v, (byte) (v >> 8)}};
  }

  static Object[] uint64(long v) {
    byte[] b = new byte[8];
    for (int k = 0; k < 8; k++) {
      b[k] = (byte) (v >>> (8 * k));
    }
    return new Object[] {0x0a, b};
  }

  static Object[] filetime(long v) {
    Object[] u = uint64(v);
    return new Object[] {0x11, u[1]};
  }

  static Object[] nul() {
    return new Object[] {0x00, new byte[0]};
  }

  /** A nested BinXml value: written by {@code body} into a scratch writer sharing no names. */
  static Object[] binXml(byte[] fragment) {
    return new Object[] {0x21, fragment};
  }

  /**
   * The bytes written by {@code body} at chunk offset {@code at} (names inline, self-relative),
   * element starts without dependency identifiers, as in a nested BinXml value.
   */
  static byte[] fragmentAt(int at, java.util.function.Consumer<BinXmlWriter> body) {
    BinXmlWriter w = new BinXmlWriter();
    w.pos = at;
    w.dependencyIds = false;
    body.accept(w);
    return Arrays.copyOfRange(w.chunk, at, w.pos);
  }

  int position() {
    return pos;
  }

  // ------------------------------------------------------------------ file

  /** A file header and this one chunk, checksums computed. */
  byte[] file() {
    byte[] c = chunk.clone();
    System.arraycopy("ElfChnk\0".getBytes(StandardCharsets.US_ASCII), 0, c, 0, 8);
    putLong(c, 8, 1);
    putLong(c, 16, records);
    putLong(c, 24, 1);
    putLong(c, 32, records);
    put32(c, 40, 128);
    put32(c, 48, pos);
    CRC32 crc = new CRC32();
    crc.update(c, 512, pos - 512);
    put32(c, 52, (int) crc.getValue());
    crc.reset();
    crc.update(c, 0, 120);
    crc.update(c, 128, 384);
    put32(c, 124, (int) crc.getValue());

    byte[] file = new byte[4096 + 65536];
    System.arraycopy("ElfFile\0".getBytes(StandardCharsets.US_ASCII), 0, file, 0, 8);
    putLong(file, 24, records + 1);
    put32(file, 32, 128);
    file[36] = 1;
    file[38] = 3;
    file[40] = 0x00;
    file[41] = 0x10;
    file[42] = 1;
    crc.reset();
    crc.update(file, 0, 120);
    put32(file, 124, (int) crc.getValue());
    System.arraycopy(c, 0, file, 4096, 65536);
    return file;
  }

  // ------------------------------------------------------------------ bytes

  private BinXmlWriter u8(int v) {
    chunk[pos++] = (byte) v;
    return this;
  }

  private BinXmlWriter u16(int v) {
    return u8(v).u8(v >> 8);
  }

  private BinXmlWriter u32(int v) {
    put32(pos, v);
    pos += 4;
    return this;
  }

  private BinXmlWriter u64(long v) {
    putLong(chunk, pos, v);
    pos += 8;
    return this;
  }

  private BinXmlWriter bytes(byte[] b) {
    System.arraycopy(b, 0, chunk, pos, b.length);
    pos += b.length;
    return this;
  }

  private void put32(int at, int v) {
    put32(chunk, at, v);
  }

  private static void put32(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >> 8);
    b[at + 2] = (byte) (v >> 16);
    b[at + 3] = (byte) (v >> 24);
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int k = 0; k < 8; k++) {
      b[at + k] = (byte) (v >>> (8 * k));
    }
  }
}
