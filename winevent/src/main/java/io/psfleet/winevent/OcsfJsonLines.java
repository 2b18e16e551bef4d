package io.psfleet.winevent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sysmon's events as OCSF 1.3 System Activity, one JSON object per line: process create (Sysmon 1)
 * and terminate (5) as Process Activity Launch and Terminate, CreateRemoteThread (8) as Process
 * Activity Inject (remote thread), process access (10) as Process Activity Open, image load (7) as
 * Module Activity Load, driver load (6) as Kernel Extension Activity Load. The process the event
 * happens in is {@code process} (for a load, {@code actor.process}); the one that acted ({@code
 * ParentImage}'s process at a launch, the thread's creator at an injection) is {@code
 * actor.process}. Sysmon fields OCSF has no attribute for ({@code RuleName}, {@code UtcTime},
 * {@code CurrentDirectory}, the logon session, the signature, the thread's start) are kept under
 * {@code unmapped} by their Sysmon names, so nothing is lost and {@link #read} gives back the
 * Sysmon event written.
 *
 * <p>{@code time} is in milliseconds, as OCSF's timestamps are: finer digits do not survive.
 */
public final class OcsfJsonLines {
  static final String OCSF_VERSION = "1.3.0";

  /** How a Sysmon field is written into an OCSF attribute and read back. */
  private enum Kind {
    TEXT,
    /** An integer attribute ({@code pid}, {@code tid}). */
    NUMBER,
    /** A file's path; its last component is also written as the file's {@code name}. */
    PATH,
    /** {@code SHA1=...,MD5=...} as the file's {@code hashes} fingerprints, in their order. */
    HASHES
  }

  /**
   * One Sysmon field's place: read from the first path; written to every path (an attribute the
   * class requires, such as a terminated process's actor, repeats one of the event's values).
   */
  private record OcsfField(String sysmon, Kind kind, String... paths) {}

  /** One Sysmon event id's OCSF class, activity, fixed attributes and fields. */
  private record Mapping(
      int classUid, int activityId, Map<String, Object> fixed, List<OcsfField> fields) {}

  /**
   * Per Sysmon event id: where each field goes; a new event kind needs its entry here and nothing
   * else. ProcessAccess (10) is Process Activity Open; its GrantedAccess (hex, as Sysmon writes it)
   * and CallTrace stay under {@code unmapped}, since OCSF's {@code actual_permissions} is a number
   * that would not give back Sysmon's rendering.
   */
  private static final Map<Integer, Mapping> MAPPINGS =
      Map.of(
          1,
          new Mapping(
              1007,
              1,
              Map.of(),
              List.of(
                  new OcsfField("ProcessGuid", Kind.TEXT, "process.uid"),
                  new OcsfField("ProcessId", Kind.NUMBER, "process.pid"),
                  new OcsfField("Image", Kind.PATH, "process.file.path"),
                  new OcsfField("Hashes", Kind.HASHES, "process.file.hashes"),
                  new OcsfField("Description", Kind.TEXT, "process.file.desc"),
                  new OcsfField("Company", Kind.TEXT, "process.file.company_name"),
                  new OcsfField("FileVersion", Kind.TEXT, "process.file.version"),
                  new OcsfField("CommandLine", Kind.TEXT, "process.cmd_line"),
                  new OcsfField("User", Kind.TEXT, "process.user.name"),
                  new OcsfField("IntegrityLevel", Kind.TEXT, "process.integrity"),
                  new OcsfField("ParentProcessGuid", Kind.TEXT, "actor.process.uid"),
                  new OcsfField("ParentProcessId", Kind.NUMBER, "actor.process.pid"),
                  new OcsfField("ParentImage", Kind.PATH, "actor.process.file.path"),
                  new OcsfField("ParentCommandLine", Kind.TEXT, "actor.process.cmd_line"),
                  new OcsfField("ParentUser", Kind.TEXT, "actor.process.user.name"))),
          5,
          new Mapping(
              1007,
              2,
              Map.of(),
              List.of(
                  new OcsfField("ProcessGuid", Kind.TEXT, "process.uid", "actor.process.uid"),
                  new OcsfField("ProcessId", Kind.NUMBER, "process.pid", "actor.process.pid"),
                  new OcsfField("Image", Kind.PATH, "process.file.path"),
                  new OcsfField("User", Kind.TEXT, "process.user.name"))),
          6,
          new Mapping(
              1002,
              1,
              // Drivers are loaded by the kernel, in the System process (pid 4).
              Map.of("actor.process.pid", 4, "actor.process.name", "System"),
              List.of(
                  new OcsfField("ImageLoaded", Kind.PATH, "driver.file.path"),
                  new OcsfField("Hashes", Kind.HASHES, "driver.file.hashes"))),
          7,
          new Mapping(
              1005,
              1,
              Map.of("module.load_type_id", 1, "module.load_type", "Standard"),
              List.of(
                  new OcsfField("ProcessGuid", Kind.TEXT, "actor.process.uid"),
                  new OcsfField("ProcessId", Kind.NUMBER, "actor.process.pid"),
                  new OcsfField("Image", Kind.PATH, "actor.process.file.path"),
                  new OcsfField("User", Kind.TEXT, "actor.process.user.name"),
                  new OcsfField("ImageLoaded", Kind.PATH, "module.file.path"),
                  new OcsfField("Hashes", Kind.HASHES, "module.file.hashes"),
                  new OcsfField("Description", Kind.TEXT, "module.file.desc"),
                  new OcsfField("Company", Kind.TEXT, "module.file.company_name"),
                  new OcsfField("FileVersion", Kind.TEXT, "module.file.version"))),
          8,
          new Mapping(
              1007,
              4,
              Map.of("injection_type_id", 1, "injection_type", "Remote Thread"),
              List.of(
                  new OcsfField("SourceProcessGuid", Kind.TEXT, "actor.process.uid"),
                  new OcsfField("SourceProcessId", Kind.NUMBER, "actor.process.pid"),
                  new OcsfField("SourceImage", Kind.PATH, "actor.process.file.path"),
                  new OcsfField("SourceUser", Kind.TEXT, "actor.process.user.name"),
                  new OcsfField("TargetProcessGuid", Kind.TEXT, "process.uid"),
                  new OcsfField("TargetProcessId", Kind.NUMBER, "process.pid"),
                  new OcsfField("TargetImage", Kind.PATH, "process.file.path"),
                  new OcsfField("TargetUser", Kind.TEXT, "process.user.name"),
                  new OcsfField("NewThreadId", Kind.NUMBER, "process.tid"))),
          10,
          new Mapping(
              1007,
              3,
              Map.of(),
              List.of(
                  new OcsfField("SourceProcessGUID", Kind.TEXT, "actor.process.uid"),
                  new OcsfField("SourceProcessId", Kind.NUMBER, "actor.process.pid"),
                  new OcsfField("SourceThreadId", Kind.NUMBER, "actor.process.tid"),
                  new OcsfField("SourceImage", Kind.PATH, "actor.process.file.path"),
                  new OcsfField("SourceUser", Kind.TEXT, "actor.process.user.name"),
                  new OcsfField("TargetProcessGUID", Kind.TEXT, "process.uid"),
                  new OcsfField("TargetProcessId", Kind.NUMBER, "process.pid"),
                  new OcsfField("TargetImage", Kind.PATH, "process.file.path"),
                  new OcsfField("TargetUser", Kind.TEXT, "process.user.name"))));

  private static final Set<Integer> CLASSES = Set.of(1002, 1005, 1007);

  /** Fingerprint algorithm ids of OCSF for Sysmon's hash names; others are 99 (Other). */
  private static final Map<String, Integer> ALGORITHMS = Map.of("MD5", 1, "SHA1", 2, "SHA256", 3);

  private OcsfJsonLines() {}

  public static ReadReport read(Path file, Consumer<? super WinEvent> sink) throws IOException {
    return JsonEventLines.read(file, WinEventFormat.OCSF_JSON_LINES, OcsfJsonLines::toEvent, sink);
  }

  static boolean looksLikeOcsf(JsonNode o) {
    return o.has("class_uid") && o.has("metadata");
  }

  static WinEvent toEvent(JsonNode o, String source, long index) throws JsonEventLines.NotAnEvent {
    if (!looksLikeOcsf(o)) {
      throw new JsonEventLines.NotAnEvent("no class_uid and metadata: not an OCSF event");
    }
    int classUid = (int) JsonEventLines.number(o.get("class_uid"), -1);
    if (!CLASSES.contains(classUid)) {
      throw new JsonEventLines.NotAnEvent(
          "OCSF class " + classUid + " is not Process, Module or Kernel Extension Activity");
    }
    JsonNode metadata = o.get("metadata");
    long eventId = JsonEventLines.number(metadata.get("event_code"), -1);
    if (eventId < 0 || eventId > Integer.MAX_VALUE) {
      throw new JsonEventLines.NotAnEvent("no numeric metadata.event_code (the source's event id)");
    }
    Map<String, String> data = new LinkedHashMap<>();
    Mapping mapping = MAPPINGS.get((int) eventId);
    if (mapping != null) {
      for (OcsfField f : mapping.fields()) {
        JsonNode value = at(o, f.paths()[0]);
        if (value != null) {
          data.put(
              f.sysmon(), f.kind() == Kind.HASHES ? hashes(value) : JsonEventLines.text(value));
        }
      }
    }
    JsonNode unmapped = o.get("unmapped");
    if (unmapped != null && unmapped.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = unmapped.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        data.put(f.getKey(), JsonEventLines.text(f.getValue()));
      }
    }
    long millis = JsonEventLines.number(o.get("time"), Long.MIN_VALUE);
    return new WinEvent(
        source,
        index,
        JsonEventLines.textOrNull(metadata.get("log_provider")),
        JsonEventLines.textOrNull(metadata.get("log_name")),
        (int) eventId,
        millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis),
        JsonEventLines.textOrNull(o.path("device").get("hostname")),
        JsonEventLines.number(metadata.get("uid"), -1),
        data);
  }

  /**
   * A writer of the classes above. An event id without a mapping is written as Process Activity
   * with activity Other (99) and every field under {@code unmapped}, so that nothing is dropped.
   */
  static WinEventWriter writer() {
    return e -> {
      Mapping mapping = MAPPINGS.get(e.eventId());
      ObjectNode doc = JsonEventLines.MAPPER.createObjectNode();
      int classUid = mapping != null ? mapping.classUid() : 1007;
      int activity = mapping != null ? mapping.activityId() : 99;
      doc.put("category_uid", 1);
      doc.put("class_uid", classUid);
      doc.put("activity_id", activity);
      doc.put("type_uid", classUid * 100L + activity);
      doc.put("severity_id", 1);
      if (e.timeCreated() != null) {
        doc.put("time", e.timeCreated().toEpochMilli());
      }
      ObjectNode metadata = doc.putObject("metadata");
      metadata.put("version", OCSF_VERSION);
      ObjectNode product = metadata.putObject("product");
      product.put("name", e.isSysmon() ? "Sysmon" : SysmonLog.provider(e));
      product.put("vendor_name", "Microsoft");
      metadata.put("log_provider", SysmonLog.provider(e));
      metadata.put("log_name", SysmonLog.channel(e));
      metadata.put("event_code", Integer.toString(e.eventId()));
      if (e.recordId() >= 0) {
        metadata.put("uid", Long.toString(e.recordId()));
      }
      ObjectNode device = doc.putObject("device");
      if (e.computer() != null) {
        device.put("hostname", e.computer());
      }
      device.put("type_id", 0);
      doc.putObject("actor");
      Set<String> mapped = new java.util.HashSet<>();
      if (mapping != null) {
        mapping.fixed().forEach((path, value) -> put(doc, path, value));
        for (OcsfField f : mapping.fields()) {
          String value = e.field(f.sysmon());
          if (value == null) {
            continue;
          }
          mapped.add(f.sysmon());
          for (String path : f.paths()) {
            write(doc, f, path, value);
          }
        }
      }
      ObjectNode unmapped = null;
      for (Map.Entry<String, String> f : e.eventData().entrySet()) {
        if (f.getValue() != null && !mapped.contains(f.getKey())) {
          if (unmapped == null) {
            unmapped = doc.putObject("unmapped");
          }
          unmapped.put(f.getKey(), f.getValue());
        }
      }
      try {
        return JsonEventLines.MAPPER.writeValueAsBytes(doc);
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("cannot write a JSON tree", ex);
      }
    };
  }

  private static void write(ObjectNode doc, OcsfField f, String path, String value) {
    switch (f.kind()) {
      case TEXT -> put(doc, path, value);
      case NUMBER -> {
        try {
          put(doc, path, Long.parseLong(value));
        } catch (NumberFormatException notANumber) {
          put(doc, path, value);
        }
      }
      case PATH -> {
        put(doc, path, value);
        String file = path.substring(0, path.lastIndexOf('.'));
        put(doc, file + ".name", value.substring(value.lastIndexOf('\\') + 1));
        put(doc, file + ".type_id", 1);
      }
      case HASHES -> {
        ArrayNode hashes = parent(doc, path).putArray(leaf(path));
        for (String pair : value.split(",")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            continue;
          }
          String algorithm = pair.substring(0, eq);
          ObjectNode fingerprint = hashes.addObject();
          Integer id = ALGORITHMS.get(algorithm);
          fingerprint.put("algorithm_id", id != null ? id : 99);
          if (id == null) {
            fingerprint.put("algorithm", algorithm);
          }
          fingerprint.put("value", pair.substring(eq + 1));
        }
      }
    }
  }

  /** Sysmon's {@code Hashes} from fingerprints, in their order. */
  private static String hashes(JsonNode fingerprints) {
    StringBuilder b = new StringBuilder();
    for (JsonNode fp : fingerprints) {
      int id = (int) JsonEventLines.number(fp.get("algorithm_id"), 0);
      String name =
          ALGORITHMS.entrySet().stream()
              .filter(a -> a.getValue() == id)
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(JsonEventLines.text(fp.get("algorithm")));
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(name).append('=').append(JsonEventLines.text(fp.get("value")));
    }
    return b.toString();
  }

  private static JsonNode at(JsonNode o, String dotted) {
    JsonNode node = o;
    for (String part : dotted.split("\\.")) {
      node = node.get(part);
      if (node == null || node.isNull()) {
        return null;
      }
    }
    return node;
  }

  private static void put(ObjectNode doc, String path, Object value) {
    ObjectNode parent = parent(doc, path);
    String leaf = leaf(path);
    if (value instanceof Integer i) {
      parent.put(leaf, i);
    } else if (value instanceof Long l) {
      parent.put(leaf, l);
    } else {
      parent.put(leaf, (String) value);
    }
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private static ObjectNode parent(ObjectNode doc, String path) {
    ObjectNode node = doc;
    int start = 0;
    for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', start)) {
      String part = path.substring(start, dot);
      JsonNode child = node.get(part);
      node = child instanceof ObjectNode o ? o : node.putObject(part);
      start = dot + 1;
    }
    return node;
  }
}
