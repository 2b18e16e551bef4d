package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.SpoolingPublisher;
import io.psfleet.commandline.KafkaConfigOption;
import io.psfleet.commandline.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where {@code simulate} and {@code replay} publish ({@code --bootstrap} or {@code --out}) and how
 * they reach Kafka: the client properties of {@code --kafka-config} (security) and each host's
 * store-and-forward spool.
 */
final class PublishOptions {
  private static final int KIB = 1024;

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: start an embedded broker)")
  String bootstrap;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "write one record per line to FILE ('-' for stdout) instead of Kafka (JSON lines"
              + " unless --format says otherwise)")
  String outPath;

  @Mixin FormatOption format = new FormatOption();

  @Mixin KafkaConfigOption kafka = new KafkaConfigOption();

  @Option(
      names = "--spool-memory",
      paramLabel = "KIB",
      description =
          "each host's store-and-forward spool in memory, KiB, when the run is paced (speedup"
              + " above 0): while Kafka is unreachable the sensor keeps going and its records"
              + " wait here, then on disk; 0 turns spooling off")
  int spoolMemoryKib = 64;

  @Option(
      names = "--spool-disk",
      paramLabel = "KIB",
      description =
          "each host's spool on disk after memory, KiB; past both the oldest records are"
              + " dropped and counted as failed, as EDR agents do")
  int spoolDiskKib = 8 * KIB;

  @Option(
      names = "--spool-dir",
      paramLabel = "DIR",
      description = "where the spool files go (default: a temporary folder removed at the end)")
  Path spoolDirectory;

  /** Whether a run paced as given publishes through the spool. */
  boolean spools(boolean paced) {
    return paced && spoolMemoryKib > 0;
  }

  /** Bounds of the spool, its files in --spool-dir or else in {@code temporary}. */
  SpoolingPublisher.Limits spool(Path temporary) {
    return new SpoolingPublisher.Limits(
        (long) spoolMemoryKib * KIB,
        (long) spoolDiskKib * KIB,
        spoolDirectory != null ? spoolDirectory : temporary,
        true);
  }

  /** The format records are written in: --format, else Avro to Kafka and JSON to a file. */
  RecordFormat format() {
    return format.orElse(outPath != null ? RecordFormat.JSON : RecordFormat.AVRO);
  }

  /** JSON lines to stdout: progress then goes to stderr. */
  boolean toStdout() {
    return "-".equals(outPath);
  }

  /** Checks the options before the command does anything (a one-line usage error). */
  void check() {
    if (outPath != null && bootstrap != null) {
      throw new UsageException("--out and --bootstrap exclude each other: choose a file or Kafka");
    }
    if (outPath != null && format() == RecordFormat.AVRO) {
      throw new UsageException(
          "--format avro --out "
              + outPath
              + ": Avro records are binary, not lines; choose a"
              + " text format for a file (json, sysmon-xml, ecs, flat-json, ocsf) or Kafka");
    }
    if (spoolDirectory != null) {
      try {
        Files.createDirectories(spoolDirectory);
      } catch (IOException | RuntimeException e) {
        throw new UsageException(
            "--spool-dir " + spoolDirectory + ": cannot create that folder (" + e + ")");
      }
    }
    if (spoolMemoryKib < 0) {
      throw new UsageException(
          "--spool-memory " + spoolMemoryKib + ": expected 0 (off) or a size in KiB");
    }
    if (spoolDiskKib < 0) {
      throw new UsageException(
          "--spool-disk " + spoolDiskKib + ": expected 0 (memory only) or a size in KiB");
    }
  }
}
