package io.psfleet.ocsf;

import java.util.Map;

/**
 * An attribute of a compiled class or object: its dictionary entry merged with what the class or
 * object, its bases and its includes say about it.
 *
 * @param type a dictionary type ({@code string_t}, {@code timestamp_t}, ...) or an object name
 * @param enumValues keyed by the value as text ({@code "99"}); empty when the attribute is no enum
 * @param sibling the attribute that carries the caption of this enum's value, or null
 * @param profile the profile that brings this attribute, or null when the item always has it
 */
public record Attribute(
    String name,
    String type,
    boolean isArray,
    Requirement requirement,
    Map<String, EnumMember> enumValues,
    String sibling,
    String profile,
    boolean deprecated) {

  public boolean isEnum() {
    return !enumValues.isEmpty();
  }
}
