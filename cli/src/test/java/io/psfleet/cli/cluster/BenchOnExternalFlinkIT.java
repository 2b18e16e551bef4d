package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.cli.LoadBenchCommand;
import io.psfleet.commandline.Commands;
import io.psfleet.harness.GroupLag;
import io.psfleet.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --bootstrap --flink}: psfleet's job as the pipeline under load on a Kafka and a
 * Flink cluster (separate JVMs, the job jar submitted over REST) that the bench did not start. The
 * job's own consumer group is the one observed, it reads what the steps published, and it is
 * stopped at the end.
 */
class BenchOnExternalFlinkIT {
  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // the run bounds itself; this guards a hang
  void benchSubmitsPsfleetsJobObservesItsGroupAndStopsIt(@TempDir Path tmp) throws Exception {
    try (ExternalPipeline pipeline = ExternalPipeline.start(tmp)) {
      Path out = tmp.resolve("report");
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      PrintStream print = new PrintStream(console, true, StandardCharsets.UTF_8);
      int exit =
          Commands.execute(
              new LoadBenchCommand(print),
              new String[] {
                "--bootstrap", pipeline.bootstrap(),
                "--flink", pipeline.flinkRest(),
                "--job-jar", pipeline.home.jobJar().toString(),
                "--hosts", "50",
                "--rates", "1000,2000",
                "--step-seconds", "10",
                "--out", out.toString()
              },
              print,
              System.err);
      System.out.print(console.toString(StandardCharsets.UTF_8));

      assertThat(exit).isZero();
      JsonNode report = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
      String group = report.at("/configuration/observe-group").asText();
      assertThat(group).startsWith("psfleet-bench-");
      assertThat(report.at("/configuration/pipeline").asText())
          .startsWith("psfleet's detection job");
      // A job just started may fall behind a first short step (its checkpoints commit every 2 s):
      // the run then stops there, saturated by that group. Either way each step read its lag.
      assertThat(report.at("/steps")).isNotEmpty();
      for (JsonNode step : report.at("/steps")) {
        assertThat(step.path("lagStart").asLong()).isNotNegative();
        assertThat(step.path("lagEnd").asLong()).isNotNegative();
        assertThat(step.path("achieved").asDouble()).isPositive();
        if (!step.path("saturated").isNull()) {
          assertThat(step.path("saturated").asText()).startsWith("consumer group " + group);
        }
      }
      // The job read the steps' records: stopped with a savepoint, it committed how far it got.
      assertThat(console.toString(StandardCharsets.UTF_8))
          .contains("psfleet's job: stopped with a savepoint");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", pipeline.bootstrap()))) {
        long committed =
            admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS)
                .values()
                .stream()
                .mapToLong(o -> o.offset())
                .sum();
        long unread = GroupLag.of(admin, group, Topics.TELEMETRY);
        // At the end it may be a checkpoint or two behind the last step, not more than half.
        assertThat(committed)
            .as("records the job committed, of %d published", committed + unread)
            .isGreaterThan(unread);
      }
      assertThat(pipeline.flink.rest().overview().path("jobs-running").asInt()).isZero();
    }
    ExternalPipeline.assertNoProcessLeft();
  }
}
