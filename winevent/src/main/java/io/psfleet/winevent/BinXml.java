package io.psfleet.winevent;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary XML of one EVTX chunk (MS-EVEN6 "BinXml"): tokens to a small tree, and substitution
 * values to text. Every read is bounds-checked against the chunk, so a hostile length can at worst
 * make a {@link Malformed} about its record; nothing is allocated beyond the chunk's own size.
 *
 * <p>Templates are parsed once per chunk and cached by their chunk offset; a record then costs only
 * its substitution array. Offsets in this class are relative to the chunk start.
 */
final class BinXml {
  /** Deeper nesting than Windows ever writes; bounds recursion on hostile input. */
  static final int MAX_DEPTH = 64;

  static final int TYPE_NULL = 0x00;
  static final int TYPE_STRING = 0x01;
  static final int TYPE_FILETIME = 0x11;
  static final int TYPE_BINXML = 0x21;
  static final int ARRAY = 0x80;

  private static final DateTimeFormatter ISO_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Seconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
  private static final long FILETIME_EPOCH_SECONDS = 11_644_473_600L;

  /** Broken binary XML; {@code offset} is chunk-relative. */
  static final class Malformed extends Exception {
    final int offset;

    Malformed(int offset, String message) {
      super(message, null, false, false);
      this.offset = offset;
    }
  }

  sealed interface Node permits Element, Text, Subst, Template {}

  record Element(String name, Attr[] attrs, Node[] children) implements Node {}

  record Attr(String name, Node[] value) {}

  record Text(String text) implements Node {}

  /** A substitution slot of a template; {@code optional} drops the slot when its value is null. */
  record Subst(int index, boolean optional, int type) implements Node {}

  /** A template instance: the template's body and this instance's substitution values. */
  record Template(Node[] body, Values values) implements Node {}

  /** Substitution values of one template instance, as (type, offset, size) into the chunk. */
  record Values(int[] type, int[] offset, int[] size) {
    int count() {
      return type.length;
    }

    boolean isNull(int i) {
      return i >= type.length || type[i] == TYPE_NULL || size[i] == 0;
    }
  }

  private static final Node[] NO_NODES = new Node[0];
  private static final Attr[] NO_ATTRS = new Attr[0];

  private final byte[] b;
  private final int limit;
  private final boolean trimStrings;
  private final Map<Integer, String> names = new HashMap<>();
  private final Map<Integer, Object> templates = new HashMap<>();

  /**
   * Binary XML of the chunk in {@code chunk[0, limit)}; {@code trimStrings} drops trailing white
   * space from string values, as evtx_dump (0.8.5 and later) does.
   */
  BinXml(byte[] chunk, int limit, boolean trimStrings) {
    this.b = chunk;
    this.limit = limit;
    this.trimStrings = trimStrings;
  }

  /** Templates parsed so far in this chunk (figures only). */
  int templateCount() {
    return templates.size();
  }

  // ---------------------------------------------------------------- tokens

  private static final class Cursor {
    int pos;
    final int end;

    /**
     * Element starts carry a 2-byte dependency identifier inside template definitions, but not in
     * elements written directly in a record or in a nested BinXml value.
     */
    final boolean dependencyIds;

    Cursor(int pos, int end, boolean dependencyIds) {
      this.pos = pos;
      this.end = end;
      this.dependencyIds = dependencyIds;
    }
  }

  /** The nodes of a fragment in {@code [start, end)}: a record's event or a nested BinXml value. */
  Node[] fragment(int start, int end, int depth) throws Malformed {
    if (start < 0 || end > limit || start > end) {
      throw new Malformed(start, "binary XML outside the chunk");
    }
    return fragment(new Cursor(start, end, false), depth);
  }

  private Node[] fragment(Cursor c, int depth) throws Malformed {
    if (depth > MAX_DEPTH) {
      throw new Malformed(c.pos, "binary XML nested deeper than " + MAX_DEPTH);
    }
    List<Node> nodes = new ArrayList<>(2);
    while (c.pos < c.end) {
      int tok = b[c.pos] & 0xff;
      switch (tok) {
        case 0x00 -> {
          c.pos++;
          return nodes.toArray(NO_NODES);
        }
        case 0x0f -> {
          need(c, 4, "fragment header");
          c.pos += 4;
        }
        case 0x0c -> nodes.add(template(c, depth + 1));
        case 0x01, 0x41 -> nodes.add(element(c, depth + 1));
        case 0x0a, 0x0b -> processingInstruction(c);
        default -> {
          Node n = content(c, tok);
          if (n == null) {
            throw new Malformed(c.pos, "unexpected token 0x" + Integer.toHexString(tok));
          }
          nodes.add(n);
        }
      }
    }
    return nodes.toArray(NO_NODES);
  }

  /** Text-like tokens: value, substitution, CDATA, char and entity refs; null for others. */
  private Node content(Cursor c, int tok) throws Malformed {
    switch (tok) {
      case 0x05, 0x45 -> {
        need(c, 2, "value");
        int type = b[c.pos + 1] & 0xff;
        c.pos += 2;
        if (type != TYPE_STRING) {
          throw new Malformed(c.pos - 2, "value token of type 0x" + Integer.toHexString(type));
        }
        return new Text(counted(c, "value text"));
      }
      case 0x0d, 0x0e -> {
        need(c, 4, "substitution");
        int index = u16(c.pos + 1);
        int type = b[c.pos + 3] & 0xff;
        c.pos += 4;
        return new Subst(index, tok == 0x0e, type);
      }
      case 0x07, 0x47 -> {
        c.pos++;
        return new Text(counted(c, "CDATA"));
      }
      case 0x08, 0x48 -> {
        need(c, 3, "character reference");
        int ch = u16(c.pos + 1);
        c.pos += 3;
        return new Text(String.valueOf((char) ch));
      }
      case 0x09, 0x49 -> {
        c.pos++;
        String name = name(c);
        return new Text(
            switch (name) {
              case "amp" -> "&";
              case "lt" -> "<";
              case "gt" -> ">";
              case "quot" -> "\"";
              case "apos" -> "'";
              default -> "&" + name + ";";
            });
      }
      default -> {
        return null;
      }
    }
  }

  private void processingInstruction(Cursor c) throws Malformed {
    if ((b[c.pos] & 0xff) == 0x0a) {
      c.pos++;
      name(c);
    } else {
      c.pos++;
      counted(c, "processing instruction data");
    }
  }

  private Element element(Cursor c, int depth) throws Malformed {
    if (depth > MAX_DEPTH) {
      throw new Malformed(c.pos, "elements nested deeper than " + MAX_DEPTH);
    }
    boolean hasAttrs = (b[c.pos] & 0x40) != 0;
    // token, [dependency id (2)], data size (4). Writers do not always follow the rule on the
    // dependency id; a data size past the chunk means the other variant (evtx_dump does the same).
    need(c, 5, "element start");
    boolean withId = c.dependencyIds;
    if (c.pos <= c.end - 7 && u32(c.pos + (withId ? 3 : 1)) >= limit) {
      withId = !withId;
    }
    c.pos += withId ? 7 : 5;
    if (c.pos > c.end) {
      throw new Malformed(c.pos, "element start cut off at the end of its record");
    }
    String name = name(c);
    Attr[] attrs = NO_ATTRS;
    if (hasAttrs) {
      need(c, 4, "attribute list size");
      c.pos += 4;
      List<Attr> list = new ArrayList<>(4);
      while (c.pos < c.end && (b[c.pos] & 0xbf) == 0x06) {
        c.pos++;
        String attrName = name(c);
        list.add(new Attr(attrName, contents(c)));
      }
      attrs = list.toArray(NO_ATTRS);
    }
    need(c, 1, "end of element start");
    int close = b[c.pos] & 0xff;
    c.pos++;
    if (close == 0x03) {
      return new Element(name, attrs, NO_NODES);
    }
    if (close != 0x02) {
      throw new Malformed(
          c.pos - 1,
          "element <" + name + "> start ends with token 0x" + Integer.toHexString(close));
    }
    List<Node> children = new ArrayList<>(4);
    while (true) {
      need(c, 1, "content of <" + name + ">");
      int tok = b[c.pos] & 0xff;
      switch (tok) {
        case 0x04 -> {
          c.pos++;
          return new Element(name, attrs, children.toArray(NO_NODES));
        }
        case 0x01, 0x41 -> children.add(element(c, depth + 1));
        case 0x0c -> children.add(template(c, depth + 1));
        case 0x0a, 0x0b -> processingInstruction(c);
        default -> {
          Node n = content(c, tok);
          if (n == null) {
            throw new Malformed(
                c.pos, "unexpected token 0x" + Integer.toHexString(tok) + " in <" + name + ">");
          }
          children.add(n);
        }
      }
    }
  }

  /** An attribute's value: the text-like tokens that follow its name. */
  private Node[] contents(Cursor c) throws Malformed {
    Node first = null;
    List<Node> more = null;
    while (c.pos < c.end) {
      int tok = b[c.pos] & 0xff;
      if (tok == 0x01 || tok == 0x41 || (tok & 0xbf) == 0x06) {
        break;
      }
      Node n = content(c, tok);
      if (n == null) {
        break;
      }
      if (first == null) {
        first = n;
      } else {
        if (more == null) {
          more = new ArrayList<>();
          more.add(first);
        }
        more.add(n);
      }
    }
    if (more != null) {
      return more.toArray(NO_NODES);
    }
    return first == null ? NO_NODES : new Node[] {first};
  }

  private Template template(Cursor c, int depth) throws Malformed {
    if (depth > MAX_DEPTH) {
      throw new Malformed(c.pos, "templates nested deeper than " + MAX_DEPTH);
    }
    // token, unknown (1), template id (4), definition offset (4)
    need(c, 10, "template instance");
    int defOffset = (int) u32(c.pos + 6);
    c.pos += 10;
    Node[] body;
    if (defOffset == c.pos) {
      // The first instance in a chunk carries the definition inline: skip over it.
      need(c, 24, "template definition header");
      long dataSize = u32(defOffset + 20);
      if (dataSize > c.end - c.pos - 24) {
        throw new Malformed(defOffset, "template definition size " + dataSize + " past its record");
      }
      body = templateBody(defOffset, depth);
      c.pos += 24 + (int) dataSize;
    } else {
      body = templateBody(defOffset, depth);
    }
    need(c, 4, "substitution count");
    long count = u32(c.pos);
    c.pos += 4;
    if (count > (c.end - c.pos) / 4) {
      throw new Malformed(c.pos - 4, "substitution count " + count + " past its record");
    }
    int n = (int) count;
    int[] type = new int[n];
    int[] offset = new int[n];
    int[] size = new int[n];
    for (int i = 0; i < n; i++) {
      size[i] = u16(c.pos);
      type[i] = b[c.pos + 2] & 0xff;
      c.pos += 4;
    }
    for (int i = 0; i < n; i++) {
      if (size[i] > c.end - c.pos) {
        throw new Malformed(
            c.pos, "substitution " + i + " of " + size[i] + " bytes past its record");
      }
      offset[i] = c.pos;
      c.pos += size[i];
    }
    return new Template(body, new Values(type, offset, size));
  }

  private Node[] templateBody(int defOffset, int depth) throws Malformed {
    Object cached = templates.get(defOffset);
    if (cached == null) {
      try {
        if (defOffset < 0 || defOffset > limit - 24) {
          throw new Malformed(defOffset, "template definition outside the chunk");
        }
        long dataSize = u32(defOffset + 20);
        if (dataSize > limit - defOffset - 24) {
          throw new Malformed(
              defOffset, "template definition size " + dataSize + " past the chunk");
        }
        cached = fragment(new Cursor(defOffset + 24, defOffset + 24 + (int) dataSize, true), depth);
      } catch (Malformed e) {
        cached = e;
      }
      templates.put(defOffset, cached);
    }
    if (cached instanceof Malformed e) {
      throw new Malformed(
          e.offset, "template at chunk offset " + defOffset + ": " + e.getMessage());
    }
    return (Node[]) cached;
  }

  /** A name: inline right here (then skipped), or a reference to one elsewhere in the chunk. */
  private String name(Cursor c) throws Malformed {
    need(c, 4, "name offset");
    int off = (int) u32(c.pos);
    c.pos += 4;
    if (off == c.pos) {
      String name = nameAt(off);
      c.pos += 10 + 2 * name.length();
      if (c.pos > c.end) {
        throw new Malformed(off, "name past the end of its record");
      }
      return name;
    }
    return nameAt(off);
  }

  private String nameAt(int off) throws Malformed {
    String cached = names.get(off);
    if (cached != null) {
      return cached;
    }
    // next name offset (4), hash (2), character count (2), UTF-16LE characters, NUL
    if (off < 0 || off > limit - 8) {
      throw new Malformed(off, "name outside the chunk");
    }
    int count = u16(off + 6);
    if (count > (limit - off - 8) / 2) {
      throw new Malformed(off, "name of " + count + " characters past the chunk");
    }
    String name = utf16(off + 8, count);
    names.put(off, name);
    return name;
  }

  private String counted(Cursor c, String what) throws Malformed {
    need(c, 2, what);
    int count = u16(c.pos);
    c.pos += 2;
    if (count > (c.end - c.pos) / 2) {
      throw new Malformed(c.pos - 2, what + " of " + count + " characters past its record");
    }
    String s = utf16(c.pos, count);
    c.pos += 2 * count;
    return s;
  }

  private static void need(Cursor c, int n, String what) throws Malformed {
    if (c.pos > c.end - n) {
      throw new Malformed(c.pos, what + " cut off at the end of its record");
    }
  }

  // ---------------------------------------------------------------- values

  /** A substitution value's bytes as a nested fragment (type BinXml). */
  Node[] nested(Values v, int i, int depth) throws Malformed {
    return fragment(v.offset[i], v.offset[i] + v.size[i], depth + 1);
  }

  /** A FILETIME value as an instant, or null where it is not a FILETIME. */
  Instant instant(Values v, int i) {
    if (v.isNull(i) || v.type[i] != TYPE_FILETIME || v.size[i] < 8) {
      return null;
    }
    return filetime(u64(v.offset[i]));
  }

  static Instant filetime(long ticks) {
    if (ticks < 0) {
      return null;
    }
    return Instant.ofEpochSecond(
        ticks / 10_000_000L - FILETIME_EPOCH_SECONDS, (ticks % 10_000_000L) * 100);
  }

  /** A substitution value as evtx_dump writes it (see the module README for the rules). */
  String render(Values v, int i) {
    if (v.isNull(i)) {
      return "";
    }
    int type = v.type[i];
    int off = v.offset[i];
    int size = v.size[i];
    if ((type & ARRAY) != 0) {
      return array(type & ~ARRAY, off, size);
    }
    return scalar(type, off, size);
  }

  private String array(int type, int off, int size) {
    StringBuilder s = new StringBuilder();
    int end = off + size;
    if (type == TYPE_STRING || type == 0x02) {
      int width = type == TYPE_STRING ? 2 : 1;
      int start = off;
      for (int p = off; p + width <= end; p += width) {
        boolean nul = b[p] == 0 && (width == 1 || b[p + 1] == 0);
        if (nul) {
          append(s, scalar(type, start, p - start));
          start = p + width;
        }
      }
      if (start < end - width + 1) {
        append(s, scalar(type, start, end - start));
      }
      return s.toString();
    }
    if (type == 0x13) {
      int p = off;
      while (p + 8 <= end) {
        int len = 8 + 4 * (b[p + 1] & 0xff);
        if (p + len > end) {
          break;
        }
        append(s, scalar(type, p, len));
        p += len;
      }
      return s.toString();
    }
    int width = width(type);
    if (width == 0) {
      return hex(off, size);
    }
    for (int p = off; p + width <= end; p += width) {
      append(s, scalar(type, p, width));
    }
    return s.toString();
  }

  private static void append(StringBuilder s, String item) {
    if (!s.isEmpty()) {
      s.append(',');
    }
    s.append(item);
  }

  private static int width(int type) {
    return switch (type) {
      case 0x03, 0x04 -> 1;
      case 0x05, 0x06 -> 2;
      case 0x07, 0x08, 0x0b, 0x0d, 0x14 -> 4;
      case 0x09, 0x0a, 0x0c, 0x10, 0x11, 0x15 -> 8;
      case 0x0f, 0x12 -> 16;
      default -> 0;
    };
  }

  private String scalar(int type, int off, int size) {
    if (type != TYPE_STRING && type != 0x02 && type != 0x0e && type != 0x13 && type != 0x23) {
      int width = type == 0x10 ? (size >= 8 ? 8 : 4) : width(type);
      if (width == 0 || size < width) {
        return hex(off, size);
      }
    }
    return switch (type) {
      case TYPE_STRING, 0x23 -> clean(utf16(off, size / 2));
      case 0x02 -> clean(new String(b, off, size, StandardCharsets.ISO_8859_1));
      case 0x03 -> Integer.toString(b[off]);
      case 0x04 -> Integer.toString(b[off] & 0xff);
      case 0x05 -> Integer.toString((short) u16(off));
      case 0x06 -> Integer.toString(u16(off));
      case 0x07 -> Integer.toString((int) u32(off));
      case 0x08 -> Long.toString(u32(off));
      case 0x09 -> Long.toString(u64(off));
      case 0x0a -> Long.toUnsignedString(u64(off));
      case 0x0b -> real(Float.intBitsToFloat((int) u32(off)));
      case 0x0c -> real(Double.longBitsToDouble(u64(off)));
      case 0x0d -> u32(off) != 0 ? "true" : "false";
      case 0x0e -> hex(off, size);
      case 0x0f -> guid(off);
      case 0x10 -> "0x" + Long.toHexString(size >= 8 ? u64(off) : u32(off));
      case 0x11 -> {
        Instant t = filetime(u64(off));
        yield t == null ? "0x" + Long.toHexString(u64(off)) : ISO_MICROS.format(t);
      }
      case 0x12 -> systemtime(off);
      case 0x13 -> sid(off, size);
      case 0x14 -> "0x" + Long.toHexString(u32(off));
      case 0x15 -> "0x" + Long.toHexString(u64(off));
      case 0x20 -> Long.toString(size >= 8 ? u64(off) : u32(off));
      default -> hex(off, size);
    };
  }

  private static String real(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  private static String real(float f) {
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      return Float.toString(f);
    }
    return new BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
  }

  private String guid(int off) {
    StringBuilder s = new StringBuilder(36);
    hexTo(s, u32(off), 8);
    s.append('-');
    hexTo(s, u16(off + 4), 4);
    s.append('-');
    hexTo(s, u16(off + 6), 4);
    s.append('-');
    for (int k = 8; k < 16; k++) {
      if (k == 10) {
        s.append('-');
      }
      hexTo(s, b[off + k] & 0xff, 2);
    }
    return s.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static void hexTo(StringBuilder s, long value, int digits) {
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
      s.append(HEX[(int) (value >>> shift) & 0xf]);
    }
  }

  private String hex(int off, int size) {
    StringBuilder s = new StringBuilder(2 * size);
    for (int k = 0; k < size; k++) {
      hexTo(s, b[off + k] & 0xff, 2);
    }
    return s.toString();
  }

  private String systemtime(int off) {
    try {
      LocalDateTime t =
          LocalDateTime.of(
              u16(off),
              u16(off + 2),
              u16(off + 6),
              u16(off + 8),
              u16(off + 10),
              u16(off + 12),
              u16(off + 14) * 1_000_000);
      return ISO_MICROS.format(t.toInstant(ZoneOffset.UTC));
    } catch (DateTimeException e) {
      return hex(off, 16);
    }
  }

  private String sid(int off, int size) {
    if (size < 8) {
      return hex(off, size);
    }
    int count = b[off + 1] & 0xff;
    if (8 + 4 * count > size) {
      return hex(off, size);
    }
    long authority = 0;
    for (int k = 2; k < 8; k++) {
      authority = (authority << 8) | (b[off + k] & 0xff);
    }
    StringBuilder s = new StringBuilder("S-").append(b[off] & 0xff).append('-').append(authority);
    for (int k = 0; k < count; k++) {
      s.append('-').append(u32(off + 8 + 4 * k));
    }
    return s.toString();
  }

  /** Without trailing NULs, and without trailing white space where asked. */
  private String clean(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == 0 || (trimStrings && isWhite(s.charAt(end - 1))))) {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  private static boolean isWhite(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  // ---------------------------------------------------------------- bytes

  private String utf16(int off, int count) {
    // Most event text is Latin-1: build the compact string directly, without a char[] copy.
    boolean latin1 = true;
    for (int k = 0; k < count; k++) {
      if (b[off + 2 * k + 1] != 0) {
        latin1 = false;
        break;
      }
    }
    if (latin1) {
      byte[] bytes = new byte[count];
      for (int k = 0; k < count; k++) {
        bytes[k] = b[off + 2 * k];
      }
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    char[] chars = new char[count];
    for (int k = 0; k < count; k++) {
      int p = off + 2 * k;
      chars[k] = (char) ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
    }
    return new String(chars);
  }

  int u16(int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  long u32(int off) {
    return ((b[off] & 0xff)
            | (b[off + 1] & 0xff) << 8
            | (b[off + 2] & 0xff) << 16
            | (long) (b[off + 3] & 0xff) << 24)
        & 0xffffffffL;
  }

  long u64(int off) {
    return u32(off) | u32(off + 4) << 32;
  }
}
