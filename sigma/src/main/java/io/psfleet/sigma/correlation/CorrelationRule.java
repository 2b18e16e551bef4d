package io.psfleet.sigma.correlation;

import io.psfleet.sigma.AttackTags;
import io.psfleet.sigma.Level;
import java.util.Arrays;
import java.util.List;

/**
 * A loaded Sigma correlation rule: its metadata (what alerts say), its type, window and condition,
 * and each referenced rule with the event fields its group-by (through {@code aliases}) and its
 * value field read there. Immutable.
 *
 * <p>A correlation is <em>host-scoped</em> when its group-by holds, for every referenced rule, one
 * of the {@link #HOST_FIELDS}: its groups never span hosts, so it runs where each host's events
 * already are. Otherwise it is <em>fleet-wide</em>: grouped by a hash, a user, a command line, its
 * groups gather events of many hosts.
 */
public final class CorrelationRule {
  /** The fields that name the host an event comes from (Windows' {@code System/Computer}). */
  public static final List<String> HOST_FIELDS = List.of("Computer", "ComputerName");

  /**
   * A rule the correlation refers to.
   *
   * @param key the rule's key ({@code SigmaRule#key()} or {@link CorrelationRule#key()})
   * @param name its {@code name:}, or null
   * @param correlation whether it is a correlation rule itself (chaining)
   * @param groupFields per group-by entry, the field of this rule's events (or, for a correlation,
   *     the group-by field of its matches) that holds the value
   * @param valueFields the fields of {@code condition.field} in this rule's events, or empty
   */
  public record Member(
      String key, String name, boolean correlation, String[] groupFields, String[] valueFields) {}

  private final String id;
  private final String name;
  private final String title;
  private final String status;
  private final Level level;
  private final String description;
  private final String author;
  private final List<String> references;
  private final List<String> falsepositives;
  private final List<String> tags;
  private final CorrelationType type;
  private final List<Member> members;
  private final List<String> groupBy;
  private final long timespanNanos;
  private final String timespanText;
  private final Threshold condition;
  private final List<String> valueFields;
  private final boolean generate;
  private final boolean hostScoped;
  private final String source;
  private final int line;

  CorrelationRule(
      String id,
      String name,
      String title,
      String status,
      Level level,
      String description,
      String author,
      List<String> references,
      List<String> falsepositives,
      List<String> tags,
      CorrelationType type,
      List<Member> members,
      List<String> groupBy,
      long timespanNanos,
      String timespanText,
      Threshold condition,
      List<String> valueFields,
      boolean generate,
      boolean hostScoped,
      String source,
      int line) {
    this.id = id;
    this.name = name;
    this.title = title;
    this.status = status;
    this.level = level;
    this.description = description;
    this.author = author;
    this.references = List.copyOf(references);
    this.falsepositives = List.copyOf(falsepositives);
    this.tags = List.copyOf(tags);
    this.type = type;
    this.members = List.copyOf(members);
    this.groupBy = List.copyOf(groupBy);
    this.timespanNanos = timespanNanos;
    this.timespanText = timespanText;
    this.condition = condition;
    this.valueFields = List.copyOf(valueFields);
    this.generate = generate;
    this.hostScoped = hostScoped;
    this.source = source;
    this.line = line;
  }

  /** The rule's {@code id}, or null. */
  public String id() {
    return id;
  }

  /** The id, or {@code source:line} for a rule without one: unique within a rule set. */
  public String key() {
    return id != null ? id : source + ":" + line;
  }

  /** The rule's {@code name:}, or null. */
  public String name() {
    return name;
  }

  public String title() {
    return title;
  }

  public String status() {
    return status;
  }

  public Level level() {
    return level;
  }

  public String description() {
    return description;
  }

  public String author() {
    return author;
  }

  public List<String> references() {
    return references;
  }

  public List<String> falsepositives() {
    return falsepositives;
  }

  public List<String> tags() {
    return tags;
  }

  /** ATT&CK technique ids of the tags ({@link AttackTags#techniques}). */
  public List<String> techniques() {
    return AttackTags.techniques(tags);
  }

  /** ATT&CK tactics of the tags ({@link AttackTags#tactics}). */
  public List<String> tactics() {
    return AttackTags.tactics(tags);
  }

  public CorrelationType type() {
    return type;
  }

  /** The referenced rules, in the order of {@code rules:} (the order temporal_ordered needs). */
  public List<Member> members() {
    return members;
  }

  /** The {@code group-by} names, as written (aliases or field names). */
  public List<String> groupBy() {
    return groupBy;
  }

  public long timespanNanos() {
    return timespanNanos;
  }

  /** {@code timespan} as written: {@code 15m}. */
  public String timespan() {
    return timespanText;
  }

  /** The condition, or for a temporal rule without one: all of its rules. */
  public Threshold condition() {
    return condition;
  }

  /** The condition's {@code field}, as written (an alias or a field name each); empty if none. */
  public List<String> valueFields() {
    return valueFields;
  }

  /** {@code generate: true}: the rules it refers to alert on their own as well. */
  public boolean generate() {
    return generate;
  }

  /** Grouped by the host (see the class comment); otherwise fleet-wide. */
  public boolean hostScoped() {
    return hostScoped;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  /**
   * Whether {@code other} judges the same windows as this rule: same key, type, referenced rules
   * (in order, with their group and value fields), group-by, timespan and condition. Metadata
   * (title, level, tags, references, {@code generate}) may differ: it changes what an alert says,
   * not what the state held so far means, so a new rule set keeps such a correlation's state.
   */
  public boolean sameWindowsAs(CorrelationRule other) {
    if (other == null
        || !key().equals(other.key())
        || type != other.type
        || timespanNanos != other.timespanNanos
        || !groupBy.equals(other.groupBy)
        || !valueFields.equals(other.valueFields)
        || !condition.equals(other.condition)
        || members.size() != other.members.size()) {
      return false;
    }
    for (int i = 0; i < members.size(); i++) {
      Member a = members.get(i);
      Member b = other.members.get(i);
      if (!a.key().equals(b.key())
          || a.correlation() != b.correlation()
          || !Arrays.equals(a.groupFields(), b.groupFields())
          || !Arrays.equals(a.valueFields(), b.valueFields())) {
        return false;
      }
    }
    return true;
  }

  /** One line for a report: type, window, group-by, what the condition compares. */
  public String describe() {
    String field = String.join("+", valueFields);
    String compared =
        switch (type) {
          case EVENT_COUNT -> "events " + condition;
          case VALUE_COUNT -> "distinct " + field + " " + condition;
          case VALUE_SUM -> "sum of " + field + " " + condition;
          case VALUE_AVG -> "average of " + field + " " + condition;
          case TEMPORAL -> "rules " + condition;
          case TEMPORAL_ORDERED -> "all rules in order";
        };
    return type.specName()
        + " of "
        + members.size()
        + (members.size() == 1 ? " rule" : " rules")
        + " in "
        + timespanText
        + " by "
        + String.join(", ", groupBy)
        + (hostScoped ? " (per host): " : " (fleet-wide): ")
        + compared;
  }

  @Override
  public String toString() {
    return key() + " (" + title + ")";
  }
}
