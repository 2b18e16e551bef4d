package io.psfleet.jobs.io;

import io.psfleet.jobs.sigma.RuleSetAck;
import io.psfleet.jobs.sigma.SigmaRuleText;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a rule set to the rules topic and waits for the running job's answer: what {@code rules
 * push} does. The acknowledgements topic is read from its end, positioned before the set is
 * published, so no answer can be missed; a version counts as taken by a job once every subtask of
 * its Sigma operator has answered it.
 */
public final class RulePush {
  /** How long Kafka has to answer each step (metadata, the write) before the push gives up. */
  public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

  /**
   * What became of a push.
   *
   * @param version the version the set got
   * @param acks the answers of the job that answered with every subtask (by subtask), or, when none
   *     did in time, every answer that came
   * @param complete whether a job answered with every subtask
   */
  public record Outcome(long version, List<RuleSetAck> acks, boolean complete) {
    /** The first refusal among the answers, or null. */
    public String refused() {
      return acks.stream().map(RuleSetAck::refused).filter(r -> r != null).findFirst().orElse(null);
    }
  }

  /** Kafka did not do what the push needs: the message says what and where. */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private RulePush() {}

  /**
   * Publishes {@code files} as the next version on {@code rulesTopic} and waits up to {@code
   * timeout} for a job to answer it on {@code acksTopic}.
   *
   * @param clientSettings client properties (security) for both clients
   * @throws Failure when Kafka does not answer, refuses the client, or lacks a topic
   */
  public static Outcome push(
      String bootstrap,
      Map<String, Object> clientSettings,
      String rulesTopic,
      String acksTopic,
      List<SigmaRuleText> files,
      Duration timeout) {
    Map<String, Object> common = new HashMap<>(clientSettings);
    common.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    common.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    Map<String, Object> consumerSettings = new HashMap<>(common);
    consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerSettings.put(
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    Map<String, Object> producerSettings = new HashMap<>(common);
    producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
    producerSettings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KAFKA_TIMEOUT.toMillis());
    producerSettings.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis() * 2);
    try (KafkaConsumer<byte[], byte[]> acks =
        new KafkaConsumer<>(
            consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = partitions(acks, acksTopic, bootstrap);
      acks.assign(partitions);
      acks.seekToEnd(partitions);
      partitions.forEach(acks::position); // the end, fixed before the set is published
      long version = publish(producerSettings, rulesTopic, files, bootstrap);
      return await(acks, version, timeout);
    } catch (KafkaException e) {
      throw new Failure(
          "Kafka at " + bootstrap + " (--bootstrap) refused the push: " + e.getMessage(), e);
    }
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String topic, String bootstrap) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new Failure(
          "no Kafka broker answers at " + bootstrap + " (--bootstrap) within " + KAFKA_TIMEOUT, e);
    }
    if (infos == null || infos.isEmpty()) {
      throw new Failure(
          "topic "
              + topic
              + " does not exist at "
              + bootstrap
              + ": create the project's topics first (simulate, demo and the cluster do;"
              + " io.psfleet.kafka.TopicSetup)",
          null);
    }
    return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  private static long publish(
      Map<String, Object> settings, String topic, List<SigmaRuleText> files, String bootstrap) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      RecordMetadata written =
          producer
              .send(
                  new ProducerRecord<>(
                      topic, RulesTopic.key(), RulesTopic.encode(files, Instant.now())))
              .get(KAFKA_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
      return written.offset() + 1;
    } catch (ExecutionException e) {
      throw new Failure(
          "cannot write the rule set to " + topic + " at " + bootstrap + ": " + e.getCause(),
          e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new Failure("Kafka at " + bootstrap + " did not confirm the rule set in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while writing the rule set", e);
    }
  }

  private static Outcome await(
      KafkaConsumer<byte[], byte[]> consumer, long version, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Map<Integer, RuleSetAck>> byJob = new LinkedHashMap<>();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        RuleSetAck ack;
        try {
          ack = RulesTopic.decodeAck(r.value());
        } catch (IOException e) {
          continue; // not ours to judge: an acknowledgements topic holds only the jobs' answers
        }
        if (ack.version() != version) {
          continue;
        }
        Map<Integer, RuleSetAck> subtasks = byJob.computeIfAbsent(ack.job(), j -> new HashMap<>());
        subtasks.put(ack.subtask(), ack);
        if (subtasks.size() >= ack.subtasks()) {
          return new Outcome(version, sorted(subtasks.values()), true);
        }
      }
    }
    List<RuleSetAck> seen = new ArrayList<>();
    byJob.values().forEach(m -> seen.addAll(m.values()));
    return new Outcome(version, sorted(seen), false);
  }

  private static List<RuleSetAck> sorted(java.util.Collection<RuleSetAck> acks) {
    return acks.stream().sorted(Comparator.comparingInt(RuleSetAck::subtask)).toList();
  }
}
