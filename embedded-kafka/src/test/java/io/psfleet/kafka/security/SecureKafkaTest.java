package io.psfleet.kafka.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secure broker against real clients: each role can do its work and nothing else, a wrong
 * password and a plaintext client are refused.
 */
class SecureKafkaTest {
  private static final String JOB_GROUP = "psfleet-detection";
  private static final String SOC_GROUP = "soc";

  private static EmbeddedKafka kafka;
  private static KafkaUser agent;
  private static KafkaUser job;
  private static KafkaUser soc;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(EmbeddedKafka.Config.defaults().secured());
    kafka.createTopics(TopicSetup.projectTopics());
    agent = kafka.provision(Role.AGENT, "unused");
    job = kafka.provision(Role.JOB, JOB_GROUP);
    soc = kafka.provision(Role.SOC, SOC_GROUP);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static Map<String, Object> settings(KafkaUser user) {
    Map<String, Object> s = new HashMap<>(kafka.clientSettings(user.name(), user.password()));
    s.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return s;
  }

  private static void produce(KafkaUser user, String topic, boolean idempotent) throws Exception {
    Map<String, Object> s = settings(user);
    s.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
    s.put(ProducerConfig.ACKS_CONFIG, "all");
    s.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    s.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    s.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(s, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topic, "host-1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}))
          .get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static int consume(KafkaUser user, String topic, String group) {
    Map<String, Object> s = settings(user);
    s.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    s.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    s.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(s, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      int seen = 0;
      long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (seen == 0 && System.nanoTime() < end) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        seen += records.count();
      }
      return seen;
    }
  }

  @Test
  void anAgentWritesTelemetryIdempotentlyButCannotReadAlerts() throws Exception {
    produce(agent, Topics.TELEMETRY, true);
    produce(agent, Topics.GROUND_TRUTH, true);

    assertThatThrownBy(() -> consume(agent, Topics.ALERTS, SOC_GROUP))
        .isInstanceOf(AuthorizationException.class);
    assertThatThrownBy(() -> produce(agent, Topics.ALERTS, true))
        .isInstanceOf(AuthorizationException.class);
  }

  @Test
  void theJobReadsTelemetryWithItsGroupAndWritesAlerts() throws Exception {
    produce(agent, Topics.TELEMETRY, true);
    assertThat(consume(job, Topics.TELEMETRY, JOB_GROUP)).isPositive();
    produce(job, Topics.ALERTS, true);
    produce(job, Topics.DEAD_LETTER, true);

    assertThatThrownBy(() -> consume(job, Topics.TELEMETRY, "another-group"))
        .isInstanceOf(AuthorizationException.class);
    assertThatThrownBy(() -> produce(job, Topics.TELEMETRY, true))
        .isInstanceOf(AuthorizationException.class);
  }

  @Test
  void theSocReadsAlertsAndNeitherWritesNorReadsTelemetry() throws Exception {
    produce(job, Topics.ALERTS, true);
    assertThat(consume(soc, Topics.ALERTS, SOC_GROUP)).isPositive();

    assertThatThrownBy(() -> produce(soc, Topics.TELEMETRY, true))
        .isInstanceOf(AuthorizationException.class);
    assertThatThrownBy(() -> consume(soc, Topics.TELEMETRY, SOC_GROUP))
        .isInstanceOf(AuthorizationException.class);
  }

  @Test
  void theSocPushesRulesTheJobReadsAndOnlyTheJobAcknowledges() throws Exception {
    produce(soc, Topics.RULES, true);
    assertThat(consume(job, Topics.RULES, JOB_GROUP)).isPositive();
    produce(job, Topics.RULE_ACKS, true);
    assertThat(consume(soc, Topics.RULE_ACKS, SOC_GROUP)).isPositive();

    assertThatThrownBy(() -> produce(agent, Topics.RULES, true))
        .isInstanceOf(AuthorizationException.class);
    assertThatThrownBy(() -> produce(job, Topics.RULES, true))
        .isInstanceOf(AuthorizationException.class);
    assertThatThrownBy(() -> produce(soc, Topics.RULE_ACKS, true))
        .isInstanceOf(AuthorizationException.class);
  }

  @Test
  void aWrongPasswordIsRefused() {
    KafkaUser impostor = new KafkaUser(soc.name(), soc.password() + "x");

    assertThatThrownBy(() -> consume(impostor, Topics.ALERTS, SOC_GROUP))
        .isInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  void aPlaintextClientGetsNoAnswer() {
    Map<String, Object> plain =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            3_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            2_000);
    try (Admin admin = Admin.create(plain)) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get())
          .isInstanceOf(ExecutionException.class);
    }
  }
}
