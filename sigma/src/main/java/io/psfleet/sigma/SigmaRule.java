package io.psfleet.sigma;

import io.psfleet.sigma.compile.Expr;
import java.util.List;
import java.util.Set;

/**
 * A loaded Sigma rule: the metadata alerts are built from, and (hidden) its compiled detection.
 * Immutable.
 */
public final class SigmaRule {
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
  private final List<String> fields;
  private final String product;
  private final String category;
  private final String service;
  private final Set<EventKind> kinds;
  private final String source;
  private final int line;
  private final List<String> techniques;
  private final List<String> tactics;
  final int index;
  final Expr expr;

  SigmaRule(
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
      List<String> fields,
      String product,
      String category,
      String service,
      Set<EventKind> kinds,
      String source,
      int line,
      int index,
      Expr expr) {
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
    this.fields = List.copyOf(fields);
    this.product = product;
    this.category = category;
    this.service = service;
    this.kinds = Set.copyOf(kinds);
    this.source = source;
    this.line = line;
    this.index = index;
    this.expr = expr;
    this.techniques = AttackTags.techniques(tags);
    this.tactics = AttackTags.tactics(tags);
  }

  /** The rule's {@code id} (a UUID in SigmaHQ), or null where the rule has none. */
  public String id() {
    return id;
  }

  /** The id, or {@code source:line} for a rule without id: unique within a rule set. */
  public String key() {
    return id != null ? id : source + ":" + line;
  }

  /** The rule's {@code name:} (how correlation rules may refer to it), or null. */
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

  /** OCSF severity id of the level (see {@link Level#severityId()}). */
  public int severityId() {
    return level.severityId();
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

  /** The rule's {@code fields:} list (fields worth showing in an alert). */
  public List<String> fields() {
    return fields;
  }

  /** ATT&CK technique ids from {@code attack.tNNNN(.NNN)} tags, e.g. {@code T1059.001}. */
  public List<String> techniques() {
    return techniques;
  }

  /** ATT&CK tactic names from {@code attack.<tactic>} tags, e.g. {@code defense-evasion}. */
  public List<String> tactics() {
    return tactics;
  }

  public String product() {
    return product;
  }

  public String category() {
    return category;
  }

  public String service() {
    return service;
  }

  /** The event kinds this rule is evaluated for. */
  public Set<EventKind> kinds() {
    return kinds;
  }

  /** The file (or source name) the rule was read from. */
  public String source() {
    return source;
  }

  /** The line of the rule's document in its file. */
  public int line() {
    return line;
  }

  @Override
  public String toString() {
    return key() + " (" + title + ")";
  }
}
