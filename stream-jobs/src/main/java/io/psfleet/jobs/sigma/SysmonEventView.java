package io.psfleet.jobs.sigma;

import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.sigma.EventView;
import io.psfleet.sigma.FieldTable;
import java.util.List;

/**
 * The Sigma engine's view of an event, over its {@link SysmonFields}: field ids of the rule set's
 * {@link FieldTable} resolve to Sysmon fields once, at construction; {@code EventID} is the Sysmon
 * event id. Keyword searches see every EventData value of the event plus its EventID.
 *
 * <p>Reusable: {@link #reset} per event; lookups allocate nothing beyond what {@link SysmonFields}
 * renders (nothing for a view {@link SysmonFields#reusable() kept for reuse}). Not thread-safe.
 */
public final class SysmonEventView implements EventView {
  private static final int MAX_EVENT_ID = SysmonFields.PROCESS_ACCESS;
  private static final String[] EVENT_IDS = new String[MAX_EVENT_ID + 1];

  static {
    for (int i = 0; i <= MAX_EVENT_ID; i++) {
      EVENT_IDS[i] = Integer.toString(i);
    }
  }

  /** Per field id of the rule set, its {@link SysmonFields#fieldIndex} (-1: none). */
  private final int[] sysmonIndex;

  /** Per field id of the rule set, its extension field, or null (a Sysmon field or none). */
  private final ExtensionFields[] extension;

  private final int eventIdField;

  /**
   * Per Sysmon event id, the {@link SysmonFields#fieldIndex}es of its EventData fields, learnt from
   * the first such event.
   */
  private final int[][] fieldsByEventId = new int[MAX_EVENT_ID + 1][];

  private static final int[] NO_FIELDS = new int[0];

  private SysmonFields fields;
  private EnrichedEvent enriched;
  private int eventId;
  private String[] values = new String[32];
  private int valueCount = -1;

  public SysmonEventView(FieldTable table) {
    List<String> names = table.names();
    this.sysmonIndex = new int[names.size()];
    this.extension = new ExtensionFields[names.size()];
    for (int i = 0; i < sysmonIndex.length; i++) {
      sysmonIndex[i] = SysmonFields.fieldIndex(names.get(i));
      extension[i] = sysmonIndex[i] < 0 ? ExtensionFields.of(names.get(i)) : null;
    }
    this.eventIdField = table.id("EventID");
  }

  /** Points the view at another event, without extension fields (an event lineage never saw). */
  public SysmonEventView reset(SysmonFields event) {
    return reset(event, null);
  }

  /**
   * Points the view at another event: {@code fields} is {@code enriched}'s Sysmon view, whose
   * ancestry and creator give the {@link ExtensionFields} (none when {@code enriched} is null).
   */
  public SysmonEventView reset(SysmonFields fields, EnrichedEvent enriched) {
    this.fields = fields;
    this.enriched = enriched;
    this.eventId = fields.eventId();
    this.valueCount = -1;
    return this;
  }

  public int eventId() {
    return eventId;
  }

  @Override
  public String field(int fieldId) {
    if (fieldId == eventIdField) {
      return eventIdText();
    }
    ExtensionFields ext = extension[fieldId];
    if (ext != null) {
      return enriched == null ? null : ext.of(enriched, eventId);
    }
    return fields.field(sysmonIndex[fieldId]);
  }

  @Override
  public boolean has(int fieldId) {
    if (fieldId == eventIdField) {
      return true;
    }
    if (extension[fieldId] != null) {
      return field(fieldId) != null;
    }
    return fields.present(sysmonIndex[fieldId]);
  }

  @Override
  public int valueCount() {
    if (valueCount < 0) {
      int[] eventFields = eventFields();
      if (values.length < eventFields.length + 1) {
        values = new String[eventFields.length + 1];
      }
      int n = 0;
      for (int index : eventFields) {
        String v = fields.field(index);
        if (v != null) {
          values[n++] = v;
        }
      }
      values[n++] = eventIdText();
      valueCount = n;
    }
    return valueCount;
  }

  @Override
  public String value(int index) {
    if (index < 0 || index >= valueCount()) {
      throw new IndexOutOfBoundsException(index);
    }
    return values[index];
  }

  private String eventIdText() {
    return eventId >= 0 && eventId <= MAX_EVENT_ID ? EVENT_IDS[eventId] : Integer.toString(eventId);
  }

  private int[] eventFields() {
    if (eventId < 0 || eventId > MAX_EVENT_ID) {
      return NO_FIELDS;
    }
    int[] known = fieldsByEventId[eventId];
    if (known == null) {
      List<String> names = fields.fieldNames();
      known = new int[names.size()];
      for (int i = 0; i < known.length; i++) {
        known[i] = SysmonFields.fieldIndex(names.get(i));
      }
      fieldsByEventId[eventId] = known;
    }
    return known;
  }
}
