package io.psfleet.sigma.parse;

/** What became of one YAML document of a rule file. */
public sealed interface DocumentOutcome {
  int line();

  /** A rule document that parsed. */
  record Parsed(RuleDocument rule) implements DocumentOutcome {
    @Override
    public int line() {
      return rule.line();
    }
  }

  /** A correlation rule document that parsed; its references are resolved by the loader. */
  record Correlation(CorrelationDocument rule) implements DocumentOutcome {
    @Override
    public int line() {
      return rule.line();
    }
  }

  /** A document of a kind this engine does not run yet (filter). */
  record Unsupported(String kind, int line, String id, String title) implements DocumentOutcome {}

  /** A document that is not a valid Sigma rule, with the reason. */
  record Failed(int line, String id, String title, String reason) implements DocumentOutcome {}
}
