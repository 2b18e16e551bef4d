package io.psfleet.sigma.correlation;

import static io.psfleet.sigma.correlation.CorrelationRules.BASE;
import static io.psfleet.sigma.correlation.CorrelationRules.LOAD_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.THREAD_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.correlation;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.sigma.LoadResult;
import io.psfleet.sigma.SigmaLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A rule set replaced while the job runs: which correlations' state still means something under the
 * new set, and dropping the rest from a key's state.
 */
class RuleSetChangeTest {
  static final String C = "cc000000-0000-4000-8000-0000000000c1";
  static final String D = "cc000000-0000-4000-8000-0000000000d1";

  static CorrelationSet set(String... correlations) {
    LoadResult r =
        SigmaLoader.loadText("t.yml", BASE + "---\n" + String.join("---\n", correlations));
    assertThat(r.report().rejected()).as(r.report().format()).isEmpty();
    return r.ruleSet().correlations();
  }

  static String count(String id, int n, String timespan) {
    return correlation(
        id,
        "type: event_count\nrules: ["
            + LOAD_ID
            + "]\ngroup-by: [Computer]\ntimespan: "
            + timespan
            + "\ncondition:\n  gte: "
            + n
            + "\n");
  }

  @Test
  void anUnchangedCorrelationIsNotStaleAndARemovedOneIs() {
    CorrelationSet before = set(count(C, 3, "1m"), count(D, 2, "1m"));
    CorrelationSet after = set(count(C, 3, "1m"));

    assertThat(before.staleUnder(after)).containsExactly(D);
    assertThat(before.staleUnder(before)).isEmpty();
  }

  @Test
  void aNewWindowOrConditionMakesTheStateStaleButANewTitleDoesNot() {
    CorrelationSet before = set(count(C, 3, "1m"));

    assertThat(before.staleUnder(set(count(C, 3, "2m")))).containsExactly(C);
    assertThat(before.staleUnder(set(count(C, 4, "1m")))).containsExactly(C);
    assertThat(before.staleUnder(set(count(C, 3, "1m").replace("level: high", "level: low"))))
        .isEmpty();
    assertThat(
            before.staleUnder(
                set(count(C, 3, "1m").replace("rules: [" + LOAD_ID, "rules: [" + THREAD_ID))))
        .containsExactly(C);
  }

  @Test
  void droppingStaleCorrelationsKeepsTheOthersWindowsAndPendingObservations() {
    CorrelationSet set = set(count(C, 3, "1m"), count(D, 3, "1m"));
    CorrelationEngine engine = new CorrelationEngine(set, c -> true, 100);
    CorrelationState state = new CorrelationState();
    Feed toC = feed(set, C);
    Feed toD = feed(set, D);
    engine.add(state, observe(toC, 1), Long.MIN_VALUE, noOutput());
    engine.add(state, observe(toD, 2), Long.MIN_VALUE, noOutput());
    engine.advance(state, 5_000_000_000L, noOutput());
    engine.add(state, observe(toC, 10), Long.MIN_VALUE, noOutput());
    engine.add(state, observe(toD, 11), Long.MIN_VALUE, noOutput());

    assertThat(CorrelationEngine.drop(state, Set.of(D))).isTrue();

    assertThat(state.groups).extracting(g -> g.correlation).containsExactly(C);
    assertThat(state.pending).extracting(Observation::correlation).containsExactly(C);
    assertThat(CorrelationEngine.drop(state, Set.of(D))).isFalse();
    assertThat(CorrelationEngine.drop(state, Set.of(C))).isTrue();
    assertThat(state.isEmpty()).isTrue();
  }

  @Test
  void anEngineForANewSetGoesOnCountingLateObservations() {
    CorrelationSet set = set(count(C, 3, "1m"));
    CorrelationEngine engine = new CorrelationEngine(set, c -> true, 100);
    engine.add(new CorrelationState(), observe(feed(set, C), 1), 5_000_000_000L, noOutput());

    assertThat(engine.forSet(set(count(C, 3, "1m"))).late()).isEqualTo(1);
  }

  private static Feed feed(CorrelationSet set, String correlation) {
    return set.feedsOf(LOAD_ID).stream()
        .filter(f -> f.correlation().key().equals(correlation))
        .findFirst()
        .orElseThrow();
  }

  private static Observation observe(Feed feed, long seconds) {
    return feed.observe(
        f -> "h1",
        seconds * 1_000_000_000L,
        new String[] {"h1:1:" + seconds},
        new String[] {"h1"},
        new Subject(seconds, 4, "C:\\x.exe"));
  }

  private static CorrelationEngine.Output noOutput() {
    return new CorrelationEngine.Output() {
      @Override
      public void match(CorrelationMatch match) {}

      @Override
      public void forward(Observation observation) {}
    };
  }
}
