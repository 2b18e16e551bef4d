package io.psfleet.sigma.compile;

import java.util.List;
import java.util.Set;

/**
 * A rule's detection compiled: its expression, the prefilter's clauses (at most {@value
 * RuleCompiler#MAX_CLAUSES}; the rule can only match where, for every clause, one of its literals
 * occurs in its field; none: the rule is always evaluated) and the {@code EventID} values its
 * selections name (for Sysmon routing); the ids of the fields whose values it reads, of those it
 * only asks the presence of ({@code |exists}), and whether it searches keywords (which read every
 * value of the event): its verdict on an event depends on nothing else.
 */
public record CompiledRule(
    Expr expr,
    List<List<FieldLiteral>> clauses,
    Set<Integer> eventIds,
    Set<Integer> fieldsRead,
    Set<Integer> fieldsTested,
    boolean keywords) {}
