package io.psfleet.jobs.sigma;

import io.psfleet.jobs.event.SysmonFields;
import io.psfleet.sigma.EventView;
import io.psfleet.sigma.FieldTable;
import java.util.List;

/**
 * The Sigma engine's view of an event, over its {@link SysmonFields}: field ids of the rule set's
 * {@link FieldTable} resolve to Sysmon field names once, at construction; {@code EventID} is the
 * Sysmon event id. Keyword searches see every EventData value of the event plus its EventID.
 *
 * <p>Reusable: {@link #reset} per event; lookups allocate nothing beyond what {@link SysmonFields}
 * renders (nothing for a view {@link SysmonFields#reusable() kept for reuse}). Not thread-safe.
 */
public final class SysmonEventView implements EventView {
  private static final int MAX_EVENT_ID = SysmonFields.CREATE_REMOTE_THREAD;
  private static final String[] EVENT_IDS = new String[MAX_EVENT_ID + 1];

  static {
    for (int i = 0; i <= MAX_EVENT_ID; i++) {
      EVENT_IDS[i] = Integer.toString(i);
    }
  }

  private final String[] names;
  private final int eventIdField;

  /** Per Sysmon event id, the names of its EventData fields, learnt from the first such event. */
  private final String[][] namesByEventId = new String[MAX_EVENT_ID + 1][];

  private SysmonFields fields;
  private int eventId;
  private String[] values = new String[32];
  private int valueCount = -1;

  public SysmonEventView(FieldTable table) {
    this.names = table.names().toArray(new String[0]);
    this.eventIdField = table.id("EventID");
  }

  /** Points the view at another event. */
  public SysmonEventView reset(SysmonFields event) {
    this.fields = event;
    this.eventId = event.eventId();
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
    return fields.field(names[fieldId]);
  }

  @Override
  public int valueCount() {
    if (valueCount < 0) {
      String[] eventNames = eventNames();
      if (values.length < eventNames.length + 1) {
        values = new String[eventNames.length + 1];
      }
      int n = 0;
      for (String name : eventNames) {
        String v = fields.field(name);
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

  private String[] eventNames() {
    if (eventId < 0 || eventId > MAX_EVENT_ID) {
      return new String[0];
    }
    String[] known = namesByEventId[eventId];
    if (known == null) {
      List<String> list = fields.fieldNames();
      known = list.toArray(new String[0]);
      namesByEventId[eventId] = known;
    }
    return known;
  }
}
