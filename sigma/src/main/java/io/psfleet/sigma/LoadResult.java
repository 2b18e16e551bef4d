package io.psfleet.sigma;

/** A compiled rule set and the report of how it was loaded. */
public record LoadResult(SigmaRuleSet ruleSet, LoadReport report) {}
