package io.psfleet.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates an event (an OCSF JSON object) against a compiled {@link OcsfSchema}, following the
 * OCSF server's validator: the class named by {@code class_uid}, every attribute's type and
 * requirement, objects recursively, arrays, enums and their caption siblings, constraints, {@code
 * type_uid}, {@code metadata.version}, and profiles — an attribute a profile brings is only allowed
 * when {@code metadata.profiles} declares that profile. Attributes the class or object does not
 * define are errors, except inside an attribute of type {@code object} (such as {@code unmapped}),
 * which OCSF leaves open.
 *
 * <p>Where this is stricter than the server, it says so: a value that does not match its type's
 * regex, and an enum sibling that differs from the enum caption, are errors here (the server only
 * warns), because a feed we publish should not need a "but" in its description. Like the server, a
 * value outside an attribute's {@code enum} is an error; when the enum has 99 (Other), that is the
 * value to use, with the source's own value in the sibling, which then need not match a caption.
 *
 * <p>Thread-safe; meant for tests and {@code --validate}, not for a per-event hot path.
 */
public final class OcsfValidator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SEMVER = Pattern.compile("^\\d+\\.\\d+\\.\\d+(?:-dev|-rc\\.\\d+)?$");
  private static final String OTHER = "99";

  private final OcsfSchema schema;

  public OcsfValidator(OcsfSchema schema) {
    this.schema = schema;
  }

  /** A validator of the bundled OCSF 1.3.0. */
  public static OcsfValidator bundled() {
    return new OcsfValidator(OcsfSchema.bundled());
  }

  public ValidationResult validate(byte[] json) {
    try {
      return validate(JSON.readTree(json));
    } catch (IOException e) {
      return new ValidationResult(List.of(new Issue("", "not JSON: " + e.getMessage())), List.of());
    }
  }

  public ValidationResult validate(JsonNode event) {
    Run run = new Run();
    run.event(event);
    return new ValidationResult(run.errors, run.warnings);
  }

  /** The state of one validation: what it found so far and the profiles the event declares. */
  private final class Run {
    final List<Issue> errors = new ArrayList<>();
    final List<Issue> warnings = new ArrayList<>();
    Set<String> profiles = Set.of();

    void event(JsonNode event) {
      if (event == null || !event.isObject()) {
        error("", "an event is a JSON object, got " + kind(event));
        return;
      }
      JsonNode classUid = event.get("class_uid");
      if (classUid == null || classUid.isNull()) {
        error("class_uid", "required attribute is missing; without it the class is unknown");
        return;
      }
      if (!classUid.isIntegralNumber() || !classUid.canConvertToInt()) {
        error("class_uid", "expected integer_t, got " + kind(classUid));
        return;
      }
      Definition eventClass = schema.eventClass(classUid.intValue()).orElse(null);
      if (eventClass == null) {
        error("class_uid", "no OCSF " + schema.version() + " class has uid " + classUid.intValue());
        return;
      }
      if (eventClass.deprecated()) {
        warning("class_uid", eventClass.describe() + " is deprecated");
      }
      profiles = declaredProfiles(event.path("metadata").path("profiles"));
      object(event, "", eventClass);
      version(event.path("metadata").path("version"));
      typeUid(event);
      observables(event.path("observables"), eventClass);
    }

    /** An observable's {@code name} is the path of an attribute the class defines. */
    private void observables(JsonNode observables, Definition eventClass) {
      if (!observables.isArray()) {
        return; // missing or of the wrong type: reported as an attribute of the class
      }
      for (int i = 0; i < observables.size(); i++) {
        JsonNode name = observables.get(i).path("name");
        if (name.isTextual() && !defines(eventClass, name.asText().split("\\."), 0)) {
          error(
              "observables[" + i + "].name",
              "\""
                  + name.asText()
                  + "\" is not the path of an attribute of "
                  + eventClass.describe());
        }
      }
    }

    private boolean defines(Definition definition, String[] path, int index) {
      Attribute a = definition.attributes().get(path[index]);
      if (a == null || !allowed(a)) {
        return false;
      }
      if (index == path.length - 1) {
        return true;
      }
      Definition object = a.type() == null ? null : schema.object(a.type()).orElse(null);
      return object != null && defines(object, path, index + 1);
    }

    private Set<String> declaredProfiles(JsonNode declared) {
      Set<String> names = new HashSet<>();
      if (!declared.isArray()) {
        return names; // a wrong type is reported where metadata.profiles is checked as attribute
      }
      for (int i = 0; i < declared.size(); i++) {
        String name = declared.get(i).asText();
        if (declared.get(i).isTextual() && !schema.profiles().contains(name)) {
          error("metadata.profiles[" + i + "]", "no OCSF profile is called \"" + name + "\"");
        }
        names.add(name);
      }
      return names;
    }

    private void version(JsonNode version) {
      if (!version.isTextual()) {
        return; // missing or of the wrong type: reported as an attribute of metadata
      }
      String v = version.asText();
      if (!SEMVER.matcher(v).matches()) {
        error("metadata.version", "\"" + v + "\" is not a semantic version");
      } else if (compareVersions(v, schema.version()) > 0) {
        error(
            "metadata.version",
            "\"" + v + "\" is newer than the schema validated against (" + schema.version() + ")");
      } else if (!v.equals(schema.version())) {
        warning(
            "metadata.version",
            "\"" + v + "\" differs from the schema validated against (" + schema.version() + ")");
      }
    }

    private void typeUid(JsonNode event) {
      JsonNode classUid = event.path("class_uid");
      JsonNode activityId = event.path("activity_id");
      JsonNode typeUid = event.path("type_uid");
      if (classUid.isIntegralNumber()
          && activityId.isIntegralNumber()
          && typeUid.isIntegralNumber()) {
        long expected = classUid.longValue() * 100 + activityId.longValue();
        if (typeUid.longValue() != expected) {
          error(
              "type_uid",
              typeUid.longValue()
                  + " is not class_uid * 100 + activity_id = "
                  + classUid.longValue()
                  + " * 100 + "
                  + activityId.longValue()
                  + " = "
                  + expected);
        }
      }
    }

    /** A JSON object against a class or object: attributes, unknown keys, enums, constraints. */
    private void object(JsonNode node, String path, Definition definition) {
      Map<String, Attribute> all = definition.attributes();
      for (Attribute a : all.values()) {
        if (!allowed(a)) {
          continue;
        }
        JsonNode value = node.get(a.name());
        String at = join(path, a.name());
        if (value == null || value.isNull()) {
          missing(at, a);
        } else {
          attribute(value, at, a);
        }
      }
      if (!all.isEmpty()) { // an item without attributes (OCSF's "object") takes anything
        node.fieldNames()
            .forEachRemaining(
                key -> {
                  Attribute a = all.get(key);
                  if (a == null) {
                    error(
                        join(path, key),
                        "attribute \"" + key + "\" is not defined in " + definition.describe());
                  } else if (!allowed(a)) {
                    error(
                        join(path, key),
                        "attribute \""
                            + key
                            + "\" belongs to profile \""
                            + a.profile()
                            + "\", which metadata.profiles does not declare");
                    // Declaring the profile would not be enough if the value is wrong too: say so.
                    if (!node.get(key).isNull()) {
                      attribute(node.get(key), join(path, key), a);
                    }
                  }
                });
      }
      for (Attribute a : all.values()) {
        JsonNode value = node.get(a.name());
        if (a.isEnum() && allowed(a) && value != null && !value.isNull() && isOfType(value, a)) {
          enumValue(node, path, a, value);
        }
      }
      constraints(node, path, definition);
    }

    private boolean allowed(Attribute a) {
      return a.profile() == null || profiles.contains(a.profile());
    }

    private void missing(String path, Attribute a) {
      if (a.requirement() == Requirement.REQUIRED) {
        error(path, "required attribute is missing");
      } else if (a.requirement() == Requirement.RECOMMENDED) {
        warning(path, "recommended attribute is missing");
      }
    }

    private void attribute(JsonNode value, String path, Attribute a) {
      if (a.deprecated()) {
        warning(path, "attribute \"" + a.name() + "\" is deprecated");
      }
      if (a.isArray()) {
        if (!value.isArray()) {
          error(path, "expected an array of " + a.type() + ", got " + kind(value));
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          value(value.get(i), path + "[" + i + "]", a);
        }
      } else {
        value(value, path, a);
      }
    }

    private void value(JsonNode value, String path, Attribute a) {
      if (a.type() == null) {
        error(path, "schema defines no type for attribute \"" + a.name() + "\"");
        return;
      }
      DataType type = schema.type(a.type()).orElse(null);
      if (type != null) {
        typed(value, path, type);
        return;
      }
      Definition object = schema.object(a.type()).orElse(null);
      if (object == null) {
        error(path, "schema names an unknown type \"" + a.type() + "\"");
      } else if (!value.isObject()) {
        error(path, "expected a " + a.type() + " object, got " + kind(value));
      } else {
        if (object.deprecated()) {
          warning(path, object.describe() + " is deprecated");
        }
        object(value, path, object);
      }
    }

    /** Whether the value has the attribute's primitive type (already reported when not). */
    private boolean isOfType(JsonNode value, Attribute a) {
      DataType type = a.type() == null ? null : schema.type(a.type()).orElse(null);
      if (type == null) {
        return true;
      }
      if (a.isArray()) {
        for (JsonNode element : value) {
          if (!primitiveMatches(element, type)) {
            return false;
          }
        }
        return value.isArray();
      }
      return primitiveMatches(value, type);
    }

    /** A value against a dictionary type and, for a subtype, its base type. */
    private void typed(JsonNode value, String path, DataType type) {
      String expected =
          type.baseType() == null ? type.name() : type.name() + " (" + type.baseType() + ")";
      if (!KNOWN_PRIMITIVES.contains(type.primitive())) {
        error(path, "schema type " + type.name() + " has unknown base " + type.primitive());
        return;
      }
      if (!primitiveMatches(value, type)) {
        error(path, "expected " + expected + ", got " + kind(value));
        return;
      }
      DataType base = type.baseType() == null ? null : schema.type(type.baseType()).orElse(null);
      for (DataType t : base == null ? List.of(type) : List.of(type, base)) {
        constraints(value, path, t);
      }
    }

    private void constraints(JsonNode value, String path, DataType t) {
      if (t.maxLength() != null && value.isTextual()) {
        int length = value.asText().codePointCount(0, value.asText().length());
        if (length > t.maxLength()) {
          error(path, "length " + length + " exceeds " + t.name() + "'s maximum " + t.maxLength());
        }
      }
      if (t.regex() != null && value.isTextual() && !t.regex().matcher(value.asText()).find()) {
        error(path, "\"" + value.asText() + "\" is not a valid " + t.name());
      }
      if (t.range() != null && value.isNumber()) {
        double v = value.asDouble();
        if (v < t.range()[0] || v > t.range()[1]) {
          error(
              path,
              value
                  + " is outside "
                  + t.name()
                  + "'s range "
                  + (long) t.range()[0]
                  + " to "
                  + (long) t.range()[1]);
        }
      }
      if (!t.values().isEmpty() && !t.values().contains(value)) {
        error(path, value + " is not one of " + t.name() + "'s values " + t.values());
      }
    }

    private void enumValue(JsonNode node, String path, Attribute a, JsonNode value) {
      if (a.isArray()) {
        if (!value.isArray()) {
          return; // reported as a wrong type
        }
        JsonNode siblings = a.sibling() == null ? null : node.get(a.sibling());
        for (int i = 0; i < value.size(); i++) {
          JsonNode sibling =
              siblings != null && siblings.isArray() && i < siblings.size()
                  ? siblings.get(i)
                  : null;
          String siblingPath = a.sibling() == null ? null : join(path, a.sibling()) + "[" + i + "]";
          enumMember(join(path, a.name()) + "[" + i + "]", a, value.get(i), sibling, siblingPath);
        }
      } else {
        JsonNode sibling = a.sibling() == null ? null : node.get(a.sibling());
        String siblingPath = a.sibling() == null ? null : join(path, a.sibling());
        enumMember(join(path, a.name()), a, value, sibling, siblingPath);
      }
    }

    private void enumMember(
        String path, Attribute a, JsonNode value, JsonNode sibling, String siblingPath) {
      String key = value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.asText();
      EnumMember member = a.enumValues().get(key);
      if (member == null) {
        String hint =
            a.enumValues().containsKey(OTHER)
                ? "; a value the schema does not list is 99 (Other), with the source's own value in "
                    + (a.sibling() == null ? "the sibling" : "\"" + a.sibling() + "\"")
                : "";
        error(path, value + " is not a value of enum \"" + a.name() + "\" " + listing(a) + hint);
        return;
      }
      if (member.deprecated()) {
        warning(path, "enum value " + key + " of \"" + a.name() + "\" is deprecated");
      }
      // With 99 (Other) the sibling carries the source's own caption, so it may say anything.
      if (sibling != null && !sibling.isNull() && !OTHER.equals(key)) {
        if (!sibling.isTextual() || !sibling.asText().equals(member.caption())) {
          error(
              siblingPath,
              "must be the caption of "
                  + a.name()
                  + " "
                  + key
                  + ", \""
                  + member.caption()
                  + "\", got "
                  + sibling);
        }
      }
    }

    private void constraints(JsonNode node, String path, Definition definition) {
      definition
          .constraints()
          .forEach(
              (kind, names) -> {
                long present = names.stream().filter(n -> has(node, n)).count();
                switch (kind) {
                  case "at_least_one" -> {
                    if (present == 0) {
                      error(
                          path,
                          definition.describe() + " needs at least one of " + names + ", has none");
                    }
                  }
                  case "just_one" -> {
                    if (present != 1) {
                      error(
                          path,
                          definition.describe()
                              + " needs exactly one of "
                              + names
                              + ", has "
                              + present);
                    }
                  }
                  default -> error(path, "schema has an unknown constraint \"" + kind + "\"");
                }
              });
    }

    private void error(String path, String message) {
      errors.add(new Issue(path, message));
    }

    private void warning(String path, String message) {
      warnings.add(new Issue(path, message));
    }
  }

  private static final Set<String> KNOWN_PRIMITIVES =
      Set.of("boolean_t", "integer_t", "long_t", "float_t", "string_t", "json_t");

  private static boolean primitiveMatches(JsonNode value, DataType type) {
    return switch (type.primitive()) {
      case "boolean_t" -> value.isBoolean();
      case "integer_t" -> value.isIntegralNumber() && value.canConvertToInt();
      case "long_t" -> value.isIntegralNumber() && value.canConvertToLong();
      case "float_t" -> value.isFloatingPointNumber();
      case "string_t" -> value.isTextual();
      default -> true; // json_t, and unknown bases reported where the value is checked
    };
  }

  private static boolean has(JsonNode node, String name) {
    return node.has(name) && !node.get(name).isNull();
  }

  private static String listing(Attribute a) {
    Comparator<String> numericFirst =
        Comparator.comparing((String k) -> !k.matches("-?\\d{1,18}"))
            .thenComparing(k -> k.matches("-?\\d{1,18}") ? Long.parseLong(k) : 0L)
            .thenComparing(Comparator.naturalOrder());
    return a.enumValues().keySet().stream()
        .sorted(numericFirst)
        .map(
            k -> {
              String caption = a.enumValues().get(k).caption();
              return caption.equals(k) ? k : k + " " + caption;
            })
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String kind(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    return switch (value.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string " + value;
      case BOOLEAN -> "a boolean " + value;
      case NUMBER -> (value.isIntegralNumber() ? "an integer " : "a number ") + value;
      case NULL -> "null";
      default -> value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Compares x.y.z versions numerically, ignoring a pre-release suffix. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("-", 2)[0].split("\\.");
    String[] y = b.split("-", 2)[0].split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c =
          Integer.compare(
              i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
