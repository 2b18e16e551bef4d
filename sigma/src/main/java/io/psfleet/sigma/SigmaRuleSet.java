package io.psfleet.sigma;

import io.psfleet.sigma.compile.LiteralAutomaton;
import io.psfleet.sigma.correlation.CorrelationSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled, immutable rule set, shared read-only by every thread. Rules are routed by {@link
 * EventKind}. Per kind, one Aho-Corasick automaton per field holds the literals of the rules'
 * prefilter clauses (conjunctive form, up to four per rule), so an event fully evaluates only the
 * rules whose every clause found one of its literals, plus the few rules without literals. Match
 * through a per-thread {@link SigmaMatcher} from {@link #newMatcher()}.
 */
public final class SigmaRuleSet {
  /** Per-kind compiled index. */
  static final class KindIndex {
    final SigmaRule[] rules;
    final int[] always;

    /** Per rule: the mask of its prefilter clauses, all of which must be hit to evaluate it. */
    final byte[] fullMask;

    final int[] scanFields;
    final LiteralAutomaton[] automata;

    /** Literals of keyword searches, run over every value of the event; null if none. */
    final LiteralAutomaton anyValue;

    /**
     * The fields whose values decide every verdict on this kind, most read first: the key of the
     * matcher's {@link VerdictMemo}; null where keyword searches make the verdict read every value.
     */
    final int[] verdictKey;

    /**
     * The fields whose presence alone ({@code |exists}) some verdicts read, and no rule of the kind
     * their values: the rest of the memo's key, which needs no rendering of their values.
     */
    final int[] verdictPresence;

    KindIndex(
        SigmaRule[] rules,
        int[] always,
        byte[] fullMask,
        int[] scanFields,
        LiteralAutomaton[] automata,
        LiteralAutomaton anyValue,
        int[] verdictKey,
        int[] verdictPresence) {
      this.rules = rules;
      this.always = always;
      this.fullMask = fullMask;
      this.scanFields = scanFields;
      this.automata = automata;
      this.anyValue = anyValue;
      this.verdictKey = verdictKey;
      this.verdictPresence = verdictPresence;
    }
  }

  private final List<SigmaRule> rules;
  private final Map<String, SigmaRule> byKey;
  private final FieldTable fields;
  private final EnumMap<EventKind, KindIndex> kinds;
  private final KindIndex[] byOrdinal;
  private final CorrelationSet correlations;
  final int regexSlots;

  SigmaRuleSet(
      List<SigmaRule> rules,
      FieldTable fields,
      EnumMap<EventKind, KindIndex> kinds,
      int regexSlots,
      CorrelationSet correlations) {
    this.rules = List.copyOf(rules);
    Map<String, SigmaRule> keys = new HashMap<>();
    for (SigmaRule r : rules) {
      keys.put(r.key(), r);
    }
    this.byKey = Map.copyOf(keys);
    this.fields = fields;
    this.kinds = kinds;
    this.byOrdinal = new KindIndex[EventKind.values().length];
    for (Map.Entry<EventKind, KindIndex> e : kinds.entrySet()) {
      byOrdinal[e.getKey().ordinal()] = e.getValue();
    }
    this.regexSlots = regexSlots;
    this.correlations = correlations;
  }

  /** The correlation rules, which build on this set's rules (and on each other). */
  public CorrelationSet correlations() {
    return correlations;
  }

  /**
   * Whether a match of {@code rule} is an alert of its own: not when a correlation refers to it
   * (unless one of those says {@code generate: true}).
   */
  public boolean alertsAlone(SigmaRule rule) {
    return correlations.alertsAlone(rule.key());
  }

  /** Every loaded rule, in load order. */
  public List<SigmaRule> rules() {
    return rules;
  }

  public int size() {
    return rules.size();
  }

  /** The rule of this id (or {@link SigmaRule#key()}), or null. */
  public SigmaRule rule(String key) {
    return byKey.get(key);
  }

  /** The fields rules read, with the ids an {@link EventView} is asked by. */
  public FieldTable fields() {
    return fields;
  }

  /** The rules evaluated for events of this kind. */
  public List<SigmaRule> rulesFor(EventKind kind) {
    KindIndex k = byOrdinal[kind.ordinal()];
    return k == null ? List.of() : Collections.unmodifiableList(List.of(k.rules));
  }

  /** Rules of this kind evaluated on every event (no required literal), for tuning. */
  public List<SigmaRule> alwaysEvaluated(EventKind kind) {
    KindIndex k = byOrdinal[kind.ordinal()];
    List<SigmaRule> out = new ArrayList<>();
    if (k != null) {
      for (int i : k.always) {
        out.add(k.rules[i]);
      }
    }
    return out;
  }

  KindIndex index(EventKind kind) {
    return byOrdinal[kind.ordinal()];
  }

  /** A matcher for one thread, timing one in 64 rule evaluations, remembering recent verdicts. */
  public SigmaMatcher newMatcher() {
    return newMatcher(64);
  }

  /**
   * A matcher for one thread timing one in {@code sampleEvery} evaluations (a power of two; 0 off),
   * remembering recent verdicts.
   */
  public SigmaMatcher newMatcher(int sampleEvery) {
    return newMatcher(sampleEvery, true);
  }

  /**
   * As {@link #newMatcher(int)}; without a {@link VerdictMemo} where {@code rememberVerdicts} is
   * false (every event scanned and evaluated: for measuring what the memo saves).
   */
  public SigmaMatcher newMatcher(int sampleEvery, boolean rememberVerdicts) {
    return new SigmaMatcher(this, sampleEvery, rememberVerdicts ? VerdictMemo.DEFAULT_ENTRIES : 0);
  }
}
