package io.psfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backward compatibility: consumers built from the current schemas must read whatever a producer of
 * any released version still sends.
 */
class FrozenSchemaCompatibilityTest {

  /** Every named type the current generated classes know, by full name. */
  private static final Map<String, Schema> CURRENT = currentTypes();

  static Stream<Arguments> frozenTypes() {
    return FrozenSchemas.versions().entrySet().stream()
        .flatMap(
            version ->
                version.getValue().values().stream()
                    .map(type -> Arguments.of(version.getKey() + "/" + type.getName(), type)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frozenTypes")
  void currentSchemaReadsDataWrittenWithFrozenVersion(String label, Schema frozen) {
    Schema current = CURRENT.get(frozen.getFullName());
    assertThat(current).as("current counterpart of frozen %s", label).isNotNull();

    SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(current, frozen);

    assertThat(result.getType())
        .as("current reader, %s writer: %s", label, result.getDescription())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  private static Map<String, Schema> currentTypes() {
    Map<String, Schema> types = new HashMap<>();
    // Separate parsers: the two top-level schemas are independent documents.
    types.putAll(typesOf(TelemetryEvent.getClassSchema()));
    types.putAll(typesOf(GroundTruth.getClassSchema()));
    return types;
  }

  private static Map<String, Schema> typesOf(Schema schema) {
    Schema.Parser parser = new Schema.Parser();
    parser.parse(schema.toString());
    return parser.getTypes();
  }
}
