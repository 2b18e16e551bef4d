package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.RecordFormat;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --format}: what each published record is, declared once for {@code simulate}, {@code
 * replay} and {@code bench}.
 */
public final class FormatOption {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = Converter.class,
      completionCandidates = Names.class,
      description =
          "what each record is: avro (psfleet's TelemetryEvent, what the detection job reads),"
              + " json (psfleet's JSON lines), sysmon-xml (Sysmon's events as XmlWinEventLog"
              + " renders them), ecs (Winlogbeat 8.x documents), flat-json (EventID and EventData"
              + " fields, NXLog style) or ocsf (OCSF 1.3 Process, Module and Kernel Extension"
              + " Activity); the Sysmon formats leave out what Sysmon does not log (thread exits,"
              + " local threads) (default: avro to Kafka, json to a file)")
  RecordFormat format;

  /** The format given, or {@code fallback}. */
  public RecordFormat orElse(RecordFormat fallback) {
    return format != null ? format : fallback;
  }

  /** {@code --format}'s names, as the help and completion show them. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(RecordFormat.values()).map(RecordFormat::optionName).iterator();
    }
  }

  public static final class Converter implements ITypeConverter<RecordFormat> {
    @Override
    public RecordFormat convert(String value) {
      RecordFormat format = RecordFormat.byOptionName(value);
      if (format == null) {
        throw new TypeConversionException(
            "'" + value + "' is not a format; expected one of " + String.join(", ", new Names()));
      }
      return format;
    }
  }
}
