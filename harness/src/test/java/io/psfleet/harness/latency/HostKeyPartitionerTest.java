package io.psfleet.harness.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class HostKeyPartitionerTest {
  @Test
  void aUniqueKeyGoesWhereItsHostIdAloneWouldGoByDefault() {
    for (int h = 1; h <= 500; h++) {
      String host = String.format("host-%06d", h);
      for (int partitions : new int[] {1, 4, 12}) {
        int byDefault =
            BuiltInPartitioner.partitionForKey(host.getBytes(StandardCharsets.UTF_8), partitions);
        assertThat(HostKeyPartitioner.partition(HostKeyPartitioner.key(host, h * 7L), partitions))
            .isEqualTo(byDefault);
        assertThat(HostKeyPartitioner.partition(host, partitions)).isEqualTo(byDefault);
      }
    }
  }
}
