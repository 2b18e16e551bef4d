package io.psfleet.sigma.correlation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs correlation rules over the matches of the rules they refer to, as the specification's
 * sliding windows: a correlation matches at a sighting when the sightings of its group within
 * {@code timespan} before it (inclusive) meet its condition.
 *
 * <p><b>Event time.</b> Sightings are judged in event-time order, not in arrival order: {@link
 * #add} keeps an observation pending until {@link #advance} brings the watermark past it, then the
 * pending ones are processed oldest first (ties by evidence id), so the same events make the same
 * matches, with the same evidence, however the hosts' streams interleaved on the way. An
 * observation at or behind the watermark is late: refused and counted ({@link #late()}).
 *
 * <p><b>Matches.</b> A match empties its group's window: its sightings make no second match, and
 * the next one needs sightings after it. So a fleet-wide {@code value_count} of hosts per hash
 * alerts again when a hash spreads anew, and an {@code event_count} of 100 alerts once per 100
 * events, not on every event past the hundredth. A match feeds the correlations that build on it
 * (chaining): those this engine runs ({@code local}) take it at once, at the match's time; the
 * others get it through {@link Output#forward}.
 *
 * <p><b>State.</b> Per group only what can still matter: {@code value_count} keeps the latest
 * sighting of each value, {@code temporal} the latest of each rule, the other types every sighting
 * in the window. A window holds at most {@code maxSightings} sightings and a key at most {@code
 * maxSightings} pending ones; past that the oldest goes, counted ({@link #evicted()}). {@link
 * #advance} drops what the watermark has left more than {@code timespan} behind, and groups and
 * keys with nothing left, so a quiet key's state goes back to nothing; {@link #nextWakeup} says
 * when that will next be due.
 *
 * <p>Not thread-safe: one per operator instance; the state objects are the caller's (Flink keyed
 * state). Allocation: a sighting's arrays are copied on each change of its window, which stays
 * small in practice (bounded by the cap).
 */
public final class CorrelationEngine {
  /** The default cap on a window's sightings, and on a key's pending observations. */
  public static final int DEFAULT_MAX_SIGHTINGS = 1_000;

  static final Sighting[] NO_SIGHTINGS = {};
  static final Observation[] NO_OBSERVATIONS = {};
  static final GroupState[] NO_GROUPS = {};

  private static final Comparator<Observation> ORDER =
      Comparator.<Observation>comparingLong(o -> o.sighting().timeNanos())
          .thenComparing(o -> firstEvidence(o.sighting()))
          .thenComparingInt(o -> o.sighting().member())
          .thenComparing(Observation::correlation);

  /** Where matches go, and observations for correlations another engine runs. */
  public interface Output {
    void match(CorrelationMatch match);

    void forward(Observation observation);
  }

  private final CorrelationSet set;
  private final Predicate<CorrelationRule> local;
  private final int maxSightings;
  private long late;
  private long evicted;

  /**
   * @param local the correlations this engine runs; matches feeding others are forwarded
   * @param maxSightings the cap per window and on a key's pending observations (at least 2)
   */
  public CorrelationEngine(CorrelationSet set, Predicate<CorrelationRule> local, int maxSightings) {
    if (maxSightings < 2) {
      throw new IllegalArgumentException("maxSightings must be at least 2: " + maxSightings);
    }
    this.set = set;
    this.local = local;
    this.maxSightings = maxSightings;
  }

  /**
   * An engine for the rule set {@code next} that goes on counting where this one is (late and
   * evicted observations), for a job whose rules change while it runs.
   */
  public CorrelationEngine forSet(CorrelationSet next) {
    CorrelationEngine engine = new CorrelationEngine(next, local, maxSightings);
    engine.late = late;
    engine.evicted = evicted;
    return engine;
  }

  /**
   * Drops the pending observations and the windows of the correlations {@code keys} name (see
   * {@link CorrelationSet#staleUnder}); true when anything went.
   */
  public static boolean drop(CorrelationState state, Set<String> keys) {
    // New arrays, never written in place: a snapshot may still be reading the old ones.
    Observation[] pending =
        Arrays.stream(state.pending)
            .filter(o -> !keys.contains(o.correlation()))
            .toArray(Observation[]::new);
    GroupState[] groups =
        Arrays.stream(state.groups)
            .filter(g -> !keys.contains(g.correlation))
            .toArray(GroupState[]::new);
    boolean dropped = pending.length < state.pending.length || groups.length < state.groups.length;
    state.pending = pending.length == 0 ? NO_OBSERVATIONS : pending;
    state.groups = groups.length == 0 ? NO_GROUPS : groups;
    return dropped;
  }

  /**
   * Takes an observation of a correlation this engine runs, to be judged once the watermark passes
   * it; false (and counted) when it is late: at or behind {@code watermarkNanos}.
   */
  public boolean add(CorrelationState state, Observation o, long watermarkNanos) {
    if (o.sighting().timeNanos() <= watermarkNanos) {
      late++;
      return false;
    }
    insert(state, o);
    if (state.pending.length > maxSightings) {
      state.pending = Arrays.copyOfRange(state.pending, 1, state.pending.length);
      evicted++;
    }
    return true;
  }

  /**
   * Judges every pending observation at or behind {@code watermarkNanos}, oldest first, then drops
   * what no later sighting can match with.
   */
  public void advance(CorrelationState state, long watermarkNanos, Output out) {
    while (state.pending.length > 0 && state.pending[0].sighting().timeNanos() <= watermarkNanos) {
      Observation o = state.pending[0];
      state.pending = Arrays.copyOfRange(state.pending, 1, state.pending.length);
      process(state, o, out);
    }
    expire(state, watermarkNanos);
  }

  /**
   * The watermark (nanoseconds) at which {@link #advance} next has work: the oldest pending
   * observation, or the oldest sighting leaving its window; {@link Long#MAX_VALUE} if none.
   */
  public long nextWakeup(CorrelationState state) {
    long next = Long.MAX_VALUE;
    if (state.pending.length > 0) {
      next = state.pending[0].sighting().timeNanos();
    }
    for (GroupState g : state.groups) {
      CorrelationRule rule = set.rule(g.correlation);
      if (rule != null && g.window.length > 0) {
        next = Math.min(next, g.window[0].timeNanos() + rule.timespanNanos());
      }
    }
    return next;
  }

  /** Observations refused as late so far. */
  public long late() {
    return late;
  }

  /** Sightings dropped by the caps so far. */
  public long evicted() {
    return evicted;
  }

  private void process(CorrelationState state, Observation o, Output out) {
    CorrelationRule rule = set.rule(o.correlation());
    if (rule == null) {
      return;
    }
    GroupState g = group(state, o);
    Sighting s = o.sighting();
    trimBefore(g, s.timeNanos() - rule.timespanNanos());
    Sighting[] matched =
        switch (rule.type()) {
          case EVENT_COUNT -> count(g, s, rule);
          case VALUE_COUNT -> s.value() == null ? null : distinct(g, s, rule, true);
          case TEMPORAL -> distinct(g, s, rule, false);
          case TEMPORAL_ORDERED -> ordered(g, s, rule);
          case VALUE_SUM, VALUE_AVG -> metric(g, s, rule);
        };
    if (matched == null) {
      return;
    }
    g.window = NO_SIGHTINGS;
    CorrelationMatch m =
        new CorrelationMatch(rule, g.values, s.timeNanos(), matched, set.alertsAlone(rule.key()));
    out.match(m);
    chain(state, m, out);
  }

  private Sighting[] count(GroupState g, Sighting s, CorrelationRule rule) {
    append(g, s);
    return rule.condition().test(g.window.length) ? g.window : null;
  }

  /** value_count by value, temporal by rule: an older sighting of the same adds nothing. */
  private Sighting[] distinct(GroupState g, Sighting s, CorrelationRule rule, boolean byValue) {
    for (int i = 0; i < g.window.length; i++) {
      Sighting w = g.window[i];
      if (byValue ? s.value().equals(w.value()) : s.member() == w.member()) {
        g.window = remove(g.window, i);
        break;
      }
    }
    append(g, s);
    return rule.condition().test(g.window.length) ? g.window : null;
  }

  /**
   * A match when the last rule's sighting completes a chain of the rules in order. Choosing, from
   * the end, the latest sighting of each previous rule before the next one gives the chain with the
   * latest start, so if any chain fits the window, that one does.
   */
  private Sighting[] ordered(GroupState g, Sighting s, CorrelationRule rule) {
    append(g, s);
    int rules = rule.members().size();
    if (s.member() != rules - 1) {
      return null;
    }
    Sighting[] chain = new Sighting[rules];
    chain[rules - 1] = s;
    int need = rules - 2;
    for (int i = g.window.length - 2; i >= 0 && need >= 0; i--) {
      Sighting w = g.window[i];
      if (w.member() == need && !Arrays.equals(w.evidence(), chain[need + 1].evidence())) {
        chain[need--] = w;
      }
    }
    return need < 0 ? chain : null;
  }

  private Sighting[] metric(GroupState g, Sighting s, CorrelationRule rule) {
    if (number(s.value()) == null) {
      return null;
    }
    append(g, s);
    double sum = 0;
    for (Sighting w : g.window) {
      sum += number(w.value());
    }
    double aggregate = rule.type() == CorrelationType.VALUE_SUM ? sum : sum / g.window.length;
    return rule.condition().test(aggregate) ? g.window : null;
  }

  private static Double number(String value) {
    if (value == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(value.trim());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void chain(CorrelationState state, CorrelationMatch m, Output out) {
    List<String> groupBy = m.rule().groupBy();
    List<Feed> feeds = set.feedsOf(m.rule().key());
    if (feeds.isEmpty()) {
      return;
    }
    String[] evidence = m.evidence();
    String[] hosts = m.hosts();
    for (Feed feed : feeds) {
      Observation next =
          feed.observe(
              field -> m.groupValues()[groupBy.indexOf(field)],
              m.timeNanos(),
              evidence,
              hosts,
              m.last().subject());
      if (local.test(feed.correlation())) {
        insert(state, next);
      } else {
        out.forward(next);
      }
    }
  }

  private void expire(CorrelationState state, long watermarkNanos) {
    int kept = 0;
    GroupState[] groups = state.groups;
    for (GroupState g : groups) {
      CorrelationRule rule = set.rule(g.correlation);
      if (rule != null) {
        // A later sighting is after the watermark: one at or before (watermark - timespan) can
        // share no window with it.
        trimBefore(g, watermarkNanos - rule.timespanNanos() + 1);
      }
      if (rule != null && g.window.length > 0) {
        groups[kept++] = g;
      }
    }
    state.groups = kept == 0 ? NO_GROUPS : Arrays.copyOf(groups, kept);
  }

  private GroupState group(CorrelationState state, Observation o) {
    for (GroupState g : state.groups) {
      if (g.correlation.equals(o.correlation()) && Arrays.equals(g.values, o.groupValues())) {
        return g;
      }
    }
    GroupState g = new GroupState(o.correlation(), o.groupValues());
    GroupState[] groups = Arrays.copyOf(state.groups, state.groups.length + 1);
    groups[groups.length - 1] = g;
    state.groups = groups;
    return g;
  }

  private void append(GroupState g, Sighting s) {
    Sighting[] w = g.window;
    if (w.length >= maxSightings) {
      w = Arrays.copyOfRange(w, 1, w.length);
      evicted++;
    }
    Sighting[] next = Arrays.copyOf(w, w.length + 1);
    next[w.length] = s;
    g.window = next;
  }

  /** Drops the window's sightings before {@code fromNanos}. */
  private static void trimBefore(GroupState g, long fromNanos) {
    int i = 0;
    while (i < g.window.length && g.window[i].timeNanos() < fromNanos) {
      i++;
    }
    if (i > 0) {
      g.window =
          i == g.window.length ? NO_SIGHTINGS : Arrays.copyOfRange(g.window, i, g.window.length);
    }
  }

  private static Sighting[] remove(Sighting[] window, int i) {
    Sighting[] out = new Sighting[window.length - 1];
    System.arraycopy(window, 0, out, 0, i);
    System.arraycopy(window, i + 1, out, i, window.length - i - 1);
    return out;
  }

  private static void insert(CorrelationState state, Observation o) {
    Observation[] p = state.pending;
    int at = Arrays.binarySearch(p, o, ORDER);
    at = at < 0 ? -at - 1 : at + 1;
    Observation[] next = new Observation[p.length + 1];
    System.arraycopy(p, 0, next, 0, at);
    next[at] = o;
    System.arraycopy(p, at, next, at + 1, p.length - at);
    state.pending = next;
  }

  private static String firstEvidence(Sighting s) {
    return s.evidence().length == 0 ? "" : s.evidence()[0];
  }
}
