package io.psfleet.winevent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON object per line, mapped to a {@link WinEvent} by a format-specific mapper. A line that
 * is not JSON, not an object, or not a Windows event is an issue naming its line; reading goes on
 * with the next line.
 */
final class JsonEventLines {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Why a well-formed JSON object is not an event of the format. */
  static final class NotAnEvent extends Exception {
    NotAnEvent(String message) {
      super(message, null, false, false);
    }
  }

  @FunctionalInterface
  interface Mapper {
    WinEvent map(JsonNode object, String source, long index) throws NotAnEvent;
  }

  private JsonEventLines() {}

  static ReadReport read(
      Path file, WinEventFormat format, Mapper mapper, Consumer<? super WinEvent> sink)
      throws IOException {
    ReadReport.Tally tally = new ReadReport.Tally(file.getFileName().toString(), format, sink);
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
      long line = 0;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        if (line == 1 && text.startsWith("\uFEFF")) {
          text = text.substring(1);
        }
        if (text.isBlank()) {
          continue;
        }
        WinEvent event = null;
        try {
          JsonNode node = MAPPER.readTree(text);
          if (node == null || !node.isObject()) {
            throw new NotAnEvent("not a JSON object");
          }
          event = mapper.map(node, tally.source(), tally.nextIndex());
        } catch (JsonProcessingException e) {
          tally.atLine(line, "not JSON: " + e.getOriginalMessage() + "; line skipped");
        } catch (NotAnEvent e) {
          tally.atLine(line, e.getMessage() + "; line skipped");
        } catch (RuntimeException e) {
          // Defensive: whatever Jackson throws, the rest of the file is read.
          tally.atLine(line, "unreadable line (" + e + "); line skipped");
        }
        if (event != null) {
          tally.accept(event);
        }
      }
    }
    return tally.report();
  }

  /** A value's text: strings as they are, numbers and booleans as written, null as "". */
  static String text(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "";
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  /** A value's text, or null where absent, null or blank. */
  static String textOrNull(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()) {
      return null;
    }
    String s = value.asText();
    return s.isBlank() ? null : s;
  }

  /** An integer given as a JSON number or a decimal string; {@code fallback} otherwise. */
  static long number(JsonNode value, long fallback) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return fallback;
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.asText().trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  /** The first of {@code names} the object has (case-sensitive), or null. */
  static JsonNode first(JsonNode object, String... names) {
    for (String name : names) {
      JsonNode v = object.get(name);
      if (v != null && !v.isNull()) {
        return v;
      }
    }
    return null;
  }

  /** Leaf fields of a nested object (UserData style), each under its own name. */
  static void leaves(JsonNode object, Map<String, String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().startsWith("#")) {
        continue;
      }
      if (f.getValue().isObject()) {
        leaves(f.getValue(), out);
      } else {
        out.put(f.getKey(), text(f.getValue()));
      }
    }
  }
}
