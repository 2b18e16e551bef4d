package io.psfleet.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaTelemetryPublisherTest {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @BeforeAll
  static void createTopics() {
    TopicSetup.ensureTopics(KAFKA.bootstrapServers(), Duration.ofSeconds(10));
  }

  @Test
  void everyRecordArrivesOnceInPerHostOrder() {
    int hosts = 16;
    int events = 50_000;
    int groundTruthEvery = 1_000;
    long telemetryBefore = TopicReader.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY);
    long[] next = new long[hosts];
    long bytes = 0;

    try (KafkaTelemetryPublisher publisher =
        new KafkaTelemetryPublisher(KafkaPublisherConfig.of(KAFKA.bootstrapServers()))) {
      for (int i = 0; i < events; i++) {
        int host = (int) ((i * 7L) % hosts);
        byte[] payload = TopicReader.payload(++next[host]);
        publisher.send("order-host-" + host, payload);
        bytes += payload.length;
        if (i % groundTruthEvery == 0) {
          publisher.sendGroundTruth("order-host-" + host, TopicReader.payload(i));
          bytes += payload.length;
        }
      }
      publisher.flush();

      PublisherStats stats = publisher.stats();
      int total = events + events / groundTruthEvery;
      assertThat(stats.sent()).isEqualTo(total);
      assertThat(stats.delivered()).isEqualTo(total);
      assertThat(stats.failed()).isZero();
      assertThat(stats.firstError()).isNull();
      assertThat(stats.bytes()).isEqualTo(bytes);
    }

    Map<String, List<Long>> telemetry =
        TopicReader.sequencesByHost(
            KAFKA.bootstrapServers(), Topics.TELEMETRY, "order-host-", events);
    assertThat(
            TopicReader.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY) - telemetryBefore)
        .isEqualTo(events);
    assertThat(telemetry).hasSize(hosts);
    for (int host = 0; host < hosts; host++) {
      assertThat(telemetry.get("order-host-" + host))
          .as("sequence numbers of order-host-%d", host)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, next[host]).boxed().toList());
    }
    Map<String, List<Long>> groundTruth =
        TopicReader.sequencesByHost(
            KAFKA.bootstrapServers(),
            Topics.GROUND_TRUTH,
            "order-host-",
            events / groundTruthEvery);
    assertThat(groundTruth.values().stream().mapToInt(List::size).sum())
        .isEqualTo(events / groundTruthEvery);
  }

  @Test
  void oversizedRecordIsCountedAsFailedAndPublishingGoesOn() {
    try (KafkaTelemetryPublisher publisher =
        new KafkaTelemetryPublisher(KafkaPublisherConfig.of(KAFKA.bootstrapServers()))) {
      publisher.send("big-host", new byte[2 * 1024 * 1024]);
      publisher.send("big-host", TopicReader.payload(1));
      publisher.flush();

      PublisherStats stats = publisher.stats();
      assertThat(stats.sent()).isEqualTo(2);
      assertThat(stats.delivered()).isEqualTo(1);
      assertThat(stats.failed()).isEqualTo(1);
      assertThat(stats.firstError()).startsWith(Topics.TELEMETRY + ": RecordTooLargeException");
    }
  }

  @Test
  void unreachableClusterFailsTheFirstSendWithinMaxBlock() throws IOException {
    String bootstrap = "127.0.0.1:" + closedPort();
    KafkaPublisherConfig config =
        KafkaPublisherConfig.of(bootstrap).withOverride(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
    long start = System.nanoTime();

    try (KafkaTelemetryPublisher publisher = new KafkaTelemetryPublisher(config)) {
      assertThatThrownBy(() -> publisher.send("lost-host", TopicReader.payload(1)))
          .isInstanceOf(PublishException.class)
          .hasMessageContaining(bootstrap)
          .hasMessageContaining(Topics.TELEMETRY)
          .hasMessageContaining("max.block.ms=2000");
      publisher.flush();

      PublisherStats stats = publisher.stats();
      assertThat(stats.sent()).isEqualTo(1);
      assertThat(stats.failed()).isEqualTo(1);
      assertThat(stats.delivered()).isZero();
      assertThat(stats.firstError()).contains("TimeoutException");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void configRejectsABufferSmallerThanOneBatch() {
    assertThatThrownBy(
            () ->
                KafkaPublisherConfig.of("127.0.0.1:9092")
                    .withOverride(ProducerConfig.BUFFER_MEMORY_CONFIG, "1024"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("buffer.memory (1024)")
        .hasMessageContaining("batch.size (524288)");
  }

  @Test
  void configKeepsTheSerializersToItself() {
    assertThatThrownBy(
            () ->
                KafkaPublisherConfig.of("127.0.0.1:9092")
                    .withOverride(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value.serializer");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
