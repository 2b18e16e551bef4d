package io.psfleet.agent.publish;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How {@link KafkaTelemetryPublisher} reaches Kafka.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param clientId the producer's {@code client.id}, seen in broker logs and quotas
 * @param producerOverrides producer settings that replace {@link #defaults()} (e.g. {@code
 *     buffer.memory}); the serializers, {@code bootstrap.servers}, {@code client.id} and {@code
 *     transactional.id} are not overridable
 */
public record KafkaPublisherConfig(
    String bootstrapServers, String clientId, Map<String, String> producerOverrides) {
  public static final String DEFAULT_CLIENT_ID = "psfleet-agent";

  private static final Set<String> FIXED =
      Set.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.CLIENT_ID_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG);

  public KafkaPublisherConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(producerOverrides, "producerOverrides");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must not be blank");
    }
    if (clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank");
    }
    for (String key : producerOverrides.keySet()) {
      if (FIXED.contains(key)) {
        throw new IllegalArgumentException(
            "producer setting " + key + " cannot be overridden: it is set by the publisher");
      }
    }
    producerOverrides = Map.copyOf(producerOverrides);
    long bufferMemory = longSetting(merged(producerOverrides), ProducerConfig.BUFFER_MEMORY_CONFIG);
    long batchSize = longSetting(merged(producerOverrides), ProducerConfig.BATCH_SIZE_CONFIG);
    if (bufferMemory < batchSize) {
      // Kafka would only say so at the first send, as an IllegalArgumentException from its pool.
      throw new IllegalArgumentException(
          "buffer.memory ("
              + bufferMemory
              + ") must be at least batch.size ("
              + batchSize
              + "): each batch is allocated whole from the buffer");
    }
  }

  /** The default client id and no overrides. */
  public static KafkaPublisherConfig of(String bootstrapServers) {
    return new KafkaPublisherConfig(bootstrapServers, DEFAULT_CLIENT_ID, Map.of());
  }

  /** This config with one more producer override. */
  public KafkaPublisherConfig withOverride(String key, String value) {
    return withOverrides(Map.of(key, value));
  }

  /**
   * This config with more producer overrides, checked together (e.g. a smaller buffer and batch).
   */
  public KafkaPublisherConfig withOverrides(Map<String, String> more) {
    Map<String, String> overrides = new LinkedHashMap<>(producerOverrides);
    overrides.putAll(more);
    return new KafkaPublisherConfig(bootstrapServers, clientId, overrides);
  }

  /**
   * The producer settings before overrides: idempotent with {@code acks=all} (no duplicates,
   * per-key order kept across retries), lz4, 10 ms linger and 512 KiB batches (about 150-215k
   * records/s of 118 bytes on two cores), a 32 MiB buffer, 10 s {@code max.block.ms} (the longest
   * one attempt blocks before the publisher looks again, and the longest the first send waits for
   * an unreachable cluster before it fails) and 2 min {@code delivery.timeout.ms} (how long a
   * record may wait for an outage to end before it counts as failed).
   */
  public static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    d.put(ProducerConfig.ACKS_CONFIG, "all");
    d.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    d.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    d.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    d.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
    d.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(32L * 1024 * 1024));
    d.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    d.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    return d;
  }

  /** The complete producer configuration: defaults, overrides, then the fixed settings. */
  public Properties producerProperties() {
    Properties p = new Properties();
    p.putAll(merged(producerOverrides));
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return p;
  }

  long maxBlockMs() {
    return longSetting(merged(producerOverrides), ProducerConfig.MAX_BLOCK_MS_CONFIG);
  }

  long deliveryTimeoutMs() {
    return longSetting(merged(producerOverrides), ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
  }

  private static Map<String, String> merged(Map<String, String> overrides) {
    Map<String, String> all = defaults();
    all.putAll(overrides);
    return all;
  }

  private static long longSetting(Map<String, String> settings, String key) {
    String value = settings.get(key);
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'", e);
    }
  }
}
