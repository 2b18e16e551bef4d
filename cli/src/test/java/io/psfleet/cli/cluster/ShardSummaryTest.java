package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShardSummaryTest {
  @Test
  void readsEventsAndPublisherCountsFromTheSimulatorsSummary() {
    String output =
        """
        [   30.0s] simulated 00:20:00 | events 25,885 (863/s) | ground truth 6 | delivered 25,891
        Summary:
          simulated        1200 s in 30.0 s of wall clock
          events           25,885 (863 per second)
          hosts            20, 20 booted, 0 halted by bug checks
          scenarios        6 planned instances, 6 ground-truth records
          publisher        25,891 sent, 25,890 delivered, 1 failed, 5,681,443 bytes, 0.1 s blocked
        """;

    assertThat(ShardSummary.parse("simulator-1", output))
        .isEqualTo(new ShardSummary(25_885, 25_891, 25_890, 1));
  }

  @Test
  void anOutputWithoutSummaryNamesTheShardAndShowsWhatItPrinted() {
    assertThatThrownBy(() -> ShardSummary.parse("simulator-2", "Exception in thread main"))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("simulator-2")
        .hasMessageContaining("Exception in thread main");
  }
}
