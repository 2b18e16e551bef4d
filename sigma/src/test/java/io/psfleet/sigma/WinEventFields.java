package io.psfleet.sigma;

import io.psfleet.winevent.WinEvent;
import java.util.List;

/**
 * Test-side adapter from {@link WinEvent} to the engine (sigma does not depend on winevent in main
 * scope; the lead wires this into {@code rules test}).
 */
final class WinEventFields {
  private WinEventFields() {}

  /** The ids of the rules firing on the event (empty for event ids the engine does not route). */
  static List<String> fire(RuleTester tester, WinEvent e) {
    return tester.fire(e.eventId(), e.eventData());
  }
}
