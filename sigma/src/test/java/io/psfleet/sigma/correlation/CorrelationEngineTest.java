package io.psfleet.sigma.correlation;

import static io.psfleet.sigma.correlation.CorrelationRules.BASE;
import static io.psfleet.sigma.correlation.CorrelationRules.CREATE_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.LOAD_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.THREAD_ID;
import static io.psfleet.sigma.correlation.CorrelationRules.correlation;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.sigma.LoadResult;
import io.psfleet.sigma.SigmaLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's sliding windows, type by type: inside and outside the window, out of order up to the
 * watermark, late events, per host and across hosts, chaining, and state back to nothing. Times are
 * seconds; one {@link CorrelationState} per key, as the Flink operator keys it.
 */
class CorrelationEngineTest {
  static final String C = "cc000000-0000-4000-8000-0000000000c1";
  static final String D = "cc000000-0000-4000-8000-0000000000d1";
  static final long S = 1_000_000_000L;

  CorrelationSet set;
  CorrelationEngine engine;
  final Map<String, CorrelationState> states = new HashMap<>();
  final List<CorrelationMatch> matches = new ArrayList<>();
  final List<Observation> forwarded = new ArrayList<>();
  final CorrelationEngine.Output out =
      new CorrelationEngine.Output() {
        @Override
        public void match(CorrelationMatch match) {
          matches.add(match);
        }

        @Override
        public void forward(Observation observation) {
          forwarded.add(observation);
        }
      };
  int events;
  long lateness;

  void rules(String... correlations) {
    rules(CorrelationEngine.DEFAULT_MAX_SIGHTINGS, correlations);
  }

  void rules(int cap, String... correlations) {
    LoadResult r =
        SigmaLoader.loadText("t.yml", BASE + "---\n" + String.join("---\n", correlations));
    assertThat(r.report().rejected()).as(r.report().format()).isEmpty();
    set = r.ruleSet().correlations();
    engine = new CorrelationEngine(set, c -> true, cap, lateness);
  }

  /**
   * A match of {@code rule} at {@code seconds} on {@code host} with these event fields, fed to
   * every correlation that takes it; keyed per host for host-scoped ones, by values otherwise.
   * Returns the evidence id.
   */
  String see(String rule, double seconds, String host, String... fields) {
    return see(host + ":1:" + (++events), rule, seconds, host, fields);
  }

  String see(String id, String rule, double seconds, String host, String... fields) {
    Map<String, String> map = new HashMap<>();
    map.put("Computer", host);
    for (int i = 0; i < fields.length; i += 2) {
      map.put(fields[i], fields[i + 1]);
    }
    for (Feed feed : set.feedsOf(rule)) {
      Observation o =
          feed.observe(
              map::get,
              (long) (seconds * S),
              new String[] {id},
              new String[] {host},
              new Subject(id.hashCode(), 4, "C:\\x.exe"));
      if (o != null) {
        String key = feed.correlation().hostScoped() ? host : o.valuesKey();
        engine.add(states.computeIfAbsent(key, k -> new CorrelationState()), o, watermark, out);
      }
    }
    return id;
  }

  long watermark = Long.MIN_VALUE;

  /** Advances every key to {@code seconds}, as the job's watermark would. */
  void watermark(double seconds) {
    watermark = (long) (seconds * S);
    states.values().forEach(s -> engine.advance(s, watermark, out));
    states.values().removeIf(CorrelationState::isEmpty);
  }

  String ordered(String timespan) {
    return correlation(
        C,
        "type: temporal_ordered\nrules: [remote_thread, unsigned_load]\n"
            + "group-by: [Computer, target]\ntimespan: "
            + timespan
            + "\naliases:\n  target:\n    remote_thread: TargetProcessGuid\n"
            + "    unsigned_load: ProcessGuid\n");
  }

  String campaign(int hosts) {
    return correlation(
        C,
        "type: value_count\nrules: ["
            + LOAD_ID
            + "]\ngroup-by: [Hashes]\ntimespan: 15m\ncondition:\n  field: Computer\n  gte: "
            + hosts
            + "\n");
  }

  // --- temporal_ordered ------------------------------------------------------------------------

  @Test
  void remoteThreadThenLoadIntoItsTargetWithinTheWindowMatches() {
    rules(ordered("30s"));
    String thread = see(THREAD_ID, 10, "h1", "TargetProcessGuid", "{T}");
    see(LOAD_ID, 12, "h1", "ProcessGuid", "{OTHER}");
    String load = see(LOAD_ID, 39, "h1", "ProcessGuid", "{T}");
    watermark(60);
    assertThat(matches)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.evidence()).containsExactly(thread, load);
              assertThat(m.groupValues()).containsExactly("h1", "{T}");
              assertThat(m.timeNanos()).isEqualTo(39 * S);
              assertThat(m.hosts()).containsExactly("h1");
              assertThat(m.alert()).isTrue();
            });
  }

  @Test
  void aLoadAfterTheWindowOrBeforeTheThreadDoesNotMatch() {
    rules(ordered("30s"));
    see(LOAD_ID, 5, "h1", "ProcessGuid", "{T}");
    see(THREAD_ID, 10, "h1", "TargetProcessGuid", "{T}");
    see(LOAD_ID, 40.5, "h1", "ProcessGuid", "{T}");
    watermark(100);
    assertThat(matches).isEmpty();
    assertThat(states).isEmpty();
  }

  @Test
  void eventsOutOfOrderBeforeTheWatermarkAreJudgedInEventTimeOrder() {
    rules(ordered("30s"));
    // The load arrives first, though it happened after the thread.
    String load = see(LOAD_ID, 12, "h1", "ProcessGuid", "{T}");
    String thread = see(THREAD_ID, 10, "h1", "TargetProcessGuid", "{T}");
    watermark(11);
    assertThat(matches).isEmpty();
    watermark(12);
    assertThat(matches)
        .singleElement()
        .satisfies(m -> assertThat(m.evidence()).containsExactly(thread, load));
  }

  @Test
  void anEventAtOrBehindTheWatermarkIsLateAndCounted() {
    rules(ordered("30s"));
    see(THREAD_ID, 10, "h1", "TargetProcessGuid", "{T}");
    watermark(20);
    see(LOAD_ID, 20, "h1", "ProcessGuid", "{T}");
    see(LOAD_ID, 15, "h1", "ProcessGuid", "{T}");
    watermark(50);
    assertThat(matches).isEmpty();
    assertThat(engine.late()).isEqualTo(2);
  }

  @Test
  void aLateRemoteThreadWithinTheAllowedLatenessCompletesTheChainOfTheLoadJudgedBeforeIt() {
    lateness = 60 * S;
    rules(ordered("30s"));
    String load = see(LOAD_ID, 20, "h1", "ProcessGuid", "{T}");
    watermark(25);
    assertThat(matches).isEmpty();
    String thread = see(THREAD_ID, 10, "h1", "TargetProcessGuid", "{T}");
    assertThat(matches)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.evidence()).containsExactly(thread, load);
              assertThat(m.timeNanos()).isEqualTo(20 * S);
            });
    assertThat(engine.judgedLate()).isEqualTo(1);
    assertThat(engine.late()).isZero();
  }

  @Test
  void aLateSightingCountsInTheWindowsOfTheSightingsAfterIt() {
    lateness = 60 * S;
    rules(
        correlation(
            C,
            "type: event_count\nrules: [process_created]\ngroup-by: [Computer]\n"
                + "timespan: 1m\ncondition:\n  gte: 3\n"));
    String first = see(CREATE_ID, 10, "h1");
    String third = see(CREATE_ID, 30, "h1");
    watermark(40);
    assertThat(matches).isEmpty();
    String second = see(CREATE_ID, 20, "h1");
    assertThat(matches)
        .singleElement()
        .satisfies(m -> assertThat(m.evidence()).containsExactly(first, second, third));
  }

  @Test
  void aLateSightingOfAValueTheWindowHoldsLaterAddsNothing() {
    lateness = 60 * S;
    rules(campaign(2));
    see(LOAD_ID, 30, "h1", "Hashes", "AA");
    watermark(40);
    see(LOAD_ID, 20, "h1", "Hashes", "AA");
    watermark(41);
    assertThat(matches).isEmpty();
    see(LOAD_ID, 35, "h2", "Hashes", "AA");
    assertThat(matches).singleElement();
  }

  @Test
  void beyondTheAllowedLatenessAnEventIsRefusedAndCounted() {
    lateness = 60 * S;
    rules(ordered("30s"));
    watermark(100);
    see(THREAD_ID, 30, "h1", "TargetProcessGuid", "{T}");
    see(LOAD_ID, 40, "h1", "ProcessGuid", "{T}"); // at watermark - lateness: too late
    assertThat(matches).isEmpty();
    assertThat(engine.late()).isEqualTo(2);
    assertThat(engine.judgedLate()).isZero();
    assertThat(states.values()).allSatisfy(st -> assertThat(st.isEmpty()).isTrue());
  }

  @Test
  void windowsAreKeptTheAllowedLatenessLongerAndThenGo() {
    lateness = 60 * S;
    rules(ordered("30s"));
    see(THREAD_ID, 10, "h1", "TargetProcessGuid", "{T}");
    watermark(11);
    assertThat(engine.nextWakeup(states.get("h1"))).isEqualTo((10 + 30 + 60) * S);
    watermark(99.9);
    assertThat(states.get("h1").sightings()).isEqualTo(1);
    watermark(100);
    assertThat(states).isEmpty();
  }

  @Test
  void orderedNeedsTheRulesInTheirOrderAcrossThreeRules() {
    rules(
        correlation(
            C,
            "type: temporal_ordered\nrules: [process_created, remote_thread, unsigned_load]\n"
                + "group-by: [Computer]\ntimespan: 1m\n"));
    see(CREATE_ID, 1, "h1");
    see(THREAD_ID, 2, "h1");
    see(CREATE_ID, 3, "h1"); // a later create does not spoil the chain begun at 1
    String load = see(LOAD_ID, 4, "h1");
    watermark(10);
    assertThat(matches)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.evidence()).hasSize(3).endsWith(load);
              assertThat(m.evidence()[0]).isEqualTo("h1:1:1");
            });
  }

  // --- temporal --------------------------------------------------------------------------------

  @Test
  void temporalMatchesEveryRuleInAnyOrderWithinTheWindow() {
    rules(
        correlation(
            C,
            "type: temporal\nrules: [remote_thread, unsigned_load, process_created]\n"
                + "group-by: [Computer]\ntimespan: 10s\n"));
    see(LOAD_ID, 1, "h1");
    see(CREATE_ID, 5, "h1");
    see(THREAD_ID, 12, "h1"); // the load at 1 is out of its window: no match yet
    watermark(13);
    assertThat(matches).isEmpty();
    see(LOAD_ID, 14, "h1");
    watermark(15);
    assertThat(matches)
        .singleElement()
        .satisfies(m -> assertThat(m.evidence()).containsExactly("h1:1:2", "h1:1:3", "h1:1:4"));
  }

  @Test
  void temporalKeepsTheLatestSightingOfEachRule() {
    rules(
        correlation(
            C,
            "type: temporal\nrules: [remote_thread, unsigned_load]\n"
                + "group-by: [Computer]\ntimespan: 10s\n"));
    see(LOAD_ID, 1, "h1");
    see(LOAD_ID, 8, "h1");
    see(THREAD_ID, 15, "h1");
    watermark(20);
    assertThat(matches)
        .singleElement()
        .satisfies(m -> assertThat(m.evidence()).containsExactly("h1:1:2", "h1:1:3"));
  }

  @Test
  void temporalWithAConditionNeedsOnlyThatManyRules() {
    rules(
        correlation(
            C,
            "type: temporal\nrules: [remote_thread, unsigned_load, process_created]\n"
                + "group-by: [Computer]\ntimespan: 10s\ncondition:\n  gte: 2\n"));
    see(LOAD_ID, 1, "h1");
    see(LOAD_ID, 2, "h1");
    watermark(5);
    assertThat(matches).isEmpty();
    see(CREATE_ID, 6, "h1");
    watermark(7);
    assertThat(matches).hasSize(1);
  }

  // --- event_count -----------------------------------------------------------------------------

  @Test
  void eventCountMatchesOnceTheCountIsReachedWithinTheWindowAndStartsAfresh() {
    rules(
        correlation(
            C,
            "type: event_count\nrules: [process_created]\ngroup-by: [Computer, User]\n"
                + "timespan: 1m\ncondition:\n  gte: 3\n"));
    see(CREATE_ID, 0, "h1", "User", "alice");
    see(CREATE_ID, 30, "h1", "User", "alice");
    see(CREATE_ID, 61, "h1", "User", "alice"); // the first has left the window
    see(CREATE_ID, 62, "h1", "User", "bob");
    watermark(65);
    assertThat(matches).isEmpty();
    see(CREATE_ID, 70, "h1", "User", "alice");
    watermark(71);
    assertThat(matches)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.evidence()).containsExactly("h1:1:2", "h1:1:3", "h1:1:5");
              assertThat(m.groupValues()).containsExactly("h1", "alice");
            });
    // The match used those three: two more do not make a second one.
    see(CREATE_ID, 72, "h1", "User", "alice");
    see(CREATE_ID, 73, "h1", "User", "alice");
    watermark(74);
    assertThat(matches).hasSize(1);
    see(CREATE_ID, 75, "h1", "User", "alice");
    watermark(76);
    assertThat(matches).hasSize(2);
  }

  @Test
  void anEventWithoutAGroupByFieldBelongsToNoGroup() {
    rules(
        correlation(
            C,
            "type: event_count\nrules: [process_created]\ngroup-by: [User]\n"
                + "timespan: 1m\ncondition:\n  gte: 2\n"));
    see(CREATE_ID, 1, "h1");
    see(CREATE_ID, 2, "h1");
    watermark(10);
    assertThat(matches).isEmpty();
    assertThat(states).isEmpty();
  }

  // --- value_count: across hosts ---------------------------------------------------------------

  @Test
  void valueCountOfHostsPerHashCorrelatesAcrossTheFleet() {
    rules(campaign(3));
    see(LOAD_ID, 1, "h1", "Hashes", "SHA256=AA");
    see(LOAD_ID, 2, "h1", "Hashes", "SHA256=AA"); // the same host again counts once
    see(LOAD_ID, 3, "h2", "Hashes", "SHA256=AA");
    see(LOAD_ID, 4, "h9", "Hashes", "SHA256=BB");
    watermark(5);
    assertThat(matches).isEmpty();
    see(LOAD_ID, 900, "h3", "Hashes", "SHA256=AA");
    watermark(901);
    assertThat(matches)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.hosts()).containsExactly("h1", "h2", "h3");
              assertThat(m.groupValues()).containsExactly("SHA256=AA");
              // The latest load of h1 is the one kept.
              assertThat(m.evidence()).containsExactly("h1:1:2", "h2:1:3", "h3:1:5");
            });
    // One key per hash, keyed by the group's values; the matched one's state is gone.
    assertThat(states.keySet()).containsExactly("SHA256=BB" + Observation.SEPARATOR);
  }

  @Test
  void valueCountOutsideTheWindowDoesNotMatch() {
    rules(campaign(3));
    see(LOAD_ID, 0, "h1", "Hashes", "SHA256=AA");
    see(LOAD_ID, 500, "h2", "Hashes", "SHA256=AA");
    see(LOAD_ID, 901, "h3", "Hashes", "SHA256=AA"); // 15 min and a second after h1
    watermark(2000);
    assertThat(matches).isEmpty();
    assertThat(states).isEmpty();
  }

  @Test
  void aHashThatSpreadsAnewAfterItsWindowAlertsAgain() {
    rules(campaign(2));
    see(LOAD_ID, 0, "h1", "Hashes", "SHA256=AA");
    see(LOAD_ID, 10, "h2", "Hashes", "SHA256=AA");
    watermark(3000);
    see(LOAD_ID, 5000, "h7", "Hashes", "SHA256=AA");
    see(LOAD_ID, 5010, "h8", "Hashes", "SHA256=AA");
    watermark(6000);
    assertThat(matches)
        .extracting(m -> List.of(m.hosts()))
        .containsExactly(List.of("h1", "h2"), List.of("h7", "h8"));
  }

  // --- value_sum, value_avg --------------------------------------------------------------------

  @Test
  void valueSumAndAverageCompareTheNumericFieldInTheWindow() {
    rules(
        correlation(
            C,
            "type: value_sum\nrules: [process_created]\ngroup-by: [User]\ntimespan: 1m\n"
                + "condition:\n  field: TerminalSessionId\n  gt: 10\n"),
        correlation(
            D,
            "type: value_avg\nrules: [process_created]\ngroup-by: [User]\ntimespan: 1m\n"
                + "condition:\n  field: TerminalSessionId\n  gte: 6\n"));
    see(CREATE_ID, 1, "h1", "User", "alice", "TerminalSessionId", "4");
    see(CREATE_ID, 2, "h2", "User", "alice", "TerminalSessionId", "not a number");
    see(CREATE_ID, 3, "h3", "User", "alice", "TerminalSessionId", "5");
    watermark(4);
    assertThat(matches).isEmpty();
    see(CREATE_ID, 100, "h1", "User", "alice", "TerminalSessionId", "2");
    watermark(101);
    assertThat(matches).isEmpty();
    see(CREATE_ID, 102, "h1", "User", "alice", "TerminalSessionId", "9");
    see(CREATE_ID, 103, "h1", "User", "alice", "TerminalSessionId", "1");
    watermark(104);
    assertThat(matches).extracting(m -> m.rule().key()).containsExactly(C);
    see(CREATE_ID, 200, "h1", "User", "alice", "TerminalSessionId", "7");
    watermark(201);
    assertThat(matches).extracting(m -> m.rule().key()).containsExactly(C, D);
  }

  // --- chaining --------------------------------------------------------------------------------

  @Test
  void aCorrelationOnACorrelationMatchesOnItsMatches() {
    rules(
        correlation(
            C,
            "many_creates",
            "",
            "type: event_count\nrules: [process_created]\ngroup-by: [Computer, User]\n"
                + "timespan: 1m\ncondition:\n  gte: 2\n"),
        correlation(
            D,
            "type: temporal_ordered\nrules: [many_creates, unsigned_load]\n"
                + "group-by: [Computer, User]\ntimespan: 1m\n"));
    see(CREATE_ID, 1, "h1", "User", "alice");
    see(LOAD_ID, 2, "h1", "User", "alice"); // before the event count matched
    see(CREATE_ID, 3, "h1", "User", "alice");
    see(LOAD_ID, 4, "h1", "User", "alice");
    watermark(10);
    assertThat(matches).extracting(m -> m.rule().key()).containsExactly(C, D);
    assertThat(matches.get(0).alert()).isFalse();
    assertThat(matches.get(1).alert()).isTrue();
    assertThat(matches.get(1).evidence()).containsExactly("h1:1:1", "h1:1:3", "h1:1:4");
    assertThat(states).isEmpty();
  }

  @Test
  void aFleetCorrelationOnAHostOneIsForwardedToTheEngineThatRunsIt() {
    LoadResult r =
        SigmaLoader.loadText(
            "t.yml",
            BASE
                + "---\n"
                + correlation(
                    C,
                    "injection",
                    "",
                    "type: temporal_ordered\nrules: [remote_thread, unsigned_load]\n"
                        + "group-by: [Computer, Hashes]\ntimespan: 30s\n")
                + "---\n"
                + correlation(
                    D,
                    "type: value_count\nrules: [injection]\ngroup-by: [Hashes]\ntimespan: 1h\n"
                        + "condition:\n  field: Computer\n  gte: 2\n"));
    assertThat(r.report().rejected()).as(r.report().format()).isEmpty();
    set = r.ruleSet().correlations();
    engine = new CorrelationEngine(set, CorrelationRule::hostScoped, 100);
    see(THREAD_ID, 1, "h1", "Hashes", "AA");
    see(LOAD_ID, 2, "h1", "Hashes", "AA");
    watermark(5);
    assertThat(matches).extracting(m -> m.rule().key()).containsExactly(C);
    assertThat(forwarded)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.correlation()).isEqualTo(D);
              assertThat(o.groupValues()).containsExactly("AA");
              assertThat(o.sighting().value()).isEqualTo("h1");
              assertThat(o.sighting().timeNanos()).isEqualTo(2 * S);
              assertThat(o.sighting().evidence()).containsExactly("h1:1:1", "h1:1:2");
            });
  }

  // --- arrival order ---------------------------------------------------------------------------

  /** A base rule's match in a test scenario. */
  record Seen(String rule, double seconds, String host, String... fields) {}

  /** The matches (rule and evidence) of {@code events} fed in {@code order}, then judged. */
  List<String> judge(String rule, List<Seen> events, List<Integer> order) {
    return judge(rule, events, order, Long.MIN_VALUE);
  }

  /**
   * The matches of {@code events} fed in {@code order} with the watermark at {@code startSeconds}
   * (every event late when it is past them all), then judged.
   */
  List<String> judge(String rule, List<Seen> events, List<Integer> order, double startSeconds) {
    rules(rule);
    matches.clear();
    states.clear();
    watermark = startSeconds == Long.MIN_VALUE ? Long.MIN_VALUE : (long) (startSeconds * S);
    for (int i : order) {
      Seen e = events.get(i);
      see(e.host() + ":1:" + i, e.rule(), e.seconds(), e.host(), e.fields());
    }
    watermark(100_000);
    assertThat(states).isEmpty();
    return matches.stream().map(m -> m.rule().key() + " " + List.of(m.evidence())).toList();
  }

  @Test
  void everyTypeMatchesTheSameEventsWhateverOrderTheyArriveInBeforeTheWatermark() {
    Map<String, List<Seen>> scenarios = new java.util.LinkedHashMap<>();
    scenarios.put(
        ordered("30s"),
        List.of(
            new Seen(LOAD_ID, 1, "h1", "ProcessGuid", "{T}"),
            new Seen(THREAD_ID, 2, "h1", "TargetProcessGuid", "{T}"),
            new Seen(LOAD_ID, 3, "h1", "ProcessGuid", "{T}"),
            new Seen(THREAD_ID, 40, "h1", "TargetProcessGuid", "{T}"),
            new Seen(LOAD_ID, 71, "h1", "ProcessGuid", "{T}")));
    scenarios.put(
        correlation(
            C,
            "type: temporal\nrules: [remote_thread, unsigned_load]\ngroup-by: [Computer]\n"
                + "timespan: 10s\n"),
        List.of(
            new Seen(LOAD_ID, 1, "h1"),
            new Seen(THREAD_ID, 12, "h1"),
            new Seen(LOAD_ID, 15, "h1"),
            new Seen(THREAD_ID, 16, "h1")));
    scenarios.put(
        correlation(
            C,
            "type: event_count\nrules: [process_created]\ngroup-by: [Computer]\n"
                + "timespan: 1m\ncondition:\n  gte: 3\n"),
        List.of(
            new Seen(CREATE_ID, 0, "h1"),
            new Seen(CREATE_ID, 30, "h1"),
            new Seen(CREATE_ID, 61, "h1"),
            new Seen(CREATE_ID, 62, "h1"),
            new Seen(CREATE_ID, 200, "h1")));
    scenarios.put(
        campaign(3),
        List.of(
            new Seen(LOAD_ID, 0, "h1", "Hashes", "AA"),
            new Seen(LOAD_ID, 400, "h2", "Hashes", "AA"),
            new Seen(LOAD_ID, 800, "h1", "Hashes", "AA"),
            new Seen(LOAD_ID, 901, "h3", "Hashes", "AA"),
            new Seen(LOAD_ID, 902, "h4", "Hashes", "BB")));
    scenarios.put(
        correlation(
            C,
            "type: value_sum\nrules: [process_created]\ngroup-by: [User]\ntimespan: 1m\n"
                + "condition:\n  field: TerminalSessionId\n  gte: 10\n"),
        List.of(
            new Seen(CREATE_ID, 0, "h1", "User", "u", "TerminalSessionId", "6"),
            new Seen(CREATE_ID, 59, "h2", "User", "u", "TerminalSessionId", "3"),
            new Seen(CREATE_ID, 61, "h3", "User", "u", "TerminalSessionId", "7")));
    for (Map.Entry<String, List<Seen>> s : scenarios.entrySet()) {
      List<Integer> inOrder = new ArrayList<>();
      for (int i = 0; i < s.getValue().size(); i++) {
        inOrder.add(i);
      }
      List<Integer> reversed = new ArrayList<>(inOrder);
      java.util.Collections.reverse(reversed);
      List<String> expected = judge(s.getKey(), s.getValue(), inOrder);
      assertThat(expected).as(s.getKey()).isNotEmpty();
      assertThat(judge(s.getKey(), s.getValue(), reversed)).as(s.getKey()).isEqualTo(expected);
      // A host's events that all come late, in the order they happened (a sensor forwarding its
      // spool, a partition that stalled), make the same matches within the allowed lateness.
      lateness = 2 * 3600 * S;
      double pastThemAll = s.getValue().stream().mapToDouble(Seen::seconds).max().orElseThrow() + 1;
      assertThat(judge(s.getKey(), s.getValue(), inOrder, pastThemAll))
          .as(s.getKey() + " late")
          .isEqualTo(expected);
      lateness = 0;
    }
  }

  // --- state -----------------------------------------------------------------------------------

  @Test
  void stateGoesBackToNothingOnceTheWatermarkPassesTheWindow() {
    rules(ordered("30s"), campaign(5).replace(C, D));
    see(THREAD_ID, 10, "h1", "TargetProcessGuid", "{T}");
    see(LOAD_ID, 20, "h2", "ProcessGuid", "{U}", "Hashes", "AA");
    watermark(21);
    assertThat(states).isNotEmpty();
    CorrelationState h1 = states.get("h1");
    assertThat(engine.nextWakeup(h1)).isEqualTo(40 * S);
    watermark(39.9);
    assertThat(states.get("h1").sightings()).isEqualTo(1);
    watermark(40);
    assertThat(states.get("h1")).isNull();
    watermark(20 + 900);
    assertThat(states).isEmpty();
    assertThat(h1.isEmpty()).isTrue();
  }

  @Test
  void aWindowHoldsAtMostTheCapAndCountsWhatItEvicts() {
    rules(
        3,
        correlation(
            C,
            "type: event_count\nrules: [process_created]\ngroup-by: [Computer]\n"
                + "timespan: 1h\ncondition:\n  gte: 100\n"));
    for (int i = 0; i < 10; i++) {
      see(CREATE_ID, i, "h1");
    }
    assertThat(engine.evicted()).isEqualTo(7); // pending: at most 3 per key
    watermark(20);
    assertThat(states.get("h1").sightings()).isEqualTo(3);
    see(CREATE_ID, 21, "h1");
    watermark(22);
    assertThat(states.get("h1").sightings()).isEqualTo(3);
    assertThat(engine.evicted()).isEqualTo(8);
  }
}
