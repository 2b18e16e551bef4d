package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Kafka and a Flink that the command under test did not start, as a user's would be: a broker in
 * this JVM and a standalone Flink cluster of separate JVMs (a JobManager and one TaskManager with
 * two slots), the job jar of this checkout. Closing stops both.
 */
final class ExternalPipeline implements AutoCloseable {
  final Path checkout = Path.of("..").toAbsolutePath().normalize();
  final ClusterHome home = ClusterHome.locate(checkout);
  final EmbeddedKafka kafka;
  final FlinkCluster flink;

  private ExternalPipeline(EmbeddedKafka kafka, Path tmp) throws Exception {
    this.kafka = kafka;
    Path log4j = tmp.resolve("log4j2.properties");
    Files.writeString(log4j, "rootLogger.level = WARN\n");
    this.flink =
        FlinkCluster.start(
            home,
            new ProcessLedger(tmp.resolve("pids")),
            tmp.resolve("flink"),
            1,
            2,
            log4j,
            Duration.ofMinutes(3));
  }

  /** Starts both, their files under {@code tmp}. */
  static ExternalPipeline start(Path tmp) throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    try {
      return new ExternalPipeline(kafka, tmp);
    } catch (Exception | Error e) {
      kafka.close();
      throw e;
    }
  }

  String bootstrap() {
    return kafka.bootstrapServers();
  }

  String flinkRest() {
    return flink.rest().base().toString();
  }

  @Override
  public void close() throws InterruptedException {
    try {
      flink.stop(Duration.ofSeconds(15));
    } finally {
      kafka.close();
    }
  }

  /** After {@link #close}: every process the test started has ended. */
  static void assertNoProcessLeft() {
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
        .as("processes the test started")
        .isEmpty();
  }
}
