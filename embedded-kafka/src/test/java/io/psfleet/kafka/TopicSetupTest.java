package io.psfleet.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopicSetupTest {
  @Test
  void unreachableBootstrapFailsWithinTheTimeoutNamingIt() throws IOException {
    String bootstrap = "127.0.0.1:" + closedPort();
    long start = System.nanoTime();

    assertThatThrownBy(() -> TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(3)))
        .isInstanceOf(TopicSetupException.class)
        .hasMessageContaining(bootstrap)
        .hasMessageContaining("did not answer within PT3S");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void unresolvableBootstrapFailsNamingIt() {
    assertThatThrownBy(
            () -> TopicSetup.ensureTopics("no-such-host.invalid:9092", Duration.ofSeconds(3)))
        .isInstanceOf(TopicSetupException.class)
        .hasMessageContaining("no-such-host.invalid:9092");
  }

  @Test
  void projectTopicsLeaveTheReplicationFactorToTheCluster() {
    assertThat(TopicSetup.projectTopics())
        .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) -1));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
