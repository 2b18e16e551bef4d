package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.JsonLinesPublisher;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.agent.publish.TelemetryPublisher;
import io.psfleet.commandline.UnreachableException;
import io.psfleet.kafka.EmbeddedKafka;
import io.psfleet.kafka.TopicSetup;
import io.psfleet.schema.Topics;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where {@code simulate} and {@code replay} publish: JSON lines to a file or stdout ({@code
 * --out}), a Kafka cluster ({@code --bootstrap}), or, with neither, an embedded broker started here
 * and stopped after the publisher.
 */
final class PublishTarget implements AutoCloseable {
  final TelemetryPublisher publisher;
  final RecordFormat format;
  final String description;
  private final EmbeddedKafka embedded;

  private PublishTarget(
      TelemetryPublisher publisher,
      RecordFormat format,
      EmbeddedKafka embedded,
      String description) {
    this.publisher = publisher;
    this.format = format;
    this.embedded = embedded;
    this.description = description;
  }

  /**
   * Opens the target; an unreachable {@code bootstrap} is an {@link UnreachableException} naming it
   * (exit 1) within about 10 seconds.
   */
  static PublishTarget open(
      String command, String outPath, String bootstrap, PrintStream stdout, PrintStream progress)
      throws IOException {
    if (outPath != null) {
      boolean toStdout = outPath.equals("-");
      OutputStream stream = toStdout ? stdout : openFile(outPath, "--out");
      return new PublishTarget(
          new JsonLinesPublisher(stream, !toStdout),
          RecordFormat.JSON,
          null,
          toStdout ? "stdout (JSON lines)" : outPath + " (JSON lines)");
    }
    EmbeddedKafka embedded = null;
    if (bootstrap == null) {
      progress.println("psfleet " + command + ": starting an embedded Kafka broker (KRaft) ...");
      embedded = EmbeddedKafka.start();
      bootstrap = embedded.bootstrapServers();
    }
    try {
      TopicSetup.ensureTopics(bootstrap, Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw new UnreachableException(e.getMessage() + " (--bootstrap)", e);
    }
    String description =
        (embedded != null ? "embedded Kafka at " : "Kafka at ")
            + bootstrap
            + " (topic "
            + Topics.TELEMETRY
            + ")";
    return new PublishTarget(
        new KafkaTelemetryPublisher(KafkaPublisherConfig.of(bootstrap)),
        RecordFormat.AVRO,
        embedded,
        description);
  }

  /** A file to write, whose folder must exist: a wrong path fails before the run, not after. */
  static OutputStream openFile(String path, String option) throws IOException {
    Path file = Path.of(path);
    if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
      throw new IOException(
          option + " " + path + ": folder " + file.getParent() + " does not exist");
    }
    return new FileOutputStream(file.toFile());
  }

  @Override
  public void close() {
    try {
      publisher.close();
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
