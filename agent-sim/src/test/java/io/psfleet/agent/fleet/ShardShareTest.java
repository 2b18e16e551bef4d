package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardShareTest {
  @Test
  void shardsOwnEveryHostOnce() {
    for (int hosts : new int[] {1, 5, 200, 1001}) {
      for (int n = 1; n <= 7; n++) {
        int count = n;
        int owned = IntStream.rangeClosed(1, n).map(i -> new Shard(i, count).hostsOf(hosts)).sum();
        assertThat(owned).as("%d hosts in %d shards", hosts, n).isEqualTo(hosts);
        for (int i = 1; i <= n; i++) {
          Shard s = new Shard(i, n);
          assertThat(s.hostsOf(hosts))
              .isEqualTo((int) IntStream.range(0, hosts).filter(s::owns).count());
        }
      }
    }
  }

  @Test
  void theSharesOfARateAddUpToItExactly() {
    for (long rate : new long[] {1, 999, 1000, 123_457}) {
      for (int n = 1; n <= 7; n++) {
        long sum = 0;
        for (int i = 1; i <= n; i++) {
          sum += new Shard(i, n).share(rate, 1001);
        }
        assertThat(sum).as("rate %d in %d shards", rate, n).isEqualTo(rate);
      }
    }
    assertThat(new Shard(1, 2).share(1000, 200)).isEqualTo(500);
    assertThat(new Shard(1, 2).share(1000, 5)).isEqualTo(600); // 3 of the 5 hosts
  }
}
