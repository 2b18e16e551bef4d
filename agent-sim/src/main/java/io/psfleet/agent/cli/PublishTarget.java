package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.JsonLinesPublisher;
import io.psfleet.agent.publish.KafkaPublisherConfig;
import io.psfleet.agent.publish.KafkaTelemetryPublisher;
import io.psfleet.agent.publish.SpoolingPublisher;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where {@code simulate} and {@code replay} publish: JSON lines to a file or stdout ({@code
 * --out}), a Kafka cluster ({@code --bootstrap}, with {@code --kafka-config}'s client settings),
 * or, with neither, an embedded broker started here and stopped after the publisher. A run paced in
 * real time publishes to Kafka through each host's store-and-forward spool ({@link
 * SpoolingPublisher}), as agents do; a run as fast as it can publishes directly (back-pressure).
 */
final class PublishTarget implements AutoCloseable {
  private static final Set<String> WRITES = Set.of(Topics.TELEMETRY, Topics.GROUND_TRUTH);

  final TelemetryPublisher publisher;
  final RecordFormat format;
  final String description;
  private final EmbeddedKafka embedded;
  private final Path spoolDirectory;

  private PublishTarget(
      TelemetryPublisher publisher,
      RecordFormat format,
      EmbeddedKafka embedded,
      String description,
      Path spoolDirectory) {
    this.publisher = publisher;
    this.format = format;
    this.embedded = embedded;
    this.description = description;
    this.spoolDirectory = spoolDirectory;
  }

  /**
   * Opens the target; an unreachable {@code bootstrap} is an {@link UnreachableException} naming it
   * (exit 1) within about 10 seconds.
   */
  static PublishTarget open(
      String command,
      PublishOptions options,
      boolean paced,
      PrintStream stdout,
      PrintStream progress)
      throws IOException {
    String outPath = options.outPath;
    String bootstrap = options.bootstrap;
    if (outPath != null) {
      boolean toStdout = outPath.equals("-");
      OutputStream stream = toStdout ? stdout : openFile(outPath, "--out");
      return new PublishTarget(
          new JsonLinesPublisher(stream, !toStdout),
          options.format(),
          null,
          (toStdout ? "stdout" : outPath) + " (" + options.format().optionName() + " lines)",
          null);
    }
    EmbeddedKafka embedded = null;
    if (bootstrap == null) {
      progress.println("psfleet " + command + ": starting an embedded Kafka broker (KRaft) ...");
      embedded = EmbeddedKafka.start();
      bootstrap = embedded.bootstrapServers();
    }
    try {
      // Only the topics it writes: an agent's principal may do no more (least privilege).
      TopicSetup.ensureTopics(
          bootstrap,
          options.kafka.config().clientSettings(),
          Duration.ofSeconds(10),
          TopicSetup.projectTopics().stream().filter(t -> WRITES.contains(t.name())).toList());
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
    KafkaPublisherConfig kafka =
        KafkaPublisherConfig.of(bootstrap).withOverrides(options.kafka.config().properties());
    Path temporary = null;
    TelemetryPublisher publisher;
    if (!options.spools(paced)) {
      publisher = new KafkaTelemetryPublisher(kafka);
    } else {
      if (options.spoolDirectory == null) {
        temporary = Files.createTempDirectory("psfleet-spool-");
      }
      SpoolingPublisher.Limits spool = options.spool(temporary);
      // Records wait in the spool, not in the producer, and never expire there: the spool's
      // bound decides what an outage may cost.
      publisher =
          new SpoolingPublisher(
              new KafkaTelemetryPublisher(
                  kafka.withOverrides(
                      Map.of(
                          "buffer.memory", Integer.toString(4 * 1024 * 1024),
                          "batch.size", Integer.toString(256 * 1024),
                          "delivery.timeout.ms", Integer.toString(Integer.MAX_VALUE)))),
              spool);
      description +=
          String.format(
              Locale.ROOT,
              ", spooling up to %d KiB in memory and %d KiB on disk per host",
              spool.memoryBytesPerHost() / 1024,
              spool.diskBytesPerHost() / 1024);
    }
    if (options.format() != RecordFormat.AVRO) {
      description += ", as " + options.format().optionName();
    }
    return new PublishTarget(publisher, options.format(), embedded, description, temporary);
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
      if (spoolDirectory != null) {
        try {
          Files.deleteIfExists(spoolDirectory);
        } catch (IOException e) {
          // A file left in it (another process's?): the folder stays, nothing else is affected.
        }
      }
    }
  }
}
