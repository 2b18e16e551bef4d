package io.psfleet.winevent;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads evtx_dump-style JSON: a sequence of concatenated (not comma-separated) objects {@code
 * {"Event": {"System": {...}, "EventData": {...}}}}, as SigmaHQ stores the {@code .json} twin of
 * each regression recording, or one such object per line ({@code evtx_dump -o jsonl}). XML
 * attributes appear under {@code #attributes}; scalar values are rendered as their text (JSON
 * numbers as written), JSON null as the empty string.
 *
 * <p>A value that is not an event (no {@code Event}/{@code System}) is an issue naming its index
 * and line; reading goes on. Malformed JSON is an issue naming line and column; reading a file
 * resumes at the next line that starts with <code>{</code> (where evtx_dump starts each top-level
 * object), reading a stream ends there.
 */
public final class EvtxDumpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EvtxDumpJson() {}

  /**
   * Every event of the file, in order; strict: any problem in the file throws, with every issue in
   * the message. Use {@link #read(Path, Consumer)} to read past problems.
   *
   * @throws UncheckedIOException when the file cannot be read or holds anything but events
   */
  public static List<WinEvent> read(Path file) {
    List<WinEvent> events = new ArrayList<>();
    ReadReport report;
    try {
      report = read(file, events::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    failOnIssues(report);
    return events;
  }

  /**
   * Every event of the stream, in order; {@code source} names it in messages and events. Strict, as
   * {@link #read(Path)}.
   */
  public static List<WinEvent> read(InputStream in, String source) throws IOException {
    List<WinEvent> events = new ArrayList<>();
    ReadReport.Tally tally =
        new ReadReport.Tally(source, WinEventFormat.EVTX_DUMP_JSON, events::add);
    read(in, tally);
    failOnIssues(tally.report());
    return events;
  }

  /** Reads every event of {@code file} into {@code sink}; problems are issues in the report. */
  public static ReadReport read(Path file, Consumer<? super WinEvent> sink) throws IOException {
    ReadReport.Tally tally =
        new ReadReport.Tally(file.getFileName().toString(), WinEventFormat.EVTX_DUMP_JSON, sink);
    readResynchronising(file, tally);
    return tally.report();
  }

  private static void failOnIssues(ReadReport report) {
    if (!report.clean()) {
      StringBuilder s = new StringBuilder("cannot read ").append(report.source()).append(':');
      report.issues().forEach(i -> s.append("\n  ").append(i));
      throw new UncheckedIOException(new IOException(s.toString()));
    }
  }

  /** Where a malformed value stopped the parser; null when the stream was read to its end. */
  private record Stop(long byteOffset, long line) {}

  /** Reads the stream without resynchronising: a malformed value ends it. */
  private static void read(InputStream in, ReadReport.Tally tally) throws IOException {
    long[] index = {0};
    if (read(in, tally, index, 0, 0) != null) {
      tally.atIndex(index[0], "rest of the stream not read (a stream cannot be re-read)");
    }
  }

  /**
   * Reads the file; after malformed JSON it resumes at the next line that starts with {@code
   * {}, where evtx_dump starts every top-level object (pretty-printed or one per line).
   */
  private static void readResynchronising(Path file, ReadReport.Tally tally) throws IOException {
    long[] index = {0};
    long resumeAt = 0;
    long lineBase = 0;
    while (true) {
      Stop stop;
      try (InputStream in = Files.newInputStream(file)) {
        in.skipNBytes(resumeAt);
        stop = read(in, tally, index, lineBase, resumeAt);
      }
      if (stop == null) {
        return;
      }
      long[] next = stop.byteOffset < 0 ? null : nextObjectStart(file, resumeAt, stop.byteOffset);
      if (next == null) {
        tally.atIndex(index[0], "no further object start: rest of the file not read");
        return;
      }
      resumeAt = next[0];
      lineBase += next[1];
      tally.atIndex(index[0], "line " + (lineBase + 1) + ": reading resumes here");
    }
  }

  /**
   * The offset of the first line at or after {@code error} that starts with '{', and the number of
   * lines from {@code start} (a line start) to it; null where there is none.
   */
  private static long[] nextObjectStart(Path file, long start, long error) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      in.skipNBytes(start);
      long offset = start;
      long newlines = 0;
      boolean atLineStart = false;
      for (int c = in.read(); c >= 0; c = in.read(), offset++) {
        if (atLineStart && c == '{' && offset >= error && offset > start) {
          return new long[] {offset, newlines};
        }
        atLineStart = c == '\n';
        if (atLineStart) {
          newlines++;
        }
      }
      return null;
    } catch (EOFException e) {
      return null;
    }
  }

  /**
   * Reads values until the end of the stream (null) or malformed JSON (where it stopped, as a file
   * offset relative to the stream start and an absolute line). {@code lineBase} is added to line
   * numbers; {@code index} counts values across calls.
   */
  private static Stop read(
      InputStream in, ReadReport.Tally tally, long[] index, long lineBase, long streamBase)
      throws IOException {
    try (JsonParser parser = MAPPER.getFactory().createParser(in)) {
      try {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
          long line = lineBase + parser.currentTokenLocation().getLineNr();
          if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            tally.atIndex(
                index[0]++, "line " + line + ": a JSON " + token + ", not an event; skipped");
            continue;
          }
          JsonNode root = MAPPER.readTree(parser);
          JsonNode event = root.has("Event") ? root.get("Event") : root;
          if (!event.path("System").isObject()) {
            tally.atIndex(
                index[0]++, "line " + line + ": no Event/System object: not an event; skipped");
            continue;
          }
          index[0]++;
          tally.accept(toEvent(event, tally.source(), tally.nextIndex()));
        }
        return null;
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        long line = at == null ? lineBase : lineBase + at.getLineNr();
        tally.atIndex(
            index[0]++,
            (at == null ? "" : "line " + line + " column " + at.getColumnNr() + ": ")
                + "malformed JSON ("
                + e.getOriginalMessage()
                + "); skipped");
        long offset = at == null ? -1 : at.getByteOffset();
        return new Stop(offset < 0 ? -1 : streamBase + offset, line);
      }
    }
  }

  static WinEvent toEvent(JsonNode event, String source, long index) {
    JsonNode system = event.path("System");
    Map<String, String> data = new LinkedHashMap<>();
    JsonNode eventData = event.path("EventData");
    for (Iterator<Map.Entry<String, JsonNode>> it = eventData.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().startsWith("#")) {
        continue;
      }
      JsonNode value = field.getValue();
      if (field.getKey().equals("Data") && value.isObject() && value.has("#text")) {
        value = value.get("#text");
      }
      if (field.getKey().equals("Data") && value.isArray()) {
        // Unnamed <Data> elements, named as the EVTX reader names them.
        int k = 0;
        for (JsonNode item : value) {
          data.put(k == 0 ? "Data" : "Data#" + (k + 1), text(item));
          k++;
        }
        continue;
      }
      data.put(field.getKey(), text(value));
    }
    JsonNode userData = event.path("UserData");
    if (userData.isObject()) {
      JsonEventLines.leaves(userData, data);
    }
    return new WinEvent(
        source,
        index,
        textOrNull(system.path("Provider").path("#attributes").path("Name")),
        textOrNull(system.path("Channel")),
        system.path("EventID").isObject()
            ? system.path("EventID").path("#text").asInt(-1)
            : system.path("EventID").asInt(-1),
        instant(system.path("TimeCreated").path("#attributes").path("SystemTime")),
        textOrNull(system.path("Computer")),
        system.path("EventRecordID").asLong(-1),
        data);
  }

  private static String text(JsonNode value) {
    return JsonEventLines.text(value);
  }

  private static String textOrNull(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  private static Instant instant(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    return Times.parse(value.asText());
  }
}
