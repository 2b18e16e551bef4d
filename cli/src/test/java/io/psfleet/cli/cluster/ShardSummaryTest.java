package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardSummaryTest {
  @Test
  void readsEventsAndPublisherCountsFromTheSimulatorsSummaryFile(@TempDir Path dir)
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("s.json"),
            "{\"stoppedEarly\":false,\"events\":25885,\"sent\":25891,\"delivered\":25890,"
                + "\"failed\":1,\"bytes\":5681443}");

    assertThat(ShardSummary.read("simulator-1", file))
        .isEqualTo(new ShardSummary(25_885, 25_891, 25_890, 1));
  }

  @Test
  void aShardThatLeftNoSummaryIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> ShardSummary.read("simulator-2", dir.resolve("missing.json")))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("simulator-2")
        .hasMessageContaining("missing.json");
  }

  @Test
  void aSummaryWithoutCountsIsRefused(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("s.json"), "{\"events\":10}");

    assertThatThrownBy(() -> ShardSummary.read("simulator-1", file))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("'sent'");
  }
}
