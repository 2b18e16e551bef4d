package io.psfleet.agent.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * JSON Lines for people without Kafka: one object per record, field names as in the Avro schema,
 * the body's type named in {@code "type"}, hashes as hex. Deterministic: the same record always
 * gives the same bytes. Not thread-safe (it reuses a buffer); use one per thread. {@link
 * #readTelemetry} reads a line back: the class that writes the format also reads it.
 */
public final class JsonRecords {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StringBuilder out = new StringBuilder(1024);

  /**
   * A telemetry line as {@link #telemetry} wrote it, back as the record it was.
   *
   * @throws IllegalArgumentException naming what in the line is not a psfleet telemetry record
   */
  public static TelemetryEvent readTelemetry(String line) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.path("header").isObject() || !root.path("body").isObject()) {
      throw new IllegalArgumentException("not a psfleet telemetry line: no header and body");
    }
    String type = root.path("type").asText();
    Schema bodySchema =
        TelemetryEvent.getClassSchema().getField("body").schema().getTypes().stream()
            .filter(t -> t.getName().equals(type))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown body type '" + type + "'"));
    TelemetryEvent event = new TelemetryEvent();
    event.put("header", read(root.get("header"), event.getSchema().getField("header").schema()));
    event.put("body", read(root.get("body"), bodySchema));
    return event;
  }

  private static Object read(JsonNode node, Schema schema) {
    if (node == null || node.isNull()) {
      return null;
    }
    return switch (schema.getType()) {
      case UNION -> {
        Schema chosen = null;
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            chosen = branch;
          }
        }
        yield read(node, chosen);
      }
      case RECORD -> {
        IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), read(node.get(field.name()), field.schema()));
        }
        yield record;
      }
      case STRING -> node.asText();
      case LONG -> node.asLong();
      case INT -> node.asInt();
      case BOOLEAN -> node.asBoolean();
      case ENUM -> SpecificData.get().createEnum(node.asText(), schema);
      case FIXED -> SpecificData.get().createFixed(null, HEX.parseHex(node.asText()), schema);
      case ARRAY -> {
        List<Object> items = new java.util.ArrayList<>();
        node.forEach(item -> items.add(read(item, schema.getElementType())));
        yield items;
      }
      default -> throw new IllegalArgumentException("no JSON form for " + schema);
    };
  }

  /** {@code {"header":{...},"type":"ProcessCreate","body":{...}}} as UTF-8, no newline. */
  public byte[] telemetry(TelemetryEvent event) {
    out.setLength(0);
    out.append("{\"header\":");
    record(event.getHeader());
    IndexedRecord body = (IndexedRecord) event.getBody();
    out.append(",\"type\":\"").append(body.getSchema().getName()).append("\",\"body\":");
    record(body);
    out.append('}');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The ground-truth record as one JSON object, UTF-8, no newline. */
  public byte[] groundTruth(GroundTruth truth) {
    out.setLength(0);
    record(truth);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void record(IndexedRecord record) {
    out.append('{');
    List<Schema.Field> fields = record.getSchema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(fields.get(i).name());
      out.append(':');
      value(record.get(i));
    }
    out.append('}');
  }

  private void value(Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence s) {
      string(s);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof GenericFixed fixed) {
      out.append('"').append(HEX.formatHex(fixed.bytes())).append('"');
    } else if (value instanceof GenericEnumSymbol<?> symbol) {
      string(symbol.toString());
    } else if (value instanceof IndexedRecord nested) {
      record(nested);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        value(list.get(i));
      }
      out.append(']');
    } else if (value instanceof GenericContainer container) {
      throw new IllegalArgumentException("no JSON form for " + container.getSchema());
    } else {
      string(value.toString());
    }
  }

  private void string(CharSequence s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
