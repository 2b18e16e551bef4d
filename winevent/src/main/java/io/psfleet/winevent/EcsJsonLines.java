package io.psfleet.winevent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads Winlogbeat / Elastic Common Schema documents, one per line: {@code winlog.event_id}, {@code
 * winlog.channel}, {@code winlog.provider_name}, {@code winlog.computer_name}, {@code
 * winlog.record_id}, {@code @timestamp} and the fields of {@code winlog.event_data} (or {@code
 * winlog.user_data}). Nested objects and dotted keys ({@code "winlog.event_id"}) are both accepted.
 * A line without {@code winlog} is reported.
 */
public final class EcsJsonLines {
  private EcsJsonLines() {}

  public static ReadReport read(Path file, Consumer<? super WinEvent> sink) throws IOException {
    return JsonEventLines.read(file, WinEventFormat.ECS_JSON_LINES, EcsJsonLines::toEvent, sink);
  }

  static boolean looksLikeEcs(JsonNode o) {
    if (o.path("winlog").isObject()) {
      return true;
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      if (it.next().startsWith("winlog.")) {
        return true;
      }
    }
    return false;
  }

  static WinEvent toEvent(JsonNode o, String source, long index) throws JsonEventLines.NotAnEvent {
    if (!looksLikeEcs(o)) {
      throw new JsonEventLines.NotAnEvent("no winlog fields: not a Winlogbeat event");
    }
    long eventId = JsonEventLines.number(at(o, "winlog", "event_id"), -1);
    if (eventId < 0) {
      eventId = JsonEventLines.number(at(o, "event", "code"), -1);
    }
    if (eventId < 0 || eventId > Integer.MAX_VALUE) {
      throw new JsonEventLines.NotAnEvent("no numeric winlog.event_id");
    }
    Map<String, String> data = new LinkedHashMap<>();
    fields(o, "event_data", data);
    fields(o, "user_data", data);
    Instant time = Times.parse(JsonEventLines.textOrNull(o.get("@timestamp")));
    if (time == null) {
      time = Times.parse(JsonEventLines.textOrNull(at(o, "winlog", "time_created")));
    }
    String provider = JsonEventLines.textOrNull(at(o, "winlog", "provider_name"));
    String computer = JsonEventLines.textOrNull(at(o, "winlog", "computer_name"));
    return new WinEvent(
        source,
        index,
        provider != null ? provider : JsonEventLines.textOrNull(at(o, "event", "provider")),
        JsonEventLines.textOrNull(at(o, "winlog", "channel")),
        (int) eventId,
        time,
        computer != null ? computer : JsonEventLines.textOrNull(at(o, "host", "name")),
        JsonEventLines.number(at(o, "winlog", "record_id"), -1),
        data);
  }

  /** {@code parent.child} as a nested object or as one dotted key. */
  private static JsonNode at(JsonNode o, String parent, String child) {
    JsonNode nested = o.path(parent).get(child);
    if (nested != null && !nested.isNull()) {
      return nested;
    }
    return o.get(parent + "." + child);
  }

  private static void fields(JsonNode o, String part, Map<String, String> out) {
    JsonNode nested = o.path("winlog").get(part);
    if (nested != null && nested.isObject()) {
      JsonEventLines.leaves(nested, out);
    }
    JsonNode dottedObject = o.get("winlog." + part);
    if (dottedObject != null && dottedObject.isObject()) {
      JsonEventLines.leaves(dottedObject, out);
    }
    String prefix = "winlog." + part + ".";
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().startsWith(prefix)) {
        out.put(f.getKey().substring(prefix.length()), JsonEventLines.text(f.getValue()));
      }
    }
  }
}
