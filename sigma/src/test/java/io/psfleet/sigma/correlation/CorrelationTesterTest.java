package io.psfleet.sigma.correlation;

import static io.psfleet.sigma.correlation.CorrelationRules.BASE;
import static io.psfleet.sigma.correlation.CorrelationRules.CREATE_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.correlation;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.sigma.LoadResult;
import io.psfleet.sigma.SigmaLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules-test replay of correlations: a minute of slack for events out of order, no more. */
class CorrelationTesterTest {
  static final long S = 1_000_000_000L;

  @Test
  void eventsOutOfOrderWithinTheSlackCorrelateAndLaterOnesAreCountedLate() {
    LoadResult r =
        SigmaLoader.loadText(
            "t.yml",
            BASE
                + "---\n"
                + correlation(
                    "cc000000-0000-4000-8000-0000000000e1",
                    "type: event_count\nrules: [process_created]\ngroup-by: [Computer]\n"
                        + "timespan: 1m\ncondition:\n  gte: 3\n"));
    CorrelationTester tester = new CorrelationTester(r.ruleSet().correlations());
    List<String> fired = List.of(CREATE_ID);
    tester.observe(fired, 100 * S, "h1", Map.of(), "a");
    tester.observe(fired, 130 * S, "h1", Map.of(), "b");
    tester.observe(fired, 120 * S, "h1", Map.of(), "c"); // 10 s out of order
    tester.observe(fired, 300 * S, "h1", Map.of(), "d");
    tester.observe(fired, 110 * S, "h1", Map.of(), "e"); // 190 s behind: late
    assertThat(tester.finish())
        .singleElement()
        .satisfies(m -> assertThat(m.evidence()).containsExactly("a", "c", "b"));
    assertThat(tester.late()).isEqualTo(1);
  }
}
