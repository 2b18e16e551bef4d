package io.psfleet.harness.latency;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The value of one named field in a record as text, without parsing the whole record: in JSON (at
 * any depth: {@code "ProcessGuid":"{...}"}, a number or a literal), in Sysmon's XML ({@code <Data
 * Name='ProcessGuid'>...</Data>}, either quote, or an element of its own such as {@code
 * <EventRecordID>42</EventRecordID>}). The first occurrence wins. Stateless: one instance serves
 * any number of threads.
 */
public final class RecordIds {
  /** What {@code --match} takes besides {@code key}: a plain field name. */
  public static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_@-]{0,127}");

  private final byte[] json;
  private final byte[] xmlData;
  private final byte[] xmlDataQuoted;
  private final byte[] xmlElement;
  private final byte[] xmlElementEnd;

  /**
   * @throws IllegalArgumentException if {@code field} is not a plain field name
   */
  public RecordIds(String field) {
    if (!FIELD_NAME.matcher(field).matches()) {
      throw new IllegalArgumentException(
          "a field name has letters, digits, '_', '-' or '@' and no dots, got '" + field + "'");
    }
    json = ("\"" + field + "\"").getBytes(StandardCharsets.UTF_8);
    xmlData = ("Name='" + field + "'>").getBytes(StandardCharsets.UTF_8);
    xmlDataQuoted = ("Name=\"" + field + "\">").getBytes(StandardCharsets.UTF_8);
    xmlElement = ("<" + field + ">").getBytes(StandardCharsets.UTF_8);
    xmlElementEnd = ("</" + field + ">").getBytes(StandardCharsets.UTF_8);
  }

  /** The field's value in {@code record}, or null when the record does not carry it. */
  public String find(byte[] record) {
    if (record == null) {
      return null;
    }
    String value = fromJson(record);
    if (value != null) {
      return value;
    }
    for (byte[] data : new byte[][] {xmlData, xmlDataQuoted}) {
      int at = indexOf(record, data, 0);
      if (at >= 0) {
        return xmlText(record, at + data.length);
      }
    }
    int at = indexOf(record, xmlElement, 0);
    if (at >= 0) {
      int from = at + xmlElement.length;
      int end = indexOf(record, xmlElementEnd, from);
      return end < 0 ? null : text(record, from, end);
    }
    return null;
  }

  private String fromJson(byte[] record) {
    int from = 0;
    while (true) {
      int at = indexOf(record, json, from);
      if (at < 0) {
        return null;
      }
      int i = skipSpace(record, at + json.length);
      // A string value that equals the name ("x":"ProcessGuid") is not the field: look further.
      if (i < record.length && record[i] == ':') {
        i = skipSpace(record, i + 1);
        if (i >= record.length) {
          return null;
        }
        if (record[i] == '"') {
          int end = i + 1;
          while (end < record.length && record[end] != '"') {
            end += record[end] == '\\' ? 2 : 1;
          }
          return end >= record.length ? null : text(record, i + 1, end);
        }
        int end = i;
        while (end < record.length
            && record[end] != ','
            && record[end] != '}'
            && record[end] != ']'
            && record[end] > ' ') {
          end++;
        }
        String token = text(record, i, end);
        return token.isEmpty() || token.equals("null") ? null : token;
      }
      from = at + 1;
    }
  }

  private static String xmlText(byte[] record, int from) {
    int end = from;
    while (end < record.length && record[end] != '<') {
      end++;
    }
    return end >= record.length ? null : text(record, from, end);
  }

  private static int skipSpace(byte[] record, int i) {
    while (i < record.length && (record[i] == ' ' || record[i] == '\t' || record[i] == '\n')) {
      i++;
    }
    return i;
  }

  private static String text(byte[] record, int from, int to) {
    return new String(record, from, to - from, StandardCharsets.UTF_8);
  }

  static int indexOf(byte[] data, byte[] needle, int from) {
    byte first = needle[0];
    int last = data.length - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (data[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
