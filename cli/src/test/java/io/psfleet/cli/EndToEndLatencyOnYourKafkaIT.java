package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.psfleet.commandline.Commands;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --bootstrap --observe-topic --match} on a broker it did not start, through "your
 * pipeline": a plain Kafka consumer and producer in the test that copy psfleet's telemetry to an
 * output topic, each record held until {@link #HOLD} after it was produced, so the end-to-end
 * latency the report gives has a floor the test knows.
 */
class EndToEndLatencyOnYourKafkaIT {
  static final String OUTPUT = "your.pipeline.output";
  static final Duration HOLD = Duration.ofMillis(300);
  static final int FOREIGN = 50;
  static final int WITHOUT_ID = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The pipeline reads Winlogbeat's ECS JSON and writes a JSON of its own that keeps the process's
   * GUID under the same name, and adds records psfleet never sent: ids of its own, and records
   * without any.
   */
  @Test
  void aFieldOfYourPipelinesOutputGivesEndToEndLatencyPerStep(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      kafka.createTopics(4, OUTPUT);
      List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
      String printed;
      int exit;
      try (Pipeline pipeline =
          new Pipeline(
              bootstrap,
              value -> {
                JsonNode in = readJson(value);
                ObjectNode outRecord = JSON.createObjectNode();
                outRecord.put("pipeline", "test");
                outRecord.put("host", in.path("host").path("name").asText());
                JsonNode guid = in.path("winlog").path("event_data").path("ProcessGuid");
                if (!guid.isMissingNode()) {
                  outRecord.put("ProcessGuid", guid.asText());
                }
                return outRecord.toString().getBytes(StandardCharsets.UTF_8);
              },
              true,
              read)) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
        exit =
            Commands.execute(
                new LoadBenchCommand(print),
                new String[] {
                  "--bootstrap", bootstrap,
                  "--format", "ecs",
                  "--observe-topic", OUTPUT,
                  "--match", "ProcessGuid",
                  "--match-sample", "1",
                  "--rates", "1000",
                  "--step-seconds", "6",
                  "--hosts", "200",
                  "--out", dir.toString()
                },
                print,
                System.err);
        printed = console.toString(StandardCharsets.UTF_8);
      }

      assertThat(exit).as(printed).isZero();
      JsonNode report = JSON.readTree(dir.resolve("bench.json").toFile());
      JsonNode latency = report.path("steps").get(0).path("latency");
      assertThat(latency.path("samples").asLong()).as(printed).isPositive();
      assertThat(latency.path("samples").asLong() + latency.path("unseen").asLong())
          .isEqualTo(latency.path("tracked").asLong());
      // Every process's GUID came back: the pipeline drops nothing and --tta-limit is 10 s.
      assertThat(latency.path("unseen").asLong()).as(printed).isZero();
      assertThat(latency.path("p50Millis").asDouble())
          .as(printed)
          .isGreaterThanOrEqualTo(HOLD.toMillis() - 2)
          .isLessThan(5_000);
      assertThat(latency.path("p99Millis").asDouble())
          .isGreaterThanOrEqualTo(latency.path("p50Millis").asDouble());
      assertThat(latency.path("maxMillis").asDouble())
          .isGreaterThanOrEqualTo(latency.path("p99Millis").asDouble());
      // Image loads share their process's GUID: repeats, not new samples.
      assertThat(latency.path("repeats").asLong()).as(printed).isPositive();
      assertThat(latency.path("unknown").asLong()).as(printed).isEqualTo(FOREIGN);
      assertThat(latency.path("withoutId").asLong()).as(printed).isGreaterThanOrEqualTo(WITHOUT_ID);
      assertThat(latency.path("histogram").asText()).isNotEmpty();
      assertThat(report.path("configuration").path("match").asText()).isEqualTo("ProcessGuid");
      assertThat(printed).contains("E2E p50").contains("end-to-end:");
      assertThat(dir.resolve("bench.html")).content().contains("End-to-end latency p95");
      // What the pipeline read was ECS JSON, and what it wrote carries the GUIDs.
      assertThat(read).isNotEmpty();
    }
  }

  /**
   * The pipeline copies records as they are, key included: with {@code --match key} every record
   * has a key of its own and still goes to its host's partition.
   */
  @Test
  void theRecordKeyGivesEveryRecordAnIdAndKeepsItsHostsPartition(@TempDir Path dir)
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      kafka.createTopics(4, OUTPUT);
      List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
      String printed;
      int exit;
      try (Pipeline pipeline = new Pipeline(bootstrap, Function.identity(), false, read)) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
        exit =
            Commands.execute(
                new LoadBenchCommand(print),
                new String[] {
                  "--bootstrap", bootstrap,
                  "--observe-topic", OUTPUT,
                  "--match", "key",
                  "--match-sample", "4",
                  "--rates", "1000",
                  "--step-seconds", "6",
                  "--hosts", "200",
                  "--out", dir.toString()
                },
                print,
                System.err);
        printed = console.toString(StandardCharsets.UTF_8);
      }

      assertThat(exit).as(printed).isZero();
      JsonNode latency =
          JSON.readTree(dir.resolve("bench.json").toFile()).path("steps").get(0).path("latency");
      long tracked = latency.path("tracked").asLong();
      assertThat(latency.path("samples").asLong()).as(printed).isEqualTo(tracked);
      long published;
      synchronized (read) {
        published = read.size();
      }
      assertThat(published).as("records your pipeline copied; %s", printed).isPositive();
      assertThat(tracked).as(printed).isPositive().isLessThanOrEqualTo(published);
      assertThat(latency.path("repeats").asLong()).isZero();
      assertThat(latency.path("unknown").asLong()).isZero();
      assertThat(latency.path("p50Millis").asDouble())
          .as(printed)
          .isGreaterThanOrEqualTo(HOLD.toMillis() - 2);
      Pattern key = Pattern.compile("(host-\\d{6})#(\\d+)");
      Map<String, Long> lastOfHost = new HashMap<>();
      synchronized (read) {
        for (ConsumerRecord<byte[], byte[]> r : read) {
          Matcher m = key.matcher(new String(r.key(), StandardCharsets.UTF_8));
          assertThat(m.matches()).as(new String(r.key(), StandardCharsets.UTF_8)).isTrue();
          int hostPartition =
              BuiltInPartitioner.partitionForKey(
                  m.group(1).getBytes(StandardCharsets.UTF_8), Topics.DEFAULT_TELEMETRY_PARTITIONS);
          assertThat(r.partition()).isEqualTo(hostPartition);
          long n = Long.parseLong(m.group(2));
          Long before = lastOfHost.put(m.group(1), n);
          assertThat(before == null || before < n).as("host order at %s", r.key()).isTrue();
        }
      }
    }
  }

  private static JsonNode readJson(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Your pipeline: reads psfleet.telemetry in its own group, keeps each record until {@link #HOLD}
   * after its producer timestamp, writes {@code transform(value)} under the same key to {@link
   * #OUTPUT}; with {@code strangers}, first writes {@link #FOREIGN} records with GUIDs psfleet
   * never sent and {@link #WITHOUT_ID} without any.
   */
  static final class Pipeline implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final Thread thread;

    Pipeline(
        String bootstrap,
        Function<byte[], byte[]> transform,
        boolean strangers,
        List<ConsumerRecord<byte[], byte[]>> read) {
      Map<String, Object> c = new HashMap<>();
      c.put("bootstrap.servers", bootstrap);
      c.put("group.id", "your-pipeline");
      c.put("auto.offset.reset", "earliest");
      c.put("key.deserializer", ByteArrayDeserializer.class.getName());
      c.put("value.deserializer", ByteArrayDeserializer.class.getName());
      Map<String, Object> p = new HashMap<>();
      p.put("bootstrap.servers", bootstrap);
      p.put("linger.ms", "5");
      p.put("key.serializer", ByteArraySerializer.class.getName());
      p.put("value.serializer", ByteArraySerializer.class.getName());
      thread =
          new Thread(
              () -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                  consumer.subscribe(List.of(Topics.TELEMETRY));
                  boolean first = true;
                  while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                      if (first && strangers) {
                        for (int i = 0; i < FOREIGN; i++) {
                          producer.send(
                              new ProducerRecord<>(
                                  OUTPUT,
                                  null,
                                  ("{\"ProcessGuid\":\"{not-psfleet-" + i + "}\"}")
                                      .getBytes(StandardCharsets.UTF_8)));
                        }
                        for (int i = 0; i < WITHOUT_ID; i++) {
                          producer.send(
                              new ProducerRecord<>(
                                  OUTPUT,
                                  null,
                                  "{\"heartbeat\":1}".getBytes(StandardCharsets.UTF_8)));
                        }
                      }
                      first = false;
                      long wait = r.timestamp() + HOLD.toMillis() - System.currentTimeMillis();
                      if (wait > 0) {
                        Thread.sleep(wait);
                      }
                      producer.send(
                          new ProducerRecord<>(OUTPUT, r.key(), transform.apply(r.value())));
                      synchronized (read) {
                        read.add(r);
                      }
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "your-pipeline");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
      assertThat(failures).as("the pipeline's own failures").isEmpty();
    }
  }
}
