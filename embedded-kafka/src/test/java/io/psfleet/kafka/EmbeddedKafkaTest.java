package io.psfleet.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedKafkaTest {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void producedRecordsAreConsumedBackInOrderPerKey() {
    KAFKA.kafka().createTopics(3, "roundtrip");

    Records.produce(KAFKA.bootstrapServers(), "roundtrip", 1_000, Map.of());
    List<ConsumerRecord<String, String>> records =
        Records.consume(KAFKA.bootstrapServers(), "roundtrip", 1_000, Map.of());

    assertThat(records).hasSize(1_000);
    Map<String, List<Integer>> perKey =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(
                        r -> Integer.parseInt(r.value().substring("value-".length())),
                        Collectors.toList())));
    assertThat(perKey).hasSize(7);
    perKey.values().forEach(values -> assertThat(values).isSorted());
  }

  @Test
  void creatingTopicsAgainLeavesThemAsTheyAre() {
    KAFKA.kafka().createTopics(2, "again");
    KAFKA.kafka().createTopics(5, "again");

    assertThat(describe("again").partitions()).hasSize(2);
  }

  @Test
  void transactionsWorkOnTheSingleNode() {
    KAFKA.kafka().createTopics(1, "transactional");

    Records.produce(
        KAFKA.bootstrapServers(),
        "transactional",
        10,
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-test"));

    assertThat(
            Records.consume(
                KAFKA.bootstrapServers(),
                "transactional",
                10,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))
        .hasSize(10);
  }

  @Test
  void topicSetupCreatesTheProjectTopicsOnceAndReportsThemAfterwards() {
    TopicSetup.Result first =
        TopicSetup.ensureTopics(KAFKA.bootstrapServers(), Duration.ofSeconds(10));
    TopicSetup.Result second =
        TopicSetup.ensureTopics(KAFKA.bootstrapServers(), Duration.ofSeconds(10));

    List<String> all =
        List.of(
            Topics.TELEMETRY,
            Topics.GROUND_TRUTH,
            Topics.ALERTS,
            Topics.DEAD_LETTER,
            Topics.RULES,
            Topics.RULE_ACKS);
    assertThat(first.created()).containsExactlyElementsOf(all);
    assertThat(first.existing()).isEmpty();
    assertThat(second.created()).isEmpty();
    assertThat(second.existing()).containsExactlyElementsOf(all);
    assertThat(describe(Topics.TELEMETRY).partitions())
        .hasSize(Topics.DEFAULT_TELEMETRY_PARTITIONS);
    assertThat(describe(Topics.GROUND_TRUTH).partitions()).hasSize(Topics.GROUND_TRUTH_PARTITIONS);
    assertThat(describe(Topics.ALERTS).partitions()).hasSize(Topics.ALERTS_PARTITIONS);
    assertThat(describe(Topics.DEAD_LETTER).partitions()).hasSize(Topics.DEAD_LETTER_PARTITIONS);
    assertThat(describe(Topics.RULES).partitions()).hasSize(Topics.RULES_PARTITIONS);
    assertThat(cleanupPolicy(Topics.RULES)).as("the latest rule set stays").isEqualTo("compact");
    assertThat(cleanupPolicy(Topics.RULE_ACKS)).isEqualTo("delete");
  }

  private static String cleanupPolicy(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = admin()) {
      return admin
          .describeConfigs(List.of(resource))
          .all()
          .get()
          .get(resource)
          .get("cleanup.policy")
          .value();
    } catch (Exception e) {
      throw new AssertionError("cannot describe the configuration of " + topic, e);
    }
  }

  @Test
  void transactionTimeoutCeilingIsKafkasDefault() throws Exception {
    try (Admin admin = admin()) {
      var resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1");
      String value =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get()
              .get(resource)
              .get("transaction.max.timeout.ms")
              .value();
      assertThat(Long.parseLong(value)).isEqualTo(EmbeddedKafka.TRANSACTION_MAX_TIMEOUT.toMillis());
    }
  }

  private static TopicDescription describe(String topic) {
    try (Admin admin = admin()) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    } catch (Exception e) {
      throw new AssertionError("cannot describe " + topic, e);
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
  }
}
