package io.psfleet.sigma.correlation;

import java.util.function.Function;

/**
 * How matches of one rule enter one correlation: as its member {@code member}, reading {@code
 * groupFields} (in the correlation's group-by order) and {@code valueFields} from the event or, for
 * a chained correlation, from the match's group values.
 */
public record Feed(
    CorrelationRule correlation, int member, String[] groupFields, String[] valueFields) {

  /**
   * The observation of a match whose fields {@code fields} gives (null for an absent field), or
   * null where a group-by field is absent: such an event belongs to no group, as in a SIEM's {@code
   * stats ... by}.
   */
  public Observation observe(
      Function<String, String> fields,
      long timeNanos,
      String[] evidence,
      String[] hosts,
      Subject subject) {
    String[] values = new String[groupFields.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = fields.apply(groupFields[i]);
      if (values[i] == null) {
        return null;
      }
    }
    String value = null;
    if (valueFields.length == 1) {
      value = fields.apply(valueFields[0]);
    } else if (valueFields.length > 1) {
      // Several fields count as one value: their tuple.
      StringBuilder b = new StringBuilder();
      for (String f : valueFields) {
        String v = fields.apply(f);
        if (v == null) {
          b = null;
          break;
        }
        b.append(v).append(Observation.SEPARATOR);
      }
      value = b == null ? null : b.toString();
    }
    return new Observation(
        correlation.key(),
        values,
        new Sighting(timeNanos, member, value, evidence, hosts, subject));
  }
}
