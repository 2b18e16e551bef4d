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
 * matches, with the same evidence, however the hosts' streams interleaved on the way.
 *
 * <p><b>Late observations.</b> An observation at or behind the watermark is late. Within the
 * allowed lateness it is still judged, at once, in arrival order: it takes its place in its group's
 * window by event time, and the windows ending at it and at every later sighting are judged again,
 * so a remote thread that arrives after the load it caused still completes the chain. This is what
 * a sensor that spools through an outage, or a partition that stalled while the others drove the
 * watermark on, needs; one host's events keep their order on the way, so a host's late events meet
 * in the order they happened. Beyond the allowed lateness an observation is refused and counted
 * ({@link #late()}). Windows are kept the allowed lateness longer for it.
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
 * #advance} drops what the watermark has left more than {@code timespan} plus the allowed lateness
 * behind, and groups and keys with nothing left, so a quiet key's state goes back to nothing;
 * {@link #nextWakeup} says when that will next be due.
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

  /** Event time, then evidence id, then member: one total order, whatever the arrival order. */
  private static final Comparator<Sighting> SIGHTING_ORDER =
      Comparator.comparingLong(Sighting::timeNanos)
          .thenComparing(CorrelationEngine::firstEvidence)
          .thenComparingInt(Sighting::member);

  private static final Comparator<Observation> ORDER =
      Comparator.comparing(Observation::sighting, SIGHTING_ORDER)
          .thenComparing(Observation::correlation);

  /** Where matches go, and observations for correlations another engine runs. */
  public interface Output {
    void match(CorrelationMatch match);

    void forward(Observation observation);
  }

  private final CorrelationSet set;
  private final Predicate<CorrelationRule> local;
  private final int maxSightings;
  private final long allowedLatenessNanos;
  private long late;
  private long judgedLate;
  private long evicted;

  /** An engine that refuses every late observation (no allowed lateness). */
  public CorrelationEngine(CorrelationSet set, Predicate<CorrelationRule> local, int maxSightings) {
    this(set, local, maxSightings, 0);
  }

  /**
   * @param local the correlations this engine runs; matches feeding others are forwarded
   * @param maxSightings the cap per window and on a key's pending observations (at least 2)
   * @param allowedLatenessNanos how far behind the watermark an observation is still judged (at
   *     least 0)
   */
  public CorrelationEngine(
      CorrelationSet set,
      Predicate<CorrelationRule> local,
      int maxSightings,
      long allowedLatenessNanos) {
    if (maxSightings < 2) {
      throw new IllegalArgumentException("maxSightings must be at least 2: " + maxSightings);
    }
    if (allowedLatenessNanos < 0) {
      throw new IllegalArgumentException(
          "allowedLatenessNanos must be at least 0: " + allowedLatenessNanos);
    }
    this.set = set;
    this.local = local;
    this.maxSightings = maxSightings;
    this.allowedLatenessNanos = allowedLatenessNanos;
  }

  /**
   * An engine for the rule set {@code next} that goes on counting where this one is (late and
   * evicted observations), for a job whose rules change while it runs.
   */
  public CorrelationEngine forSet(CorrelationSet next) {
    CorrelationEngine engine =
        new CorrelationEngine(next, local, maxSightings, allowedLatenessNanos);
    engine.late = late;
    engine.judgedLate = judgedLate;
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
   * it, or at once when it is late (at or behind {@code watermarkNanos}) within the allowed
   * lateness; false (and counted) when it is later than that.
   */
  public boolean add(CorrelationState state, Observation o, long watermarkNanos, Output out) {
    long time = o.sighting().timeNanos();
    if (time <= watermarkNanos) {
      if (time <= minus(watermarkNanos, allowedLatenessNanos)) {
        late++;
        return false;
      }
      judgedLate++;
      insert(state, o);
      advance(state, watermarkNanos, out);
      return true;
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
        next = Math.min(next, plus(g.window[0].timeNanos(), retentionNanos(rule)));
      }
    }
    return next;
  }

  /** Observations refused as later than the allowed lateness so far. */
  public long late() {
    return late;
  }

  /** Late observations judged within the allowed lateness so far. */
  public long judgedLate() {
    return judgedLate;
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
    int at = place(g, o.sighting(), rule);
    // In event-time order only the window ending at the new sighting changes; a late one also
    // changes the windows of the sightings after it.
    for (int end = Math.max(at, 0); at >= 0 && end < g.window.length; end++) {
      Sighting[] matched = judge(g, end, rule);
      if (matched == null) {
        continue;
      }
      Sighting last = g.window[end];
      g.window =
          end + 1 == g.window.length
              ? NO_SIGHTINGS
              : Arrays.copyOfRange(g.window, end + 1, g.window.length);
      CorrelationMatch m =
          new CorrelationMatch(
              rule, g.values, last.timeNanos(), matched, set.alertsAlone(rule.key()));
      out.match(m);
      chain(state, m, out);
      end = -1; // what is left is judged again without the sightings the match took
    }
  }

  /**
   * Puts {@code s} in its place in the window, by event time; its index, or -1 where it adds
   * nothing: a {@code value_count} sighting without the value, a metric one without a number, or
   * one of a value ({@code value_count}) or rule ({@code temporal}) the window already holds at a
   * later moment (only the latest of each counts).
   */
  private int place(GroupState g, Sighting s, CorrelationRule rule) {
    CorrelationType type = rule.type();
    if (type == CorrelationType.VALUE_COUNT && s.value() == null
        || (type == CorrelationType.VALUE_SUM || type == CorrelationType.VALUE_AVG)
            && number(s.value()) == null) {
      return -1;
    }
    if (type == CorrelationType.VALUE_COUNT || type == CorrelationType.TEMPORAL) {
      boolean byValue = type == CorrelationType.VALUE_COUNT;
      for (int i = 0; i < g.window.length; i++) {
        Sighting w = g.window[i];
        if (byValue ? s.value().equals(w.value()) : s.member() == w.member()) {
          if (SIGHTING_ORDER.compare(w, s) > 0) {
            return -1;
          }
          g.window = remove(g.window, i);
          break;
        }
      }
    }
    Sighting[] w = g.window;
    if (w.length >= maxSightings) {
      w = Arrays.copyOfRange(w, 1, w.length);
      evicted++;
    }
    int at = Arrays.binarySearch(w, s, SIGHTING_ORDER);
    at = at < 0 ? -at - 1 : at + 1;
    Sighting[] next = new Sighting[w.length + 1];
    System.arraycopy(w, 0, next, 0, at);
    next[at] = s;
    System.arraycopy(w, at, next, at + 1, w.length - at);
    g.window = next;
    return at;
  }

  /**
   * The sightings of the window that ends at {@code end} (those up to it, at most {@code timespan}
   * before it) when they meet the correlation's condition, else null.
   */
  private Sighting[] judge(GroupState g, int end, CorrelationRule rule) {
    Sighting[] w = g.window;
    long from = w[end].timeNanos() - rule.timespanNanos();
    int start = end;
    while (start > 0 && w[start - 1].timeNanos() >= from) {
      start--;
    }
    return switch (rule.type()) {
      case EVENT_COUNT, VALUE_COUNT, TEMPORAL ->
          rule.condition().test(end - start + 1) ? Arrays.copyOfRange(w, start, end + 1) : null;
      case TEMPORAL_ORDERED -> ordered(w, start, end, rule);
      case VALUE_SUM, VALUE_AVG -> metric(w, start, end, rule);
    };
  }

  /**
   * A match when the window's last sighting, of the last rule, completes a chain of the rules in
   * order. Choosing, from the end, the latest sighting of each previous rule before the next one
   * gives the chain with the latest start, so if any chain fits the window, that one does.
   */
  private static Sighting[] ordered(Sighting[] w, int start, int end, CorrelationRule rule) {
    int rules = rule.members().size();
    if (w[end].member() != rules - 1) {
      return null;
    }
    Sighting[] chain = new Sighting[rules];
    chain[rules - 1] = w[end];
    int need = rules - 2;
    for (int i = end - 1; i >= start && need >= 0; i--) {
      if (w[i].member() == need && !Arrays.equals(w[i].evidence(), chain[need + 1].evidence())) {
        chain[need--] = w[i];
      }
    }
    return need < 0 ? chain : null;
  }

  private static Sighting[] metric(Sighting[] w, int start, int end, CorrelationRule rule) {
    double sum = 0;
    for (int i = start; i <= end; i++) {
      sum += number(w[i].value());
    }
    int n = end - start + 1;
    double aggregate = rule.type() == CorrelationType.VALUE_SUM ? sum : sum / n;
    return rule.condition().test(aggregate) ? Arrays.copyOfRange(w, start, end + 1) : null;
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
        // A later sighting is after (watermark - allowed lateness): one at or before that, less
        // the timespan, can share no window with it.
        trimBefore(g, plus(minus(watermarkNanos, retentionNanos(rule)), 1));
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

  /** How long past the watermark a sighting may still share a window with a judged one. */
  private long retentionNanos(CorrelationRule rule) {
    return plus(rule.timespanNanos(), allowedLatenessNanos);
  }

  private static long plus(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  private static long minus(long a, long b) {
    long r = a - b;
    return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
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
