package io.psfleet.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OtherEventsRuleTest extends HostRuleFixtures {
  @Test
  void threadsAndExitsRaiseNothingHere() {
    assertThat(evaluate(events.thread(1, SPOOFER, EXPLORER, TestEvents.KERNEL32, "LoadLibraryW")))
        .isEmpty();
    assertThat(evaluate(events.exit(2, CMD))).isEmpty();
  }
}
