package io.psfleet.sigma;

/** Receives the rules that match an event, in rule-set order, on the matcher's thread. */
@FunctionalInterface
public interface MatchSink {
  void matched(SigmaRule rule);
}
