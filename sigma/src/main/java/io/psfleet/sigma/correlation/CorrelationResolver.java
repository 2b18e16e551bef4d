package io.psfleet.sigma.correlation;

import io.psfleet.sigma.Level;
import io.psfleet.sigma.RuleOutcome;
import io.psfleet.sigma.SigmaRule;
import io.psfleet.sigma.parse.CorrelationDocument;
import io.psfleet.sigma.parse.RawValue;
import io.psfleet.sigma.parse.SigmaSyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns correlation documents into {@link CorrelationRule}s once every file is read, since a
 * correlation may refer to rules of other files, by id or by name. Each document ends loaded or
 * rejected with its reason: an unknown or unloaded rule, a cycle, a bad timespan, an unknown type,
 * a missing condition or field, an alias or group-by field its rules cannot give. A correlation
 * that refers to a rejected correlation is rejected too. Never throws for bad content.
 */
public final class CorrelationResolver {
  private static final Pattern TIMESPAN = Pattern.compile("(\\d{1,9})([smhd])");

  /** A correlation document and the file it came from. */
  public record Written(String source, CorrelationDocument doc) {}

  /** The loaded correlations and one outcome per document, in document order. */
  public record Result(CorrelationSet set, List<RuleOutcome> outcomes) {}

  /** Why a document is not loaded; {@code cycle} when it is part of a reference cycle. */
  private record Rejection(int line, String reason, boolean cycle) {}

  private final List<Written> docs;
  private final Map<String, SigmaRule> baseById = new HashMap<>();
  private final Map<String, List<Object>> byName = new HashMap<>();
  private final Map<String, Written> correlationById = new HashMap<>();
  private final Set<String> unloadedIds;
  private final Map<Written, Object> resolved = new LinkedHashMap<>();
  private final Set<Written> visiting = new HashSet<>();

  private CorrelationResolver(List<Written> docs, List<SigmaRule> rules, Set<String> unloadedIds) {
    this.docs = docs;
    this.unloadedIds = unloadedIds;
    for (SigmaRule r : rules) {
      if (r.id() != null) {
        baseById.put(r.id(), r);
      }
      if (r.name() != null) {
        byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
      }
    }
    for (Written w : docs) {
      if (w.doc().name() != null) {
        byName.computeIfAbsent(w.doc().name(), k -> new ArrayList<>()).add(w);
      }
    }
  }

  /**
   * Resolves {@code docs} against the loaded detection rules {@code rules}; {@code unloadedIds} are
   * ids of rule documents that were read but not loaded (rejected, not applicable), so a reference
   * to one says so instead of "unknown".
   */
  public static Result resolve(List<Written> docs, List<SigmaRule> rules, Set<String> unloadedIds) {
    return new CorrelationResolver(docs, rules, unloadedIds).run();
  }

  private Result run() {
    List<RuleOutcome> outcomes = new ArrayList<>();
    List<CorrelationRule> loaded = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Written w : docs) {
      String id = w.doc().id();
      if (id != null && (baseById.containsKey(id) || correlationById.containsKey(id))) {
        resolved.put(
            w,
            new Rejection(
                w.doc().line(), "duplicate rule id, first loaded from " + firstOf(id), false));
      } else if (id != null) {
        correlationById.put(id, w);
      }
    }
    for (Written w : docs) {
      Object r = resolve(w);
      CorrelationDocument d = w.doc();
      if (r instanceof CorrelationRule c && keys.add(c.key())) {
        loaded.add(c);
        outcomes.add(
            new RuleOutcome(
                w.source(), d.line(), d.id(), d.title(), RuleOutcome.Status.LOADED, c.describe()));
      } else {
        Rejection why =
            r instanceof Rejection x ? x : new Rejection(d.line(), "duplicate rule key", false);
        outcomes.add(
            new RuleOutcome(
                w.source(),
                why.line(),
                d.id(),
                d.title(),
                RuleOutcome.Status.REJECTED,
                why.reason()));
      }
    }
    return new Result(new CorrelationSet(loaded), outcomes);
  }

  private String firstOf(String id) {
    SigmaRule r = baseById.get(id);
    if (r != null) {
      return r.source() + ":" + r.line();
    }
    Written w = correlationById.get(id);
    return w.source() + ":" + w.doc().line();
  }

  /** A {@link CorrelationRule}, or the {@link Rejection}. */
  private Object resolve(Written w) {
    Object done = resolved.get(w);
    if (done != null) {
      return done;
    }
    if (!visiting.add(w)) {
      return new Rejection(
          w.doc().rulesLine(),
          "cycle: correlation '" + label(w) + "' refers back to itself through its rules",
          true);
    }
    Object result;
    try {
      result = build(w);
    } catch (SigmaSyntaxException e) {
      result = new Rejection(e.line(), e.reason(), e.reason().startsWith("cycle: "));
    }
    visiting.remove(w);
    resolved.put(w, result);
    return result;
  }

  private CorrelationRule build(Written w) throws SigmaSyntaxException {
    CorrelationDocument d = w.doc();
    CorrelationType type = CorrelationType.of(d.type());
    if (type == null) {
      String known = "event_count, value_count, temporal, temporal_ordered, value_sum, value_avg";
      String why =
          d.type().startsWith("value_")
              ? "correlation type '" + d.type() + "' is not supported (psfleet runs " + known + ")"
              : "unknown correlation type '" + d.type() + "' (known: " + known + ")";
      throw new SigmaSyntaxException(d.typeLine(), why);
    }
    long timespan = timespan(d);
    Level level = Level.parse(d.level());
    if (level == null) {
      throw new SigmaSyntaxException(d.line(), "unknown level '" + d.level() + "'");
    }
    if (d.groupBy().isEmpty()) {
      throw new SigmaSyntaxException(
          d.line(), "correlation has no group-by (one or more fields are mandatory)");
    }
    if (new HashSet<>(d.groupBy()).size() != d.groupBy().size()) {
      throw new SigmaSyntaxException(d.line(), "group-by names a field twice");
    }
    if (new HashSet<>(d.rules()).size() != d.rules().size()) {
      throw new SigmaSyntaxException(d.rulesLine(), "rules names a rule twice");
    }

    List<Object> targets = new ArrayList<>();
    for (String ref : d.rules()) {
      targets.add(target(w, ref));
    }
    for (Map.Entry<String, Map<String, String>> alias : d.aliases().entrySet()) {
      for (String ruleName : alias.getValue().keySet()) {
        boolean referenced = false;
        for (Object t : targets) {
          referenced |= ruleName.equals(nameOf(t));
        }
        if (!referenced) {
          throw new SigmaSyntaxException(
              d.line(),
              "alias '"
                  + alias.getKey()
                  + "' names rule '"
                  + ruleName
                  + "', which the correlation does not refer to by that name");
        }
      }
    }
    if (type.needsField() && d.conditionFields().isEmpty()) {
      throw new SigmaSyntaxException(
          d.conditionLine(), type.specName() + " needs the condition's field");
    }
    if (!type.needsField() && !d.conditionFields().isEmpty()) {
      throw new SigmaSyntaxException(
          d.conditionLine(), type.specName() + " takes no field in its condition");
    }
    Threshold condition = condition(d, type);

    List<CorrelationRule.Member> members = new ArrayList<>();
    boolean hostScoped = true;
    for (int i = 0; i < targets.size(); i++) {
      Object t = targets.get(i);
      String name = nameOf(t);
      String[] groupFields = new String[d.groupBy().size()];
      boolean host = false;
      for (int g = 0; g < groupFields.length; g++) {
        groupFields[g] = field(d, d.groupBy().get(g), name, t);
        host |= CorrelationRule.HOST_FIELDS.contains(groupFields[g]);
      }
      hostScoped &= host;
      String[] valueFields = new String[d.conditionFields().size()];
      for (int v = 0; v < valueFields.length; v++) {
        valueFields[v] = field(d, d.conditionFields().get(v), name, t);
      }
      if (t instanceof CorrelationRule c) {
        members.add(new CorrelationRule.Member(c.key(), name, true, groupFields, valueFields));
      } else {
        members.add(
            new CorrelationRule.Member(
                ((SigmaRule) t).key(), name, false, groupFields, valueFields));
      }
    }
    // A fleet-wide correlation keyed by its group values meets the matches of a fleet-wide
    // correlation it builds on only when both group alike; anything else would need a loop back.
    for (int i = 0; i < targets.size(); i++) {
      if (!hostScoped
          && targets.get(i) instanceof CorrelationRule c
          && !c.hostScoped()
          && !List.of(members.get(i).groupFields()).equals(c.groupBy())) {
        throw new SigmaSyntaxException(
            d.line(),
            "a fleet-wide correlation on the fleet-wide correlation '"
                + label(c)
                + "' must group by exactly its group-by ("
                + String.join(", ", c.groupBy())
                + "), in that order");
      }
    }
    return new CorrelationRule(
        d.id(),
        d.name(),
        d.title(),
        d.status(),
        level,
        d.description(),
        d.author(),
        d.references(),
        d.falsepositives(),
        d.tags(),
        type,
        members,
        d.groupBy(),
        timespan,
        d.timespan(),
        condition,
        d.conditionFields(),
        Boolean.TRUE.equals(d.generate()),
        hostScoped,
        w.source(),
        d.line());
  }

  /** The rule a reference names: a detection rule, a resolved correlation, or a rejection. */
  private Object target(Written w, String ref) throws SigmaSyntaxException {
    int line = w.doc().rulesLine();
    Object t = baseById.get(ref);
    if (t == null && correlationById.containsKey(ref)) {
      t = correlationById.get(ref);
    }
    if (t == null) {
      List<Object> named = byName.get(ref);
      if (named != null && named.size() > 1) {
        throw new SigmaSyntaxException(line, "rule name '" + ref + "' names several rules");
      }
      t = named == null ? null : named.get(0);
    }
    if (t == null) {
      throw new SigmaSyntaxException(
          line,
          unloadedIds.contains(ref)
              ? "refers to rule '" + ref + "', which is not loaded (see its own outcome)"
              : "refers to unknown rule '" + ref + "'");
    }
    if (t instanceof Written other) {
      Object r = resolve(other);
      if (r instanceof Rejection why) {
        if (why.cycle()) {
          throw new SigmaSyntaxException(line, why.reason());
        }
        throw new SigmaSyntaxException(
            line, "refers to correlation '" + label(other) + "', which is rejected");
      }
      return r;
    }
    return t;
  }

  /**
   * The field of {@code target}'s events (or of its matches, for a correlation) that the
   * correlation's {@code nameInRule} (an alias or a field) reads.
   */
  private static String field(
      CorrelationDocument d, String nameInRule, String targetName, Object target)
      throws SigmaSyntaxException {
    String field = nameInRule;
    Map<String, String> alias = d.aliases().get(nameInRule);
    if (alias != null) {
      field = targetName == null ? null : alias.get(targetName);
      if (field == null) {
        throw new SigmaSyntaxException(
            d.line(),
            "alias '"
                + nameInRule
                + "' gives no field for rule '"
                + (targetName == null ? label(target) : targetName)
                + "'");
      }
    }
    if (target instanceof CorrelationRule c && !c.groupBy().contains(field)) {
      throw new SigmaSyntaxException(
          d.line(),
          "'"
              + field
              + "' is not a group-by field of correlation '"
              + label(c)
              + "', whose matches carry only "
              + c.groupBy());
    }
    return field;
  }

  private static Threshold condition(CorrelationDocument d, CorrelationType type)
      throws SigmaSyntaxException {
    if (d.condition().isEmpty()) {
      if (type.needsCondition()) {
        throw new SigmaSyntaxException(
            d.conditionLine(), type.specName() + " needs a condition (gt, gte, lt, lte, eq, neq)");
      }
      return Threshold.all(d.rules().size());
    }
    if (type == CorrelationType.TEMPORAL_ORDERED) {
      throw new SigmaSyntaxException(
          d.conditionLine(), "temporal_ordered takes no condition: all of its rules, in order");
    }
    List<Threshold.Comparison> comparisons = new ArrayList<>();
    for (CorrelationDocument.Comparison c : d.condition()) {
      Threshold.Operator op;
      try {
        op = Threshold.Operator.valueOf(c.operator().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new SigmaSyntaxException(
            c.value().line(), "unknown condition operator '" + c.operator() + "'");
      }
      double bound;
      try {
        if (c.value().type() != RawValue.Type.NUMBER) {
          throw new NumberFormatException();
        }
        bound = Double.parseDouble(c.value().text());
      } catch (NumberFormatException e) {
        throw new SigmaSyntaxException(
            c.value().line(), "condition " + c.operator() + " must be a number");
      }
      comparisons.add(new Threshold.Comparison(op, bound));
    }
    Threshold t = new Threshold(comparisons);
    // Conditions are tested as each event enters its group's window: one a single event meets
    // would fire on every group's first event, which no backend's window query does.
    if (type.counts() && t.test(1)) {
      throw new SigmaSyntaxException(
          d.conditionLine(),
          "condition '"
              + t
              + "' holds for a single event: psfleet tests it as events arrive, so it"
              + " would fire on every group's first event (use a lower bound above 1)");
    }
    return t;
  }

  private static long timespan(CorrelationDocument d) throws SigmaSyntaxException {
    Matcher m = TIMESPAN.matcher(d.timespan().trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new SigmaSyntaxException(
          d.timespanLine(),
          "bad timespan '" + d.timespan() + "': a positive number and s, m, h or d (90m)");
    }
    long n = Long.parseLong(m.group(1));
    long seconds =
        switch (m.group(2)) {
          case "s" -> n;
          case "m" -> n * 60;
          case "h" -> n * 3600;
          default -> n * 86400;
        };
    return seconds * 1_000_000_000L;
  }

  private static String nameOf(Object target) {
    if (target instanceof SigmaRule r) {
      return r.name();
    }
    if (target instanceof CorrelationRule c) {
      return c.name();
    }
    return ((Written) target).doc().name();
  }

  private static String label(Object target) {
    if (target instanceof CorrelationRule c) {
      return c.name() != null ? c.name() : c.key();
    }
    if (target instanceof SigmaRule r) {
      return r.name() != null ? r.name() : r.key();
    }
    CorrelationDocument d = ((Written) target).doc();
    return d.name() != null ? d.name() : d.id() != null ? d.id() : d.title();
  }
}
