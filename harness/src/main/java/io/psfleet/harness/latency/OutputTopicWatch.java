package io.psfleet.harness.latency;

import io.psfleet.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a pipeline's output topic from its end (as it stood when the watch started) on a daemon
 * thread, with no consumer group (so it commits nothing and needs only read access), and tells the
 * tracker which id each record carries and when it arrived: its key, or a field of its value.
 */
public final class OutputTopicWatch implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final Thread thread;

  /**
   * Positions at the end of every partition of {@code topic} before it returns, so that nothing the
   * pipeline wrote before the run counts.
   *
   * @param field the value's field that carries the id, or null for the record key
   * @throws IllegalArgumentException if the topic does not exist or cannot be read
   */
  public OutputTopicWatch(
      String bootstrap,
      Map<String, Object> clientSettings,
      String topic,
      RecordIds field,
      LatencyTracker tracker) {
    KafkaConsumer<byte[], byte[]> consumer = TopicReader.consumer(bootstrap, clientSettings);
    try {
      // A topic created a moment ago may not be in every broker's metadata yet: ask for a while.
      List<TopicPartition> partitions = List.of();
      for (long deadline = System.nanoTime() + 10_000_000_000L;
          partitions.isEmpty() && System.nanoTime() < deadline; ) {
        partitions =
            consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        if (partitions.isEmpty()) {
          sleep(200);
        }
      }
      if (partitions.isEmpty()) {
        throw new IllegalArgumentException("no topic " + topic + " at " + bootstrap);
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      for (TopicPartition p : partitions) {
        consumer.position(p, Duration.ofSeconds(10)); // resolve "the end" now, not at first poll
      }
    } catch (KafkaException e) {
      consumer.close();
      throw new IllegalArgumentException(
          "cannot read topic " + topic + " at " + bootstrap + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    thread =
        new Thread(
            () -> {
              try (consumer) {
                while (running.get()) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    String id;
                    if (field == null) {
                      id = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    } else {
                      id = field.find(r.value());
                    }
                    tracker.observed(id, now);
                  }
                }
              } catch (RuntimeException e) {
                failure.set(e);
              }
            },
            "observe-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /** What ended the watch early (e.g. authorisation revoked), or null while it runs. */
  public RuntimeException failure() {
    return failure.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5_000);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking for the output topic", e);
    }
  }
}
