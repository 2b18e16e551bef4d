package io.psfleet.harness;

import io.psfleet.kafka.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows a topic from its beginning on a daemon thread, committed records only (the alerts sink is
 * transactional), and hands each record to a consumer; for watching a run, not for processing.
 */
public final class TopicTail implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public TopicTail(
      String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
    this(bootstrap, Map.of(), topic, onRecord);
  }

  /** As {@link #TopicTail(String, String, Consumer)}, connecting with {@code clientSettings}. */
  public TopicTail(
      String bootstrap,
      Map<String, Object> clientSettings,
      String topic,
      Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
    thread =
        new Thread(
            () -> {
              try (KafkaConsumer<byte[], byte[]> consumer =
                  TopicReader.consumer(bootstrap, clientSettings)) {
                List<TopicPartition> partitions = TopicReader.partitions(consumer, topic);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running.get()) {
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(200))) {
                    onRecord.accept(record);
                  }
                }
              }
            },
            "tail-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5_000);
  }
}
