package io.psfleet.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker goes away mid-run and comes back: sends block, nothing is lost or doubled. */
class KafkaTelemetryPublisherBackPressureTest {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final Duration OUTAGE = Duration.ofSeconds(3);

  @Test
  void sendsBlockWhileTheBrokerIsDownAndEveryRecordArrivesExactlyOnce() throws Exception {
    EmbeddedKafka kafka = KAFKA.kafka();
    TopicSetup.ensureTopics(kafka.bootstrapServers(), Duration.ofSeconds(10));
    // A 128 KiB buffer holds one 16 KiB batch per partition: full within milliseconds of the
    // outage. One blocked attempt gives up after 1 s, so the publisher has to retry through it.
    KafkaPublisherConfig config =
        KafkaPublisherConfig.of(kafka.bootstrapServers())
            .withOverrides(
                Map.of(
                    ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(128 * 1024),
                    ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(16 * 1024),
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000"));
    int hosts = 8;
    int events = 12_000;
    long[] next = new long[hosts];
    CountDownLatch halfway = new CountDownLatch(1);
    CompletableFuture<Void> outage =
        CompletableFuture.runAsync(
            () -> {
              try {
                halfway.await();
                kafka.stop();
                TimeUnit.MILLISECONDS.sleep(OUTAGE.toMillis());
                kafka.restart();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });

    PublisherStats stats;
    try (KafkaTelemetryPublisher publisher = new KafkaTelemetryPublisher(config)) {
      for (int i = 0; i < events; i++) {
        int host = i % hosts;
        publisher.send("bp-host-" + host, TopicReader.payload(++next[host]));
        if (i == events / 3) {
          halfway.countDown();
        }
      }
      publisher.flush();
      stats = publisher.stats();
      assertThat(publisher.retriedSends()).as("sends retried after max.block.ms").isPositive();
    }
    outage.get(60, TimeUnit.SECONDS);

    assertThat(stats.sent()).isEqualTo(events);
    assertThat(stats.delivered()).isEqualTo(events);
    assertThat(stats.failed()).isZero();
    assertThat(stats.firstError()).isNull();
    assertThat(Duration.ofNanos(stats.blockedNanos())).isGreaterThan(Duration.ofSeconds(1));

    Map<String, List<Long>> telemetry =
        TopicReader.sequencesByHost(kafka.bootstrapServers(), Topics.TELEMETRY, "bp-host-", events);
    assertThat(TopicReader.endOffsetSum(kafka.bootstrapServers(), Topics.TELEMETRY))
        .isEqualTo(events);
    for (int host = 0; host < hosts; host++) {
      assertThat(telemetry.get("bp-host-" + host))
          .as("sequence numbers of bp-host-%d", host)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, next[host]).boxed().toList());
    }
  }
}
