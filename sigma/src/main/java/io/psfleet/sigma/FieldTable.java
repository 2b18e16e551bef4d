package io.psfleet.sigma;

import java.util.List;
import java.util.Map;

/**
 * The event fields a compiled rule set reads, each with a small int id. A caller's {@link
 * EventView} answers by id, so a lazy view can compute only the fields rules actually use.
 */
public final class FieldTable {
  private final List<String> names;
  private final Map<String, Integer> ids;

  FieldTable(List<String> names, Map<String, Integer> ids) {
    this.names = List.copyOf(names);
    this.ids = Map.copyOf(ids);
  }

  /** Number of fields; ids run from 0 to size() - 1. */
  public int size() {
    return names.size();
  }

  /** The field's name (as rules spell it, e.g. {@code CommandLine}). */
  public String name(int id) {
    return names.get(id);
  }

  /** The id of a field name, or -1 where no rule reads it. */
  public int id(String name) {
    Integer id = ids.get(name);
    return id == null ? -1 : id;
  }

  public List<String> names() {
    return names;
  }
}
