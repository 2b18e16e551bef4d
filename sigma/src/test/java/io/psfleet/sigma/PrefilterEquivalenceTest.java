package io.psfleet.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.winevent.EvtxDumpJson;
import io.psfleet.winevent.WinEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The literal prefilter and the memos are only optimisations: on every SigmaHQ regression event
 * (and on the synthetic benign mix) the rules matched with them are exactly those matched by
 * evaluating every rule, whether the event's values are scanned, their hits come from the scan
 * memo, or the verdict comes from the verdict memo (the second pass over the same events).
 */
class PrefilterEquivalenceTest {
  @Test
  void prefilterNeverChangesWhichRulesMatchScannedOrRemembered() throws IOException {
    Path home = SigmaSnapshot.requireHome();
    SigmaRuleSet rules = SigmaLoader.load(SigmaSnapshot.ruleFolders(home)).ruleSet();
    List<WinEvent> events = new ArrayList<>();
    try (Stream<Path> s = Files.walk(home.resolve("regression_data"))) {
      for (Path json : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        events.addAll(EvtxDumpJson.read(json));
      }
    }
    events.addAll(BenignEvents.sample());
    SigmaMatcher matcher = rules.newMatcher();
    MapEventView view = new MapEventView(rules.fields());
    int compared = 0;
    int fired = 0;
    for (int pass = 1; pass <= 2; pass++) {
      for (WinEvent e : events) {
        EventKind kind = EventKind.ofSysmonEventId(e.eventId());
        if (kind == null) {
          continue;
        }
        List<String> fast = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        matcher.match(kind, view.reset(e.eventId(), e.eventData()), r -> fast.add(r.key()));
        matcher.matchWithoutPrefilter(
            kind, view.reset(e.eventId(), e.eventData()), r -> slow.add(r.key()));
        assertThat(fast).as("pass %d, event %s#%d", pass, e.source(), e.index()).isEqualTo(slow);
        compared++;
        fired += fast.size();
      }
    }
    assertThat(compared).isGreaterThan(200);
    // Not process creations: a keyword search among SigmaHQ's rules of that kind turns it off.
    assertThat(matcher.verdictsRemembered()).isPositive();
    assertThat(fired).isGreaterThan(200);
  }
}
