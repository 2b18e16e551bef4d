package io.psfleet.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.RecordingPublisher;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SpoolingPublisherTest {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path spoolDirectory;

  @BeforeAll
  static void createTopics() {
    TopicSetup.ensureTopics(KAFKA.bootstrapServers(), Duration.ofSeconds(10));
  }

  @Test
  void aBrokerOutageIsSpooledToMemoryAndDiskAndForwardedInOrderWithNothingLost() throws Exception {
    int hosts = 3;
    int perHost = 1_500;
    long[] next = new long[hosts];
    KafkaPublisherConfig kafka =
        KafkaPublisherConfig.of(KAFKA.bootstrapServers())
            .withOverrides(
                Map.of(
                    // A small producer buffer, so the outage fills the spools, and no expiry:
                    // the spool is the bound, not the producer's delivery timeout.
                    "buffer.memory",
                    Integer.toString(64 * 1024),
                    "batch.size",
                    Integer.toString(16 * 1024),
                    "max.block.ms",
                    "500",
                    "delivery.timeout.ms",
                    "600000"));
    SpoolingPublisher.Limits limits =
        new SpoolingPublisher.Limits(16 * 1024, 4L * 1024 * 1024, spoolDirectory, true);
    try (SpoolingPublisher publisher =
        new SpoolingPublisher(new KafkaTelemetryPublisher(kafka), limits)) {
      for (int h = 0; h < hosts; h++) {
        publisher.send("spool-host-" + h, TopicReader.payload(++next[h]));
      }
      publisher.flush(); // the cluster has been reached once
      KAFKA.kafka().stop();
      for (int i = 1; i < perHost; i++) {
        for (int h = 0; h < hosts; h++) {
          publisher.send("spool-host-" + h, TopicReader.payload(++next[h]));
        }
      }
      assertThat(publisher.spooled()).as("records waiting while the broker is down").isPositive();
      assertThat(publisher.spilled()).as("records spilled to the spool files").isPositive();
      assertThat(Files.list(spoolDirectory).count()).isEqualTo(hosts);
      KAFKA.kafka().restart();
      publisher.flush();

      PublisherStats stats = publisher.stats();
      assertThat(stats.sent()).isEqualTo((long) hosts * perHost);
      assertThat(stats.delivered()).isEqualTo(stats.sent());
      assertThat(stats.failed()).isZero();
      assertThat(publisher.dropped()).isZero();
    }
    Map<String, List<Long>> telemetry =
        TopicReader.sequencesByHost(
            KAFKA.bootstrapServers(), Topics.TELEMETRY, "spool-host-", hosts * perHost);
    for (int h = 0; h < hosts; h++) {
      assertThat(telemetry.get("spool-host-" + h))
          .as("spool-host-%d", h)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, perHost).boxed().toList());
    }
    assertThat(Files.list(spoolDirectory).count()).as("spool files after close").isZero();
  }

  @Test
  void aRealTimeSensorWhoseSpoolIsFullDropsItsOldestRecordsAndCountsThem() {
    GatedPublisher gate = new GatedPublisher();
    int records = 1_000;
    // Room for 100 records of 118 bytes (+5 of framing): 20 in memory, 80 on disk.
    SpoolingPublisher.Limits limits =
        new SpoolingPublisher.Limits(20 * 123, 80 * 123, spoolDirectory, true);
    try (SpoolingPublisher publisher = new SpoolingPublisher(gate, limits)) {
      publisher.send("h", TopicReader.payload(0));
      gate.awaitFirstSend(); // record 0 is out of the spool, held at the gate
      for (long s = 1; s <= records; s++) {
        publisher.send("h", TopicReader.payload(s));
      }
      gate.open();
      publisher.flush();

      assertThat(publisher.dropped()).isEqualTo(records - 100);
      PublisherStats stats = publisher.stats();
      assertThat(stats.sent()).isEqualTo(records + 1);
      assertThat(stats.delivered() + stats.failed()).isEqualTo(stats.sent());
      assertThat(stats.firstError()).contains("dropped");
    }
    List<Long> delivered =
        gate.recorded.telemetry.stream().map(r -> TopicReader.sequence(r.value())).toList();
    assertThat(delivered.get(0)).isZero();
    assertThat(delivered.subList(1, delivered.size()))
        .as("the newest 100 records, in order")
        .containsExactlyElementsOf(LongStream.rangeClosed(records - 99, records).boxed().toList());
  }

  @Test
  void aSimulationRunningFlatOutWaitsForRoomInsteadOfDropping() throws Exception {
    GatedPublisher gate = new GatedPublisher();
    SpoolingPublisher.Limits limits =
        new SpoolingPublisher.Limits(10 * 123, 0, spoolDirectory, false);
    try (SpoolingPublisher publisher = new SpoolingPublisher(gate, limits)) {
      Thread opener =
          new Thread(
              () -> {
                try {
                  Thread.sleep(300);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                gate.open();
              });
      opener.start();
      for (long s = 1; s <= 200; s++) {
        publisher.send("h", TopicReader.payload(s));
      }
      publisher.flush();
      opener.join();

      assertThat(publisher.dropped()).isZero();
      assertThat(publisher.stats().blockedNanos()).isPositive();
    }
    assertThat(gate.recorded.telemetry.stream().map(r -> TopicReader.sequence(r.value())))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
  }

  /** A destination that takes nothing until opened, as Kafka while a link is down. */
  private static final class GatedPublisher implements TelemetryPublisher {
    final RecordingPublisher recorded = new RecordingPublisher();
    private final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch firstSend = new CountDownLatch(1);

    void open() {
      open.countDown();
    }

    void awaitFirstSend() {
      try {
        firstSend.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private void await() {
      firstSend.countDown();
      try {
        open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void send(String hostId, byte[] telemetryEvent) {
      await();
      recorded.send(hostId, telemetryEvent);
    }

    @Override
    public void sendGroundTruth(String hostId, byte[] groundTruth) {
      await();
      recorded.sendGroundTruth(hostId, groundTruth);
    }

    @Override
    public void flush() {}

    @Override
    public PublisherStats stats() {
      return recorded.stats();
    }

    @Override
    public void close() {}
  }
}
