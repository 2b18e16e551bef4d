package io.psfleet.sigma.correlation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For {@code rules test}: runs a rule set's correlation rules over recorded events, fed in the
 * order they are read with the keys of the rules that fired on each ({@code RuleTester}). Events
 * are judged in event-time order; the watermark trails the latest event by {@link #SLACK_NANOS}, so
 * a recording a little out of order still correlates, and an event older than that is late ({@link
 * #late()}). Every correlation runs here, whatever its scope, in one state: a test tool, not the
 * hot path. Not thread-safe.
 */
public final class CorrelationTester {
  /** How far behind the latest event an event may come and still count. */
  public static final long SLACK_NANOS = 60_000_000_000L;

  private final CorrelationSet set;
  private final CorrelationEngine engine;
  private final CorrelationState state = new CorrelationState();
  private final List<CorrelationMatch> matches = new ArrayList<>();
  private final CorrelationEngine.Output output =
      new CorrelationEngine.Output() {
        @Override
        public void match(CorrelationMatch match) {
          matches.add(match);
        }

        @Override
        public void forward(Observation observation) {
          throw new IllegalStateException("every correlation runs in the tester");
        }
      };
  private long latest = Long.MIN_VALUE;

  public CorrelationTester(CorrelationSet set) {
    this.set = set;
    // One state holds every group: the cap is for a job's keys, not for a whole recording.
    this.engine = new CorrelationEngine(set, c -> true, Integer.MAX_VALUE);
  }

  public boolean isEmpty() {
    return set.isEmpty();
  }

  /**
   * One event: the keys of the rules that fired on it, its time, host and EventData, and the id its
   * matches name it by.
   */
  public void observe(
      List<String> fired,
      long timeNanos,
      String host,
      Map<String, String> eventData,
      String evidenceId) {
    for (String rule : fired) {
      for (Feed feed : set.feedsOf(rule)) {
        Observation o =
            feed.observe(
                name -> CorrelationRule.HOST_FIELDS.contains(name) ? host : eventData.get(name),
                timeNanos,
                new String[] {evidenceId},
                new String[] {host == null ? "" : host},
                null);
        if (o != null) {
          engine.add(state, o, watermark(), output);
        }
      }
    }
    latest = Math.max(latest, timeNanos);
    engine.advance(state, watermark(), output);
  }

  /** Ends the replay: judges what is left; every match so far, in the order made. */
  public List<CorrelationMatch> finish() {
    engine.advance(state, Long.MAX_VALUE, output);
    return List.copyOf(matches);
  }

  /** Events dropped for coming more than the slack after a later one. */
  public long late() {
    return engine.late();
  }

  private long watermark() {
    return latest == Long.MIN_VALUE ? Long.MIN_VALUE : latest - SLACK_NANOS;
  }
}
