package io.psfleet.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Small hand-written Detection Findings for the validator's tests. */
final class Findings {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The least a Detection Finding needs: its required attributes, nothing else. */
  static final String MINIMAL =
      """
      {
        "class_uid": 2004,
        "category_uid": 2,
        "activity_id": 1,
        "type_uid": 200401,
        "time": 1795507200123,
        "severity_id": 4,
        "metadata": {"version": "1.3.0", "product": {"name": "psfleet", "vendor_name": "psfleet"}},
        "finding_info": {"uid": "f-1", "title": "Something happened"}
      }
      """;

  private Findings() {}

  static ObjectNode minimal() {
    return (ObjectNode) json(MINIMAL);
  }

  /** The minimal finding with {@code fields} (a JSON object's members) added or replaced. */
  static ObjectNode minimalWith(String fields) {
    ObjectNode f = minimal();
    json("{" + fields + "}").properties().forEach(e -> f.set(e.getKey(), e.getValue()));
    return f;
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
