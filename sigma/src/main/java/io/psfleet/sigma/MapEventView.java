package io.psfleet.sigma;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An {@link EventView} over a field-name map (e.g. Sysmon EventData) plus the event id, which it
 * exposes as field {@code EventID}. Reusable: {@link #reset} per event, no allocation per lookup.
 * Not thread-safe.
 */
public final class MapEventView implements EventView {
  private static final String[] SMALL_IDS = new String[256];

  static {
    for (int i = 0; i < SMALL_IDS.length; i++) {
      SMALL_IDS[i] = Integer.toString(i);
    }
  }

  private final String[] names;
  private final int eventIdField;
  private Map<String, String> fields = Map.of();
  private String eventId = "";
  private String[] values = new String[16];
  private int valueCount = -1;
  private int filled;
  // Created once: forEach with it allocates no iterator per event.
  private final BiConsumer<String, String> collect = (k, v) -> values[filled++] = v;

  public MapEventView(FieldTable table) {
    this.names = table.names().toArray(new String[0]);
    this.eventIdField = table.id("EventID");
  }

  /** Points the view at another event; the map is read, not copied. */
  public MapEventView reset(int eventId, Map<String, String> fields) {
    this.fields = fields;
    this.eventId =
        eventId >= 0 && eventId < SMALL_IDS.length ? SMALL_IDS[eventId] : Integer.toString(eventId);
    this.valueCount = -1;
    return this;
  }

  @Override
  public String field(int fieldId) {
    if (fieldId == eventIdField) {
      String v = fields.get("EventID");
      return v != null ? v : eventId;
    }
    return fields.get(names[fieldId]);
  }

  @Override
  public int valueCount() {
    if (valueCount < 0) {
      int n = fields.size() + 1;
      if (values.length < n) {
        values = new String[Math.max(n, values.length * 2)];
      }
      filled = 0;
      fields.forEach(collect);
      if (!fields.containsKey("EventID")) {
        values[filled++] = eventId;
      }
      valueCount = filled;
    }
    return valueCount;
  }

  @Override
  public String value(int index) {
    return values[index];
  }
}
