package io.psfleet.winevent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

  /** How a Sysmon field becomes an ECS field; {@link #DASH} values are left out, as Beats do. */
  private enum Ecs {
    TEXT,
    NUMBER,
    BOOLEAN,
    /** A path, and its last component as the sibling {@code name}. */
    PATH,
    /** {@code SHA1=...,MD5=...}: one lowercase field per algorithm under the path. */
    HASHES,
    /** {@code DOMAIN\\name}: {@code domain} and {@code name} under the path. */
    USER
  }

  private record EcsField(String sysmon, String path, Ecs kind) {}

  private static final String DASH = "-";

  /**
   * Per Sysmon event id, the ECS fields Winlogbeat 8.x's Sysmon processing adds beside {@code
   * winlog.event_data} (which keeps every field as Sysmon wrote it): the process the event happens
   * in, its parent, the file loaded, the user. An event id of a new kind needs its line here.
   */
  private static final Map<Integer, List<EcsField>> ECS_FIELDS =
      Map.of(
          1,
          List.of(
              new EcsField("ProcessGuid", "process.entity_id", Ecs.TEXT),
              new EcsField("ProcessId", "process.pid", Ecs.NUMBER),
              new EcsField("Image", "process.executable", Ecs.PATH),
              new EcsField("CommandLine", "process.command_line", Ecs.TEXT),
              new EcsField("CurrentDirectory", "process.working_directory", Ecs.TEXT),
              new EcsField("OriginalFileName", "process.pe.original_file_name", Ecs.TEXT),
              new EcsField("Description", "process.pe.description", Ecs.TEXT),
              new EcsField("Product", "process.pe.product", Ecs.TEXT),
              new EcsField("Company", "process.pe.company", Ecs.TEXT),
              new EcsField("FileVersion", "process.pe.file_version", Ecs.TEXT),
              new EcsField("Hashes", "process.hash", Ecs.HASHES),
              new EcsField("ParentProcessGuid", "process.parent.entity_id", Ecs.TEXT),
              new EcsField("ParentProcessId", "process.parent.pid", Ecs.NUMBER),
              new EcsField("ParentImage", "process.parent.executable", Ecs.PATH),
              new EcsField("ParentCommandLine", "process.parent.command_line", Ecs.TEXT),
              new EcsField("User", "user", Ecs.USER)),
          5,
          List.of(
              new EcsField("ProcessGuid", "process.entity_id", Ecs.TEXT),
              new EcsField("ProcessId", "process.pid", Ecs.NUMBER),
              new EcsField("Image", "process.executable", Ecs.PATH),
              new EcsField("User", "user", Ecs.USER)),
          6,
          List.of(
              new EcsField("ImageLoaded", "file.path", Ecs.PATH),
              new EcsField("Hashes", "file.hash", Ecs.HASHES),
              new EcsField("Signed", "file.code_signature.signed", Ecs.BOOLEAN),
              new EcsField("Signature", "file.code_signature.subject_name", Ecs.TEXT),
              new EcsField("SignatureStatus", "file.code_signature.status", Ecs.TEXT)),
          7,
          List.of(
              new EcsField("ProcessGuid", "process.entity_id", Ecs.TEXT),
              new EcsField("ProcessId", "process.pid", Ecs.NUMBER),
              new EcsField("Image", "process.executable", Ecs.PATH),
              new EcsField("ImageLoaded", "file.path", Ecs.PATH),
              new EcsField("OriginalFileName", "file.pe.original_file_name", Ecs.TEXT),
              new EcsField("Description", "file.pe.description", Ecs.TEXT),
              new EcsField("Product", "file.pe.product", Ecs.TEXT),
              new EcsField("Company", "file.pe.company", Ecs.TEXT),
              new EcsField("FileVersion", "file.pe.file_version", Ecs.TEXT),
              new EcsField("Hashes", "file.hash", Ecs.HASHES),
              new EcsField("Signed", "file.code_signature.signed", Ecs.BOOLEAN),
              new EcsField("Signature", "file.code_signature.subject_name", Ecs.TEXT),
              new EcsField("SignatureStatus", "file.code_signature.status", Ecs.TEXT),
              new EcsField("User", "user", Ecs.USER)),
          8,
          List.of(
              new EcsField("SourceProcessGuid", "process.entity_id", Ecs.TEXT),
              new EcsField("SourceProcessId", "process.pid", Ecs.NUMBER),
              new EcsField("SourceImage", "process.executable", Ecs.PATH),
              new EcsField("SourceUser", "user", Ecs.USER)),
          // As Winlogbeat's Sysmon module: the opener is the process, the opened one its target.
          10,
          List.of(
              new EcsField("SourceProcessGUID", "process.entity_id", Ecs.TEXT),
              new EcsField("SourceProcessId", "process.pid", Ecs.NUMBER),
              new EcsField("SourceThreadId", "process.thread.id", Ecs.NUMBER),
              new EcsField("SourceImage", "process.executable", Ecs.PATH),
              new EcsField("SourceUser", "user", Ecs.USER)));

  /** ECS {@code event.category} and {@code event.type} per Sysmon event id. */
  private static String[] categoryAndType(int eventId) {
    return switch (eventId) {
      case 1 -> new String[] {"process", "start"};
      case 5 -> new String[] {"process", "end"};
      case 6 -> new String[] {"driver", "start"};
      case 7, 8 -> new String[] {"process", "change"};
      case 10 -> new String[] {"process", "access"};
      default -> null;
    };
  }

  /**
   * A writer of Winlogbeat 8.x documents: {@code @timestamp}, {@code event.*} ({@code code} is the
   * event id as text), {@code host.name}, {@code winlog.*} with every EventData field in {@code
   * winlog.event_data}, and the ECS fields of {@link #ECS_FIELDS}. {@link #read} reads back {@code
   * winlog}; the ECS fields are for the pipeline under test.
   */
  static WinEventWriter writer() {
    return e -> {
      ObjectNode doc = JsonEventLines.MAPPER.createObjectNode();
      if (e.timeCreated() != null) {
        doc.put("@timestamp", Times.millis(e.timeCreated()));
      }
      ObjectNode event = doc.putObject("event");
      event.put("code", Integer.toString(e.eventId()));
      event.put("kind", "event");
      event.put("provider", SysmonLog.provider(e));
      if (e.isSysmon()) {
        event.put("module", "sysmon");
      }
      String task = SysmonLog.task(e.eventId());
      if (task != null) {
        event.put("action", task);
      }
      String[] categoryAndType = categoryAndType(e.eventId());
      if (categoryAndType != null) {
        event.putArray("category").add(categoryAndType[0]);
        event.putArray("type").add(categoryAndType[1]);
      }
      if (e.computer() != null) {
        doc.putObject("host").put("name", e.computer());
      }
      ObjectNode winlog = doc.putObject("winlog");
      winlog.put("api", "wineventlog");
      winlog.put("channel", SysmonLog.channel(e));
      if (e.computer() != null) {
        winlog.put("computer_name", e.computer());
      }
      winlog.put("event_id", Integer.toString(e.eventId()));
      if (e.isSysmon()) {
        winlog.put("provider_guid", SysmonLog.PROVIDER_GUID);
      }
      winlog.put("provider_name", SysmonLog.provider(e));
      if (e.recordId() >= 0) {
        winlog.put("record_id", e.recordId());
      }
      if (task != null) {
        winlog.put("task", task);
      }
      winlog.put("version", SysmonLog.version(e.eventId()));
      ObjectNode data = winlog.putObject("event_data");
      e.eventData()
          .forEach(
              (name, value) -> {
                if (value != null) {
                  data.put(name, value);
                }
              });
      for (EcsField f : ECS_FIELDS.getOrDefault(e.eventId(), List.of())) {
        String value = e.field(f.sysmon());
        if (value != null && !value.equals(DASH)) {
          ecs(doc, f, value);
        }
      }
      doc.putObject("ecs").put("version", "8.0.0");
      try {
        return JsonEventLines.MAPPER.writeValueAsBytes(doc);
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("cannot write a JSON tree", ex);
      }
    };
  }

  private static void ecs(ObjectNode doc, EcsField f, String value) {
    int dot = f.path().lastIndexOf('.');
    ObjectNode parent = dot < 0 ? doc : objectAt(doc, f.path().substring(0, dot));
    String leaf = f.path().substring(dot + 1);
    switch (f.kind()) {
      case TEXT -> parent.put(leaf, value);
      case NUMBER -> {
        try {
          parent.put(leaf, Long.parseLong(value));
        } catch (NumberFormatException notANumber) {
          parent.put(leaf, value);
        }
      }
      case BOOLEAN -> parent.put(leaf, Boolean.parseBoolean(value));
      case PATH -> {
        parent.put(leaf, value);
        parent.put("name", value.substring(value.lastIndexOf('\\') + 1));
      }
      case HASHES -> {
        ObjectNode hash = objectAt(doc, f.path());
        for (String pair : value.split(",")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            hash.put(
                pair.substring(0, eq).toLowerCase(Locale.ROOT),
                pair.substring(eq + 1).toLowerCase(Locale.ROOT));
          }
        }
      }
      case USER -> {
        ObjectNode user = objectAt(doc, f.path());
        int slash = value.indexOf('\\');
        if (slash > 0) {
          user.put("domain", value.substring(0, slash));
        }
        user.put("name", value.substring(slash + 1));
      }
    }
  }

  private static ObjectNode objectAt(ObjectNode doc, String dotted) {
    ObjectNode node = doc;
    for (String part : dotted.split("\\.")) {
      JsonNode child = node.get(part);
      node = child instanceof ObjectNode o ? o : node.putObject(part);
    }
    return node;
  }
}
