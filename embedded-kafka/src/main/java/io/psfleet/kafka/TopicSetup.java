package io.psfleet.kafka;

import io.psfleet.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the project's topics on any Kafka cluster, with the partition counts the jobs expect.
 * Topics that already exist are left alone (a smaller partition count than wanted is logged as a
 * warning, never changed). Only the Kafka admin client is used, so this works against a real
 * cluster as well as against {@link EmbeddedKafka}.
 *
 * <p>Every call ends within its timeout: an unreachable cluster gives a {@link TopicSetupException}
 * naming the bootstrap servers, never a hang.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  /** What {@link #ensureTopics} did: the topics it created and the ones that were already there. */
  public record Result(List<String> created, List<String> existing) {
    public Result {
      created = List.copyOf(created);
      existing = List.copyOf(existing);
    }
  }

  private TopicSetup() {}

  /**
   * The project's topics ({@link Topics}) with their partition counts and the cluster's default
   * replication factor ({@code default.replication.factor}).
   */
  public static List<NewTopic> projectTopics() {
    return List.of(
        topic(Topics.TELEMETRY, Topics.DEFAULT_TELEMETRY_PARTITIONS),
        topic(Topics.GROUND_TRUTH, Topics.GROUND_TRUTH_PARTITIONS),
        topic(Topics.ALERTS, Topics.ALERTS_PARTITIONS),
        topic(Topics.DEAD_LETTER, Topics.DEAD_LETTER_PARTITIONS),
        // Compacted: the topic keeps the latest rule set however long ago it was pushed.
        topic(Topics.RULES, Topics.RULES_PARTITIONS).configs(Map.of("cleanup.policy", "compact")),
        // Acknowledgements matter for as long as a push waits for them: a day is plenty.
        topic(Topics.RULE_ACKS, Topics.RULES_PARTITIONS)
            .configs(Map.of("retention.ms", Long.toString(Duration.ofDays(1).toMillis()))));
  }

  /** Creates the missing {@linkplain #projectTopics() project topics}. */
  public static Result ensureTopics(String bootstrapServers, Duration timeout) {
    return ensureTopics(bootstrapServers, timeout, projectTopics());
  }

  /**
   * Creates the topics that do not exist yet.
   *
   * @param bootstrapServers {@code host:port[,host:port...]}
   * @param timeout the longest the whole call may take, connection attempts included
   * @throws TopicSetupException when the cluster does not answer within the timeout or refuses a
   *     topic; the message names the bootstrap servers
   */
  public static Result ensureTopics(
      String bootstrapServers, Duration timeout, Collection<NewTopic> topics) {
    return ensureTopics(bootstrapServers, Map.of(), timeout, topics);
  }

  /**
   * As {@link #ensureTopics(String, Duration, Collection)}, connecting with {@code clientSettings}
   * (security: SASL, TLS) added to the admin client's.
   */
  public static Result ensureTopics(
      String bootstrapServers,
      Map<String, Object> clientSettings,
      Duration timeout,
      Collection<NewTopic> topics) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(clientSettings, "clientSettings");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(topics, "topics");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must not be blank");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> names = topics.stream().map(NewTopic::name).toList();
    String doing = "creating topics " + names;
    Admin admin;
    try {
      Map<String, Object> settings = new HashMap<>(clientSettings);
      settings.putAll(adminConfig(bootstrapServers, timeout));
      admin = Admin.create(settings);
    } catch (KafkaException e) {
      throw new TopicSetupException(
          "cannot connect to Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
    }
    try {
      Map<String, KafkaFuture<Void>> results =
          admin
              .createTopics(topics, new CreateTopicsOptions().timeoutMs(remainingMs(deadline)))
              .values();
      List<String> created = new ArrayList<>();
      List<String> existing = new ArrayList<>();
      for (String name : names) {
        try {
          await(results.get(name), deadline);
          created.add(name);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TopicAuthorizationException
              && exists(admin, name, deadline)) {
            // A least-privileged client (an agent) may not create topics: one it can see is set.
            existing.add(name);
            continue;
          }
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw failure(bootstrapServers, doing, timeout, e.getCause());
          }
          existing.add(name);
        }
      }
      if (!existing.isEmpty()) {
        doing = "describing topics " + existing;
        warnAboutSmallerTopics(admin, topics, existing, deadline, bootstrapServers);
      }
      return new Result(created, existing);
    } catch (ExecutionException e) {
      throw failure(bootstrapServers, doing, timeout, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw failure(bootstrapServers, doing, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicSetupException(
          "interrupted while " + doing + " on Kafka at " + bootstrapServers, e);
    } finally {
      // Nothing is pending any more, or the deadline has passed: do not wait for the broker.
      admin.close(Duration.ZERO);
    }
  }

  /** Whether {@code topic} exists and this client may see it. */
  private static boolean exists(Admin admin, String topic, long deadline)
      throws InterruptedException, java.util.concurrent.TimeoutException {
    try {
      await(admin.describeTopics(List.of(topic)).allTopicNames(), deadline);
      return true;
    } catch (ExecutionException e) {
      return false;
    }
  }

  private static NewTopic topic(String name, int partitions) {
    return new NewTopic(name, Optional.of(partitions), Optional.empty());
  }

  private static void warnAboutSmallerTopics(
      Admin admin,
      Collection<NewTopic> wanted,
      List<String> existing,
      long deadline,
      String bootstrapServers)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    Map<String, TopicDescription> descriptions =
        await(
            admin
                .describeTopics(
                    existing, new DescribeTopicsOptions().timeoutMs(remainingMs(deadline)))
                .allTopicNames(),
            deadline);
    for (NewTopic topic : wanted) {
      TopicDescription found = descriptions.get(topic.name());
      if (found != null
          && topic.numPartitions() > 0
          && found.partitions().size() < topic.numPartitions()) {
        LOG.warn(
            "Topic {} on {} has {} partitions, fewer than the {} wanted: parallelism above {}"
                + " leaves readers idle",
            topic.name(),
            bootstrapServers,
            found.partitions().size(),
            topic.numPartitions(),
            found.partitions().size());
      }
    }
  }

  static Map<String, Object> adminConfig(String bootstrapServers, Duration timeout) {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    // Each attempt is short, so a refused or silent address is retried and the whole call still
    // ends at the api timeout instead of at Kafka's defaults (30 s requests, 60 s api timeout).
    int attemptMs = Math.max(1, Math.min(timeoutMs, 5_000));
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG,
        "psfleet-topic-setup",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        timeoutMs,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        attemptMs,
        AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
        (long) attemptMs,
        AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
        (long) attemptMs,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
        1_000L,
        AdminClientConfig.RETRY_BACKOFF_MS_CONFIG,
        100L,
        AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG,
        1_000L,
        AdminClientConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG,
        60_000L);
  }

  private static <T> T await(KafkaFuture<T> future, long deadline)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    // The admin client enforces the api timeout itself; the extra second only guards against a
    // call that never completes.
    return future.get(remainingMs(deadline) + 1_000, TimeUnit.MILLISECONDS);
  }

  private static int remainingMs(long deadline) {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  private static TopicSetupException failure(
      String bootstrapServers, String doing, Duration timeout, Throwable cause) {
    String reason =
        cause instanceof org.apache.kafka.common.errors.TimeoutException
                || cause instanceof java.util.concurrent.TimeoutException
            ? "Kafka at " + bootstrapServers + " did not answer within " + timeout
            : "Kafka at " + bootstrapServers + " refused";
    return new TopicSetupException(
        reason
            + " while "
            + doing
            + ": "
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage(),
        cause);
  }
}
