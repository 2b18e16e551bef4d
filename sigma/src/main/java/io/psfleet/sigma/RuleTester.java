package io.psfleet.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For {@code rules test}: which rules fire on an event given as its Sysmon event id and EventData
 * map. Allocates per call (a result list); for the hot path use {@link SigmaMatcher} directly. Not
 * thread-safe.
 */
public final class RuleTester {
  private final SigmaMatcher matcher;
  private final MapEventView view;

  public RuleTester(SigmaRuleSet rules) {
    this.matcher = rules.newMatcher();
    this.view = new MapEventView(rules.fields());
  }

  /**
   * Keys ({@link SigmaRule#key()}, the id for SigmaHQ rules) of the rules firing on the event; its
   * kind comes from the Sysmon event id; empty for ids the engine does not route.
   */
  public List<String> fire(int eventId, Map<String, String> eventData) {
    EventKind kind = EventKind.ofSysmonEventId(eventId);
    return kind == null ? List.of() : fire(kind, eventId, eventData);
  }

  /** As {@link #fire(int, Map)} with the kind given by the caller. */
  public List<String> fire(EventKind kind, int eventId, Map<String, String> eventData) {
    List<String> ids = new ArrayList<>();
    matcher.match(kind, view.reset(eventId, eventData), r -> ids.add(r.key()));
    return ids;
  }

  /** The matcher used, for its cost figures. */
  public SigmaMatcher matcher() {
    return matcher;
  }
}
