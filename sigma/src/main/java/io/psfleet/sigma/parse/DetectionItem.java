package io.psfleet.sigma.parse;

import java.util.List;

/**
 * {@code field|mod1|mod2: values}: one key of a search identifier's map, or a keyword search
 * ({@code field} null) from a plain list or a {@code '|all'} key.
 */
public record DetectionItem(String field, List<String> modifiers, List<RawValue> values, int line) {
  public DetectionItem {
    modifiers = List.copyOf(modifiers);
    values = List.copyOf(values);
  }

  public boolean isKeyword() {
    return field == null;
  }
}
