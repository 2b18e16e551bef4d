package io.psfleet.sigma.parse;

import java.util.List;
import java.util.Map;

/**
 * One Sigma correlation rule document as written (specification 2.1, {@code correlation:}), before
 * its references are resolved. Strings may be null where absent; lines point at the key for error
 * messages.
 *
 * @param rules the referenced rules, by id or name, as written
 * @param groupBy the {@code group-by} fields (an alias or an event field each)
 * @param aliases alias name to (rule name to that rule's event field)
 * @param condition the comparisons of {@code condition} ({@code gt}, {@code gte}, ...), in order
 * @param conditionFields the {@code field} of {@code condition} (one name, or several)
 * @param generate {@code generate}, or null where absent
 */
public record CorrelationDocument(
    String id,
    String name,
    String title,
    String status,
    String level,
    String description,
    String author,
    List<String> references,
    List<String> falsepositives,
    List<String> tags,
    String type,
    List<String> rules,
    List<String> groupBy,
    Map<String, Map<String, String>> aliases,
    String timespan,
    List<Comparison> condition,
    List<String> conditionFields,
    Boolean generate,
    int typeLine,
    int rulesLine,
    int timespanLine,
    int conditionLine,
    int line) {

  /** One comparison of a condition: {@code gte: 100}; {@code value} as written. */
  public record Comparison(String operator, RawValue value) {}
}
