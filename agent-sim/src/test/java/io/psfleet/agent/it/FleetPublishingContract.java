package io.psfleet.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetSummary;
import io.psfleet.agent.fleet.ProfileMix;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.fleet.Shard;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.scenario.Scenario;
import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.Topics;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator against a real Kafka broker: every event arrives once, keyed by its host, each
 * host's sequence gapless; every scenario's ground truth arrives; the same seed publishes the same
 * records; shards together publish the whole fleet. Runs against the embedded broker here, and
 * against a Kafka container where Docker is.
 */
abstract class FleetPublishingContract {
  static final long START = FleetConfig.Builder.DEFAULT_START_NANOS;

  /** Bootstrap servers of the broker under test. */
  abstract String bootstrap();

  @BeforeEach
  void topics() {
    TopicSetup.ensureTopics(bootstrap(), Duration.ofSeconds(30));
  }

  static FleetConfig config(Map<String, Integer> scenarios) {
    return FleetConfig.builder()
        .hosts(12)
        .seed(3)
        .startNanos(START)
        .duration(Duration.ofMinutes(20))
        .bootWindow(Duration.ofSeconds(30))
        .profiles(new ProfileMix(100, 0, 0))
        .scenarios(scenarios)
        .campaign(new CampaignShape(4, Duration.ofMinutes(5)))
        .threads(2)
        .build();
  }

  @Test
  void everyEventArrivesOnceInHostOrderWithEveryScenariosGroundTruth() {
    Map<String, Integer> all =
        FleetAssets.create().scenarios().all().stream()
            .collect(Collectors.toMap(Scenario::name, s -> 1));
    Published run = publish(config(all), KafkaPublisherConfig.of(bootstrap()));

    assertThat(run.stats.failed()).isZero();
    assertThat((long) run.telemetry.size()).isEqualTo(run.summary.last().events());
    assertThat((long) run.truth.size()).isEqualTo(run.summary.last().groundTruths());
    Map<String, List<Long>> sequences = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : run.telemetry) {
      TelemetryEvent event = decode(SingleObjectCodec.telemetry(), record.value());
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
    Map<String, GroundTruthLabel> labels = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : run.truth) {
      GroundTruth truth = decode(SingleObjectCodec.groundTruth(), record.value());
      assertThat(truth.getHostId()).isEqualTo(record.key());
      labels.put(truth.getScenario(), truth.getLabel());
    }
    assertThat(labels.keySet()).isEqualTo(all.keySet());
    assertThat(labels).containsEntry("dll-injection", GroundTruthLabel.ATTACK);
    assertThat(labels).containsEntry("uac-elevation", GroundTruthLabel.BENIGN_LOOKALIKE);
  }

  @Test
  void sameSeedPublishesTheSameRecordsAndShardsTogetherPublishTheFleet() {
    FleetConfig config = config(Map.of("dll-injection", 1, "fleet-campaign", 1));
    KafkaPublisherConfig producer = KafkaPublisherConfig.of(bootstrap());

    Map<String, List<String>> first = valuesByHost(publish(config, producer).telemetry);
    Map<String, List<String>> again = valuesByHost(publish(config, producer).telemetry);
    Map<String, List<String>> shards =
        valuesByHost(publish(config.withShard(new Shard(1, 2)), producer).telemetry);
    Map<String, List<String>> second =
        valuesByHost(publish(config.withShard(new Shard(2, 2)), producer).telemetry);

    assertThat(again).isEqualTo(first);
    assertThat(Set.copyOf(shards.keySet())).doesNotContainAnyElementsOf(second.keySet());
    shards.putAll(second);
    assertThat(shards).isEqualTo(first);
  }

  /** What one run put on the topics (records after the offsets the topics had before it). */
  record Published(
      FleetSummary summary,
      PublisherStats stats,
      List<ConsumerRecord<String, byte[]>> telemetry,
      List<ConsumerRecord<String, byte[]>> truth) {}

  Published publish(FleetConfig config, KafkaPublisherConfig producer) {
    Map<TopicPartition, Long> telemetryStart = endOffsets(Topics.TELEMETRY);
    Map<TopicPartition, Long> truthStart = endOffsets(Topics.GROUND_TRUTH);
    FleetSummary summary;
    PublisherStats stats;
    try (KafkaTelemetryPublisher publisher = new KafkaTelemetryPublisher(producer)) {
      summary =
          new Fleet(config, FleetAssets.create(), publisher, null, RecordFormat.AVRO, p -> {})
              .run();
      stats = publisher.stats();
    }
    return new Published(
        summary,
        stats,
        readFrom(Topics.TELEMETRY, telemetryStart),
        readFrom(Topics.GROUND_TRUTH, truthStart));
  }

  static Map<String, List<String>> valuesByHost(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, List<String>> byHost = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      byHost
          .computeIfAbsent(record.key(), k -> new ArrayList<>())
          .add(java.util.HexFormat.of().formatHex(record.value()));
    }
    return byHost;
  }

  static <T extends org.apache.avro.specific.SpecificRecord> T decode(
      SingleObjectCodec<T> codec, byte[] bytes) {
    try {
      return codec.decode(bytes);
    } catch (DecodeException e) {
      throw new AssertionError("unreadable record on the topic", e);
    }
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      return consumer.endOffsets(partitions);
    }
  }

  /** Reads each partition from {@code start} to its current end, partition by partition. */
  List<ConsumerRecord<String, byte[]>> readFrom(String topic, Map<TopicPartition, Long> start) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>(start.keySet());
      partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (TopicPartition partition : partitions) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, start.get(partition));
        while (consumer.position(partition) < end.get(partition)) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("could not read " + topic + " to its end in 60 s");
          }
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.offset() < end.get(partition)) {
              records.add(record);
            }
          }
        }
      }
    }
    return records;
  }
}
