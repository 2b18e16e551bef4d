package io.psfleet.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A type of the dictionary's {@code types}: a primitive ({@code string_t}, {@code integer_t},
 * {@code long_t}, {@code float_t}, {@code boolean_t}, {@code json_t}) or a subtype of one with its
 * own constraints ({@code ip_t} is a {@code string_t} with a regex and a max length).
 *
 * @param baseType the primitive this subtype narrows, or null for a primitive
 * @param maxLength in characters, or null
 * @param regex searched for in the value (as the OCSF server does, not anchored unless the regex
 *     anchors itself), or null
 * @param range inclusive [low, high], or null
 * @param values the only allowed values, or empty
 */
public record DataType(
    String name,
    String baseType,
    Integer maxLength,
    Pattern regex,
    double[] range,
    List<JsonNode> values) {

  /** The primitive type a value of this type must have. */
  public String primitive() {
    return baseType == null ? name : baseType;
  }
}
