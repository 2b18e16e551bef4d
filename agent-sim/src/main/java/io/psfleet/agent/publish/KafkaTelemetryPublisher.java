package io.psfleet.agent.publish;

import io.psfleet.schema.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to {@link Topics#TELEMETRY} and {@link Topics#GROUND_TRUTH} through one idempotent
 * {@link KafkaProducer}: key = host id (UTF-8), value = the encoded record as given. Records of one
 * host keep their order, and a retry after a lost connection never writes a record twice.
 *
 * <p>Back-pressure: when the producer's buffer ({@code buffer.memory}) is full, {@link #send}
 * blocks. Kafka gives up a blocked send after {@code max.block.ms}; this publisher then tries the
 * same record again (nothing was appended, so order is kept), so a slow or restarting cluster slows
 * the simulation down instead of losing records. It does the same when Kafka forgets where a topic
 * lives during an outage (a broker restarting answers "unknown topic" for a moment). A cluster that
 * never comes back does not block forever: buffered records expire after {@code
 * delivery.timeout.ms} and count as failed, which frees the buffer, and a send that has found no
 * topic metadata for {@code delivery.timeout.ms} throws a {@link PublishException}. The time sends
 * spend waiting, for buffer space or for metadata, is {@link PublisherStats#blockedNanos()}.
 *
 * <p>Failures: a record Kafka refuses or cannot deliver (after its own retries) is counted in
 * {@link PublisherStats#failed()}, and the first such error is kept and logged once. Before the
 * cluster has answered once, a send that gets no metadata within {@code max.block.ms} throws a
 * {@link PublishException} naming the cluster and the topic: a publisher pointed at a dead address
 * or at a missing topic fails at its first send, after 10 s by default, instead of hanging.
 *
 * <p>Threads: the methods are called from one thread, as {@link TelemetryPublisher} says; delivery
 * callbacks run on the producer's I/O thread, so the counters are atomic and {@link #stats()} may
 * be read from any thread.
 */
public final class KafkaTelemetryPublisher implements TelemetryPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTelemetryPublisher.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  // Kafka records the time a send waited for buffer space (given or not) and for metadata (when it
  // came); the waits for metadata that never came are added here.
  private static final String BUFFER_WAIT_METRIC = "bufferpool-wait-time-ns-total";
  private static final String METADATA_WAIT_METRIC = "metadata-wait-time-ns-total";

  private final KafkaProducer<String, byte[]> producer;
  private final String bootstrapServers;
  private final long maxBlockMs;
  private final long deliveryTimeoutNanos;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final AtomicLong failedMetadataWaitNanos = new AtomicLong();
  private final AtomicLong retriedSends = new AtomicLong();
  private volatile Metric bufferWaitMetric;
  private volatile Metric metadataWaitMetric;
  // Whether the cluster has taken a record: before that, no metadata means a wrong address or
  // topic.
  private boolean reached;
  private volatile long blockedNanosAtClose = -1;
  private volatile boolean closed;

  /**
   * Creates the producer; no connection is made until the first send.
   *
   * @throws PublishException if the producer cannot be created (e.g. no bootstrap address resolves)
   */
  public KafkaTelemetryPublisher(KafkaPublisherConfig config) {
    Objects.requireNonNull(config, "config");
    this.bootstrapServers = config.bootstrapServers();
    this.maxBlockMs = config.maxBlockMs();
    this.deliveryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.deliveryTimeoutMs());
    try {
      this.producer =
          new KafkaProducer<>(
              config.producerProperties(), new StringSerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new PublishException(
          "cannot create a Kafka producer for " + bootstrapServers + ": " + describe(e), e);
    }
  }

  @Override
  public void send(String hostId, byte[] telemetryEvent) {
    publish(Topics.TELEMETRY, hostId, telemetryEvent);
  }

  @Override
  public void sendGroundTruth(String hostId, byte[] groundTruth) {
    publish(Topics.GROUND_TRUTH, hostId, groundTruth);
  }

  @Override
  public void flush() {
    if (!closed) {
      producer.flush();
    }
  }

  @Override
  public PublisherStats stats() {
    return new PublisherStats(
        sent.get(), delivered.sum(), failed.sum(), bytes.get(), blockedNanos(), firstError.get());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      producer.flush();
    } finally {
      blockedNanosAtClose = blockedNanos();
      closed = true;
      producer.close(CLOSE_TIMEOUT);
    }
  }

  private void publish(String topic, String hostId, byte[] value) {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(value, "value");
    if (closed) {
      throw new IllegalStateException("publisher to " + bootstrapServers + " is closed");
    }
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, hostId, value);
    sent.incrementAndGet();
    bytes.addAndGet(value.length);
    boolean metadataMissing = false;
    long firstMissingMetadata = 0;
    while (true) {
      Delivery delivery = new Delivery(topic);
      long attemptStart = System.nanoTime();
      try {
        producer.send(record, delivery);
      } catch (KafkaException e) {
        // Interrupted while blocked, producer closed, or a bug: the record did not go out.
        fail(topic, e);
        throw e;
      }
      Exception refused = delivery.sendReturned();
      if (refused == null) {
        reached = true;
        return;
      }
      if (refused instanceof BufferExhaustedException) {
        retriedSends.incrementAndGet();
        LOG.warn(
            "Buffer full for {} ms publishing to {} on {}: Kafka is slow or unreachable; still"
                + " waiting",
            maxBlockMs,
            topic,
            bootstrapServers);
        continue;
      }
      if (!(refused instanceof TimeoutException)) {
        // Any other refusal (e.g. a record larger than max.request.size) concerns this record only.
        fail(topic, refused);
        return;
      }
      long now = System.nanoTime();
      failedMetadataWaitNanos.addAndGet(now - attemptStart);
      if (!metadataMissing) {
        metadataMissing = true;
        firstMissingMetadata = attemptStart;
      }
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(now - firstMissingMetadata);
      if (!reached || now - firstMissingMetadata >= deliveryTimeoutNanos) {
        fail(topic, refused);
        throw new PublishException(
            "Kafka at "
                + bootstrapServers
                + " gave no metadata for topic "
                + topic
                + " in "
                + waitedMs
                + " ms (max.block.ms="
                + maxBlockMs
                + "): the cluster is unreachable or the topic does not exist ("
                + describe(refused)
                + ")",
            refused);
      }
      retriedSends.incrementAndGet();
      LOG.warn(
          "No metadata for topic {} from {} for {} ms: Kafka is restarting or unreachable; still"
              + " waiting",
          topic,
          bootstrapServers,
          waitedMs);
    }
  }

  /** Send attempts that Kafka gave up after {@code max.block.ms} and this publisher repeated. */
  long retriedSends() {
    return retriedSends.get();
  }

  private void fail(String topic, Exception e) {
    failed.increment();
    String error = topic + ": " + describe(e);
    if (firstError.compareAndSet(null, error)) {
      LOG.warn("First record that could not be published to {}: {}", bootstrapServers, error);
    }
  }

  private long blockedNanos() {
    if (closed) {
      return blockedNanosAtClose;
    }
    if (bufferWaitMetric == null) {
      bufferWaitMetric = producerMetric(BUFFER_WAIT_METRIC);
    }
    if (metadataWaitMetric == null) {
      metadataWaitMetric = producerMetric(METADATA_WAIT_METRIC);
    }
    return nanos(bufferWaitMetric) + nanos(metadataWaitMetric) + failedMetadataWaitNanos.get();
  }

  private Metric producerMetric(String name) {
    for (Map.Entry<MetricName, ? extends Metric> entry : producer.metrics().entrySet()) {
      if (entry.getKey().name().equals(name) && entry.getKey().group().equals("producer-metrics")) {
        return entry.getValue();
      }
    }
    // Renamed by a client upgrade (the back-pressure test would notice): count it as no wait.
    return null;
  }

  private static long nanos(Metric metric) {
    return metric == null ? 0 : ((Number) metric.metricValue()).longValue();
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * The outcome of one send attempt. Kafka reports a send it refuses at once (full buffer, unknown
   * topic, oversized record) by calling the callback on the sending thread before {@code send}
   * returns; those are kept here for {@link #publish} to decide on. Completions on the I/O thread
   * are final and counted.
   */
  private final class Delivery implements Callback {
    private final String topic;
    private final Thread sender = Thread.currentThread();
    private boolean inSend = true;
    private Exception refused;

    Delivery(String topic) {
      this.topic = topic;
    }

    /** Called by the sending thread once {@code send} returned: a refusal at once, or null. */
    Exception sendReturned() {
      inSend = false;
      return refused;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (Thread.currentThread() == sender && inSend && exception != null) {
        refused = exception;
      } else if (exception == null) {
        delivered.increment();
      } else {
        fail(topic, exception);
      }
    }
  }
}
