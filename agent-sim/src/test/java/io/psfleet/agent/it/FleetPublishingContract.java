package io.psfleet.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetSummary;
import io.psfleet.agent.fleet.HostSelection;
import io.psfleet.agent.fleet.ProfileMix;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.fleet.Shard;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.Topics;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A fleet with every scenario publishes to a real Kafka broker; reading the topics back finds every
 * event exactly once, keyed by its host, each host's sequence gapless, and every ground-truth
 * record. Runs against the embedded broker here, and against a Kafka container where Docker is.
 */
abstract class FleetPublishingContract {

  /** Bootstrap servers of the broker under test. */
  abstract String bootstrap();

  @Test
  void everyEventAndGroundTruthArrivesOnceInHostOrder() throws Exception {
    TopicSetup.ensureTopics(bootstrap(), Duration.ofSeconds(30));
    FleetConfig config =
        new FleetConfig(
            12,
            Shard.WHOLE,
            3,
            1_795_507_200_000_000_000L,
            Duration.ofMinutes(20),
            Duration.ofSeconds(30),
            new ProfileMix(100, 0, 0),
            Map.of(),
            Map.of("dll-injection", 1, "fleet-campaign", 1, "uac-elevation", 1),
            HostSelection.ALL,
            new CampaignShape(4, Duration.ofMinutes(5)),
            0,
            0,
            2,
            Duration.ofSeconds(1),
            true);
    FleetSummary summary;
    PublisherStats stats;
    try (KafkaTelemetryPublisher publisher =
        new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap()))) {
      summary =
          new Fleet(config, FleetAssets.create(), publisher, null, RecordFormat.AVRO, p -> {})
              .run();
      stats = publisher.stats();
    }

    assertThat(stats.failed()).isZero();
    List<ConsumerRecord<String, byte[]>> telemetry = readAll(Topics.TELEMETRY);
    List<ConsumerRecord<String, byte[]>> truth = readAll(Topics.GROUND_TRUTH);
    assertThat((long) telemetry.size()).isEqualTo(summary.last().events());
    assertThat((long) truth.size()).isEqualTo(summary.last().groundTruths()).isEqualTo(6);

    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    Map<String, List<Long>> sequences = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : telemetry) {
      TelemetryEvent event = decode(codec, record.value());
      assertThat(record.key()).isEqualTo(event.getHeader().getHostId());
      sequences
          .computeIfAbsent(record.key(), k -> new ArrayList<>())
          .add(event.getHeader().getSequence());
    }
    assertThat(sequences).hasSize(12);
    sequences.forEach(
        (host, seqs) -> {
          for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as(host).isEqualTo(i + 1L);
          }
        });
    SingleObjectCodec<GroundTruth> truthCodec = SingleObjectCodec.groundTruth();
    for (ConsumerRecord<String, byte[]> record : truth) {
      assertThat(decode(truthCodec, record.value()).getHostId()).isEqualTo(record.key());
    }
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> T decode(
      SingleObjectCodec<T> codec, byte[] bytes) {
    try {
      return codec.decode(bytes);
    } catch (DecodeException e) {
      throw new AssertionError("unreadable record on the topic", e);
    }
  }

  private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end in 60 s");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
