package io.psfleet.ocsf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled event class or object: inheritance ({@code extends}) and includes resolved, attributes
 * merged with the dictionary.
 *
 * @param uid for an event class its {@code class_uid} (category uid * 1000 + class uid); -1 for an
 *     object
 * @param attributes every attribute, including those that only a profile brings
 * @param constraints {@code at_least_one} / {@code just_one} lists of attribute names
 */
public record Definition(
    String name,
    String caption,
    int uid,
    Map<String, Attribute> attributes,
    Map<String, List<String>> constraints,
    boolean deprecated) {

  public Definition {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes)); // keeps the order
    constraints = Map.copyOf(constraints);
  }

  public boolean isEventClass() {
    return uid >= 0;
  }

  /** "class detection_finding (2004)" or "object file", for messages. */
  public String describe() {
    return isEventClass() ? "class " + name + " (" + uid + ")" : "object " + name;
  }
}
