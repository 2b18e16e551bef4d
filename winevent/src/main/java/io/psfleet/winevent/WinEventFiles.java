package io.psfleet.winevent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One entry point for every recording format: the format is told from the content, never from the
 * file name, and the file read by the matching reader.
 *
 * <ul>
 *   <li>{@code ElfFile\0} or {@code ElfChnk\0} at the start: {@link WinEventFormat#EVTX}
 *   <li>{@code <} first: {@link WinEventFormat#XML_EVENT_LINES}
 *   <li>{@code {} first, and the first JSON object has {@code Event}: {@link
 *       WinEventFormat#EVTX_DUMP_JSON}; has {@code winlog} (nested or dotted): {@link
 *       WinEventFormat#ECS_JSON_LINES}; has {@code class_uid} and {@code metadata}: {@link
 *       WinEventFormat#OCSF_JSON_LINES}; otherwise {@link WinEventFormat#FLAT_JSON_LINES}
 *   <li>anything else: {@link WinEventFormat#UNKNOWN}, a report with one issue and no events
 * </ul>
 */
public final class WinEventFiles {
  /** How much of a file detection looks at. */
  static final int HEAD = 1 << 16;

  private WinEventFiles() {}

  /** Reads every event of {@code file}, whatever its format, into {@code sink}. */
  public static ReadReport read(Path file, Consumer<? super WinEvent> sink) throws IOException {
    WinEventFormat format = detect(file);
    return switch (format) {
      case EVTX -> EvtxReader.read(file, sink);
      case EVTX_DUMP_JSON -> EvtxDumpJson.read(file, sink);
      case ECS_JSON_LINES -> EcsJsonLines.read(file, sink);
      case FLAT_JSON_LINES -> FlatJsonLines.read(file, sink);
      case XML_EVENT_LINES -> XmlEventLines.read(file, sink);
      case OCSF_JSON_LINES -> OcsfJsonLines.read(file, sink);
      case UNKNOWN -> {
        ReadReport.Tally tally =
            new ReadReport.Tally(file.getFileName().toString(), WinEventFormat.UNKNOWN, sink);
        tally.atByte(
            0,
            "format not recognised (neither EVTX, evtx_dump JSON, Winlogbeat JSON, flat JSON"
                + " lines nor XML event lines); nothing read");
        yield tally.report();
      }
    };
  }

  /** Every event of {@code file} in a list, with the report; for small files and tests. */
  public static Read readAll(Path file) throws IOException {
    List<WinEvent> events = new ArrayList<>();
    ReadReport report = read(file, events::add);
    return new Read(List.copyOf(events), report);
  }

  /** The events of a file and what reading it found. */
  public record Read(List<WinEvent> events, ReadReport report) {}

  /** The format of {@code file}, from its first {@value #HEAD} bytes. */
  public static WinEventFormat detect(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEAD);
    }
    return detect(head, head.length);
  }

  static WinEventFormat detect(byte[] head, int length) {
    if (EvtxReader.hasSignature(head, length)) {
      return WinEventFormat.EVTX;
    }
    int start = 0;
    if (length >= 3
        && (head[0] & 0xff) == 0xef
        && (head[1] & 0xff) == 0xbb
        && (head[2] & 0xff) == 0xbf) {
      start = 3;
    }
    while (start < length && Character.isWhitespace(head[start])) {
      start++;
    }
    if (start >= length) {
      return WinEventFormat.UNKNOWN;
    }
    if (head[start] == '<') {
      return WinEventFormat.XML_EVENT_LINES;
    }
    if (head[start] != '{') {
      return WinEventFormat.UNKNOWN;
    }
    JsonNode first = firstObject(head, start, length);
    if (first != null) {
      if (first.has("Event")) {
        return WinEventFormat.EVTX_DUMP_JSON;
      }
      if (EcsJsonLines.looksLikeEcs(first)) {
        return WinEventFormat.ECS_JSON_LINES;
      }
      return OcsfJsonLines.looksLikeOcsf(first)
          ? WinEventFormat.OCSF_JSON_LINES
          : WinEventFormat.FLAT_JSON_LINES;
    }
    // The first object is longer than the head, or broken: judge by its first key.
    String text = new String(head, start, length - start, StandardCharsets.UTF_8);
    String firstKey = text.replaceFirst("(?s)^\\{\\s*\"([^\"]*)\".*", "$1");
    if (firstKey.equals("Event")) {
      return WinEventFormat.EVTX_DUMP_JSON;
    }
    if (text.contains("\"winlog")) {
      return WinEventFormat.ECS_JSON_LINES;
    }
    return text.contains("\"class_uid\"")
        ? WinEventFormat.OCSF_JSON_LINES
        : WinEventFormat.FLAT_JSON_LINES;
  }

  private static JsonNode firstObject(byte[] head, int start, int length) {
    try (JsonParser p =
        JsonEventLines.MAPPER.getFactory().createParser(head, start, length - start)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return JsonEventLines.MAPPER.readTree(p);
    } catch (IOException e) {
      return null;
    }
  }
}
