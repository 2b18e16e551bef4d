package io.psfleet.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compiles the schema's source files the way the OCSF server does: {@code $include}d files and
 * profiles merged under the item's own attributes (profile attributes tagged with their profile),
 * {@code extends} resolved by merging the base under the item (attributes deeply, other keys
 * replaced, profile lists joined), each attribute merged over its dictionary entry, and the class
 * attributes the server derives ({@code class_uid}, {@code category_uid}, {@code type_uid}) given
 * their enums.
 */
final class SchemaCompiler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INCLUDE = "$include";

  private final SchemaFiles files;
  private final Map<String, JsonNode> parsed = new HashMap<>();

  private SchemaCompiler(SchemaFiles files) {
    this.files = files;
  }

  static OcsfSchema compile(SchemaFiles files) {
    return new SchemaCompiler(files).compile();
  }

  private OcsfSchema compile() {
    String version = parse("version.json").path("version").asText();
    JsonNode dictionary = parse("dictionary.json");
    Map<String, DataType> types = types(dictionary.path("types").path("attributes"));
    JsonNode dictionaryAttributes = dictionary.path("attributes");

    Map<String, ObjectNode> rawObjects = new TreeMap<>();
    Map<String, ObjectNode> rawClasses = new TreeMap<>();
    Set<String> profiles = new LinkedHashSet<>();
    for (String path : files.paths()) {
      if (!path.endsWith(".json")) {
        continue;
      }
      if (path.startsWith("objects/")) {
        ObjectNode item = withIncludes(parse(path));
        rawObjects.put(item.path("name").asText(), item);
      } else if (path.startsWith("events/")) {
        ObjectNode item = withIncludes(parse(path));
        rawClasses.put(item.path("name").asText(), item);
      } else if (path.startsWith("profiles/")) {
        profiles.add(parse(path).path("name").asText());
      }
    }

    Map<String, Definition> objects = new TreeMap<>();
    Map<String, ObjectNode> resolvedObjects = new HashMap<>();
    for (String name : rawObjects.keySet()) {
      ObjectNode item = resolveExtends(name, rawObjects, resolvedObjects);
      objects.put(
          name, definition(item, -1, attributes(item.path("attributes"), dictionaryAttributes)));
    }

    observableTypes(objects, dictionary, rawObjects);

    Map<String, Integer> categoryUids = new HashMap<>();
    Map<String, String> categoryCaptions = new HashMap<>();
    parse("categories.json")
        .path("attributes")
        .properties()
        .forEach(
            c -> {
              categoryUids.put(c.getKey(), c.getValue().path("uid").asInt());
              categoryCaptions.put(c.getKey(), c.getValue().path("caption").asText());
            });

    Map<Integer, Definition> classes = new TreeMap<>();
    Map<String, ObjectNode> resolvedClasses = new HashMap<>();
    for (Map.Entry<String, ObjectNode> raw : rawClasses.entrySet()) {
      // Only classes with a uid of their own are concrete; "finding" is a base, not a class.
      boolean concrete = raw.getValue().has("uid") || raw.getKey().equals("base_event");
      ObjectNode item = resolveExtends(raw.getKey(), rawClasses, resolvedClasses);
      if (!concrete) {
        continue;
      }
      String category = item.path("category").asText();
      int categoryUid = categoryUids.getOrDefault(category, 0);
      String categoryCaption = categoryCaptions.getOrDefault(category, "Uncategorized");
      int classUid = categoryUid * 1000 + item.path("uid").asInt(0);
      Map<String, Attribute> attributes = attributes(item.path("attributes"), dictionaryAttributes);
      derive(attributes, classUid, item.path("caption").asText(), categoryUid, categoryCaption);
      classes.put(classUid, definition(item, classUid, attributes));
    }
    return new OcsfSchema(version, types, classes, objects, profiles);
  }

  /**
   * Like the server, gives {@code observable.type_id} a value for every dictionary type, dictionary
   * attribute and object that names an {@code observable} number (the file lists only 0 and 99).
   */
  private static void observableTypes(
      Map<String, Definition> objects, JsonNode dictionary, Map<String, ObjectNode> rawObjects) {
    Definition observable = objects.get("observable");
    if (observable == null || !observable.attributes().containsKey("type_id")) {
      return;
    }
    Map<String, EnumMember> values =
        new LinkedHashMap<>(observable.attributes().get("type_id").enumValues());
    List<JsonNode> sources = new ArrayList<>();
    dictionary.path("types").path("attributes").forEach(sources::add);
    dictionary.path("attributes").forEach(sources::add);
    sources.addAll(rawObjects.values());
    for (JsonNode source : sources) {
      if (source.path("observable").isIntegralNumber()) {
        values.putIfAbsent(
            source.get("observable").asText(),
            new EnumMember(source.path("caption").asText(), false));
      }
    }
    Map<String, Attribute> attributes = new LinkedHashMap<>(observable.attributes());
    replaceEnum(attributes, "type_id", values);
    objects.put(
        observable.name(),
        new Definition(
            observable.name(),
            observable.caption(),
            observable.uid(),
            attributes,
            observable.constraints(),
            observable.deprecated()));
  }

  /** The enums the server computes for every class rather than reading them from a file. */
  private static void derive(
      Map<String, Attribute> attributes,
      int classUid,
      String caption,
      int categoryUid,
      String categoryCaption) {
    replaceEnum(attributes, "class_uid", Map.of("" + classUid, new EnumMember(caption, false)));
    replaceEnum(
        attributes,
        "category_uid",
        Map.of("" + categoryUid, new EnumMember(categoryCaption, false)));
    Attribute activity = attributes.get("activity_id");
    if (activity != null) {
      Map<String, EnumMember> typeUids = new LinkedHashMap<>();
      activity
          .enumValues()
          .forEach(
              (id, member) ->
                  typeUids.put(
                      "" + ((long) classUid * 100 + Long.parseLong(id)),
                      new EnumMember(caption + ": " + member.caption(), member.deprecated())));
      replaceEnum(attributes, "type_uid", typeUids);
    }
  }

  private static void replaceEnum(
      Map<String, Attribute> attributes, String name, Map<String, EnumMember> values) {
    Attribute a = attributes.get(name);
    if (a != null) {
      attributes.put(
          name,
          new Attribute(
              a.name(),
              a.type(),
              a.isArray(),
              a.requirement(),
              Map.copyOf(values),
              a.sibling(),
              a.profile(),
              a.deprecated()));
    }
  }

  private static Definition definition(
      ObjectNode item, int uid, Map<String, Attribute> attributes) {
    Map<String, List<String>> constraints = new LinkedHashMap<>();
    item.path("constraints")
        .properties()
        .forEach(
            c -> {
              List<String> names = new ArrayList<>();
              c.getValue().forEach(n -> names.add(n.asText()));
              constraints.put(c.getKey(), List.copyOf(names));
            });
    return new Definition(
        item.path("name").asText(),
        item.path("caption").asText(),
        uid,
        attributes,
        Map.copyOf(constraints),
        item.has("@deprecated"));
  }

  private Map<String, Attribute> attributes(JsonNode itemAttributes, JsonNode dictionary) {
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    itemAttributes
        .properties()
        .forEach(
            e -> {
              String name = e.getKey();
              JsonNode own = withEnumInclude(e.getValue());
              JsonNode merged =
                  dictionary.has(name) ? deepMerge(dictionary.get(name), own) : own.deepCopy();
              Map<String, EnumMember> values = new LinkedHashMap<>();
              merged
                  .path("enum")
                  .properties()
                  .forEach(
                      v ->
                          values.put(
                              v.getKey(),
                              new EnumMember(
                                  v.getValue().path("caption").asText(),
                                  v.getValue().has("@deprecated"))));
              attributes.put(
                  name,
                  new Attribute(
                      name,
                      merged.path("type").asText(null),
                      merged.path("is_array").asBoolean(false),
                      Requirement.of(merged.path("requirement").asText(null)),
                      Map.copyOf(values),
                      merged.path("sibling").asText(null),
                      merged.path("profile").asText(null),
                      merged.has("@deprecated")));
            });
    // The datetime profile's file is empty: like the server, give every timestamp_t attribute a
    // datetime_t twin "<name>_dt" that the profile brings.
    for (Attribute a : List.copyOf(attributes.values())) {
      if ("timestamp_t".equals(a.type()) && !attributes.containsKey(a.name() + "_dt")) {
        String twin = a.name() + "_dt";
        attributes.put(
            twin,
            new Attribute(
                twin,
                "datetime_t",
                a.isArray(),
                Requirement.OPTIONAL,
                Map.of(),
                null,
                "datetime",
                a.deprecated()));
      }
    }
    return attributes;
  }

  private static Map<String, DataType> types(JsonNode typeAttributes) {
    Map<String, DataType> types = new TreeMap<>();
    typeAttributes
        .properties()
        .forEach(
            e -> {
              JsonNode t = e.getValue();
              double[] range = null;
              if (t.path("range").isArray() && t.path("range").size() == 2) {
                range =
                    new double[] {
                      t.get("range").get(0).asDouble(), t.get("range").get(1).asDouble()
                    };
              }
              List<JsonNode> values = new ArrayList<>();
              t.path("values").forEach(values::add);
              types.put(
                  e.getKey(),
                  new DataType(
                      e.getKey(),
                      t.path("type").asText(null),
                      t.has("max_len") ? t.get("max_len").asInt() : null,
                      t.has("regex") ? Pattern.compile(t.get("regex").asText()) : null,
                      range,
                      List.copyOf(values)));
            });
    return types;
  }

  /** The item with its base merged under it, recursively; memoised per name. */
  private static ObjectNode resolveExtends(
      String name, Map<String, ObjectNode> raw, Map<String, ObjectNode> resolved) {
    ObjectNode done = resolved.get(name);
    if (done != null) {
      return done;
    }
    ObjectNode item = raw.get(name);
    if (item == null) {
      throw new IllegalStateException("OCSF schema: nothing is defined as " + name);
    }
    String base = item.path("extends").asText(null);
    if (base == null) {
      resolved.put(name, item);
      return item;
    }
    ObjectNode parent = resolveExtends(base, raw, resolved);
    ObjectNode result = parent.deepCopy();
    result.remove("uid"); // a class's uid is its own, never its base's
    item.properties().forEach(e -> result.set(e.getKey(), e.getValue().deepCopy()));
    result.set("attributes", deepMerge(parent.path("attributes"), item.path("attributes")));
    Set<String> profiles = new LinkedHashSet<>();
    parent.path("profiles").forEach(p -> profiles.add(p.asText()));
    item.path("profiles").forEach(p -> profiles.add(p.asText()));
    ArrayNode list = result.putArray("profiles");
    profiles.forEach(list::add);
    resolved.put(name, result);
    return result;
  }

  /** The item with the attributes of its {@code $include}d files merged under its own. */
  private ObjectNode withIncludes(JsonNode source) {
    ObjectNode item = source.deepCopy();
    JsonNode attributes = item.path("attributes");
    JsonNode include = attributes.path(INCLUDE);
    if (include.isMissingNode()) {
      return item;
    }
    List<String> paths = new ArrayList<>();
    if (include.isArray()) {
      include.forEach(p -> paths.add(p.asText()));
    } else {
      paths.add(include.asText());
    }
    ObjectNode own = ((ObjectNode) attributes).deepCopy();
    own.remove(INCLUDE);
    JsonNode merged = JsonNodeFactory.instance.objectNode();
    for (String path : paths) {
      merged = deepMerge(merged, includedAttributes(path));
    }
    item.set("attributes", deepMerge(merged, own));
    return item;
  }

  /**
   * The attributes an included file brings: with its own includes, its annotations (e.g. the group)
   * as defaults, and, for a profile, the profile's name on each.
   */
  private JsonNode includedAttributes(String path) {
    ObjectNode included = withIncludes(parse(path));
    ObjectNode attributes = JsonNodeFactory.instance.objectNode();
    String profile =
        "profile".equals(included.path("meta").asText()) ? included.path("name").asText() : null;
    JsonNode annotations = included.path("annotations");
    included
        .path("attributes")
        .properties()
        .forEach(
            e -> {
              ObjectNode a = e.getValue().deepCopy();
              annotations
                  .properties()
                  .forEach(
                      an -> {
                        if (!a.has(an.getKey())) {
                          a.set(an.getKey(), an.getValue());
                        }
                      });
              if (profile != null && !a.has("profile")) {
                a.put("profile", profile);
              }
              attributes.set(e.getKey(), a);
            });
    return attributes;
  }

  /** An attribute that {@code $include}s a file (of enum values) gets that file under it. */
  private JsonNode withEnumInclude(JsonNode attribute) {
    if (!attribute.has(INCLUDE)) {
      return attribute;
    }
    ObjectNode own = attribute.deepCopy();
    String path = own.remove(INCLUDE).asText();
    return deepMerge(parse(path), own);
  }

  /**
   * {@code over} merged onto a copy of {@code base}: objects key by key, anything else replaced.
   */
  static JsonNode deepMerge(JsonNode base, JsonNode over) {
    if (!base.isObject() || !over.isObject()) {
      return over.deepCopy();
    }
    ObjectNode result = ((ObjectNode) base).deepCopy();
    over.properties()
        .forEach(
            e -> {
              JsonNode existing = result.get(e.getKey());
              result.set(
                  e.getKey(),
                  existing == null ? e.getValue().deepCopy() : deepMerge(existing, e.getValue()));
            });
    return result;
  }

  private JsonNode parse(String path) {
    return parsed.computeIfAbsent(
        path,
        p -> {
          try {
            return JSON.readTree(files.read(p));
          } catch (IOException e) {
            throw new UncheckedIOException("invalid JSON in OCSF schema file " + p, e);
          }
        });
  }
}
