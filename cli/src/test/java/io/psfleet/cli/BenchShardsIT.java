package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.commandline.Commands;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two load machines (here two {@code bench --shard i/2} runs in one JVM) drive one broker to one
 * plan through a pipeline that copies records to an output topic, and {@code bench merge} makes one
 * report of their two: rates and latency samples add up, percentiles come from the added
 * histograms, and neither began a step before its slot of the plan.
 */
class BenchShardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void twoShardsOfOnePlanMergeIntoOneReportWhoseTotalsAreTheirSums(@TempDir Path dir)
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(30));
      kafka.createTopics(4, EndToEndLatencyOnYourKafkaIT.OUTPUT);
      List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
      Instant startAt = Instant.now().plusSeconds(12);
      List<String> printed = new ArrayList<>();
      ExecutorService machines = Executors.newFixedThreadPool(2);
      try (var pipeline =
          new EndToEndLatencyOnYourKafkaIT.Pipeline(bootstrap, Function.identity(), false, read)) {
        List<Future<Integer>> exits = new ArrayList<>();
        List<ByteArrayOutputStream> consoles = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
          ByteArrayOutputStream console = new ByteArrayOutputStream();
          consoles.add(console);
          PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
          String[] args = {
            "--bootstrap", bootstrap,
            "--shard", i + "/2",
            "--start-at", startAt.toString(),
            "--observe-topic", EndToEndLatencyOnYourKafkaIT.OUTPUT,
            "--match", "key",
            "--match-sample", "2",
            "--tta-limit", "3s",
            "--rates", "600,1200",
            "--step-seconds", "5",
            "--hosts", "200",
            "--out", dir.resolve("shard-" + i).toString()
          };
          exits.add(
              machines.submit(
                  () -> Commands.execute(new LoadBenchCommand(print), args, print, System.err)));
        }
        for (int i = 0; i < 2; i++) {
          int exit = exits.get(i).get();
          printed.add(consoles.get(i).toString(StandardCharsets.UTF_8));
          assertThat(exit).as(printed.get(i)).isZero();
        }
      } finally {
        machines.shutdownNow();
      }

      ByteArrayOutputStream console = new ByteArrayOutputStream();
      PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
      int exit =
          Psfleet.commandLine(print, System.err)
              .execute(
                  "bench",
                  "merge",
                  dir.resolve("shard-1").toString(),
                  dir.resolve("shard-2").toString(),
                  "--out",
                  dir.resolve("merged").toString());
      String mergePrinted = console.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(mergePrinted).isZero();

      JsonNode one = JSON.readTree(dir.resolve("shard-1").resolve("bench.json").toFile());
      JsonNode two = JSON.readTree(dir.resolve("shard-2").resolve("bench.json").toFile());
      JsonNode merged = JSON.readTree(dir.resolve("merged").resolve("bench.json").toFile());
      String all = String.join("\n", printed) + "\n" + mergePrinted;
      assertThat(one.path("shard").asText()).isEqualTo("1/2");
      assertThat(two.path("shard").asText()).isEqualTo("2/2");
      assertThat(merged.path("steps").size()).as(all).isEqualTo(2);
      long[] fleetRates = {600, 1200};
      for (int k = 0; k < 2; k++) {
        JsonNode a = one.path("steps").get(k);
        JsonNode b = two.path("steps").get(k);
        JsonNode m = merged.path("steps").get(k);
        // Each shard offers half (it owns 100 of the 200 hosts); the merged step the plan's rate.
        assertThat(a.path("offered").asLong()).isEqualTo(fleetRates[k] / 2);
        assertThat(m.path("offered").asLong())
            .isEqualTo(a.path("offered").asLong() + b.path("offered").asLong())
            .isEqualTo(fleetRates[k]);
        assertThat(m.path("achieved").asDouble())
            .isCloseTo(
                a.path("achieved").asDouble() + b.path("achieved").asDouble(),
                org.assertj.core.data.Offset.offset(1e-6));
        JsonNode la = a.path("latency");
        JsonNode lb = b.path("latency");
        JsonNode lm = m.path("latency");
        assertThat(la.path("samples").asLong()).as(all).isPositive();
        assertThat(lb.path("samples").asLong()).as(all).isPositive();
        assertThat(lm.path("samples").asLong())
            .isEqualTo(la.path("samples").asLong() + lb.path("samples").asLong());
        assertThat(lm.path("tracked").asLong())
            .isEqualTo(la.path("tracked").asLong() + lb.path("tracked").asLong());
        // Both shards read the whole output topic: its records count once.
        assertThat(lm.path("outputRecords").asLong())
            .isEqualTo(
                Math.max(la.path("outputRecords").asLong(), lb.path("outputRecords").asLong()));
        assertThat(lm.path("p50Millis").asDouble())
            .isBetween(
                Math.min(la.path("p50Millis").asDouble(), lb.path("p50Millis").asDouble()),
                Math.max(la.path("p50Millis").asDouble(), lb.path("p50Millis").asDouble()));
        assertThat(lm.path("maxMillis").asDouble())
            .isEqualTo(Math.max(la.path("maxMillis").asDouble(), lb.path("maxMillis").asDouble()));
        // Neither began the step before its slot of the plan (5 s of step and 3 s to settle); how
        // close after it is a figure of a busy machine, reported, not asserted.
        Instant slot = startAt.plusSeconds(8L * k).minusMillis(50);
        assertThat(Instant.parse(a.path("startedAt").asText())).as(all).isAfter(slot);
        assertThat(Instant.parse(b.path("startedAt").asText())).as(all).isAfter(slot);
        assertThat(merged.path("stepStartSkewSeconds").get(k).asDouble()).isNotNegative();
      }
      // The shards simulated disjoint halves of the fleet: odd-numbered hosts, even-numbered.
      Set<Integer> parities = new TreeSet<>();
      synchronized (read) {
        for (ConsumerRecord<byte[], byte[]> r : read) {
          String key = new String(r.key(), StandardCharsets.UTF_8);
          parities.add(Integer.parseInt(key.substring(5, 11)) % 2);
        }
      }
      assertThat(parities).containsExactly(0, 1);
      assertThat(merged.path("configuration").path("shards").asInt()).isEqualTo(2);
      assertThat(dir.resolve("merged").resolve("bench.html")).exists();
    }
  }
}
