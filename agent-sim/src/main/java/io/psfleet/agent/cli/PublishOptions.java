package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.publish.SpoolingPublisher;
import io.psfleet.commandline.KafkaConfigOption;
import io.psfleet.commandline.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

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

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      completionCandidates = FormatNames.class,
      description =
          "what each record is: avro (psfleet's TelemetryEvent, what the detection job reads),"
              + " json (psfleet's JSON lines), sysmon-xml (Sysmon's events as XmlWinEventLog"
              + " renders them), ecs (Winlogbeat 8.x documents), flat-json (EventID and EventData"
              + " fields, NXLog style) or ocsf (OCSF 1.3 Process, Module and Kernel Extension"
              + " Activity); the Sysmon formats leave out what Sysmon does not log (thread exits,"
              + " local threads) (default: avro to Kafka, json to --out)")
  RecordFormat format;

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
    if (format != null) {
      return format;
    }
    return outPath != null ? RecordFormat.JSON : RecordFormat.AVRO;
  }

  /** {@code --format}'s names, as the help and completion show them. */
  static final class FormatNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(RecordFormat.values()).map(RecordFormat::optionName).iterator();
    }
  }

  static final class FormatConverter implements ITypeConverter<RecordFormat> {
    @Override
    public RecordFormat convert(String value) {
      RecordFormat format = RecordFormat.byOptionName(value);
      if (format == null) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a format; expected one of "
                + String.join(", ", new FormatNames()));
      }
      return format;
    }
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
    if (outPath != null && format == RecordFormat.AVRO) {
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
