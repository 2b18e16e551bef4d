package io.psfleet.jobs.io;

import io.psfleet.schema.EventHeader;
import io.psfleet.schema.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The documented bound of every field the job reads (README, "Field bounds"), applied to the Avro
 * record at the Kafka boundary, before the event is mapped, kept in state or put in an alert.
 *
 * <p>Two kinds of bound. A value no Windows host can produce (a negative process or thread id, a
 * sequence number below 1, a time at or before the epoch, an empty or over-long host id) makes the
 * whole record implausible: it becomes a dead letter, since no part of it can be believed. A text
 * longer than its bound is cut and ends in {@link #TRUNCATED}, as sensors cut what they cannot
 * ship: the event still counts, the marker says it was cut, and nothing downstream (state,
 * checkpoints, alerts) grows with what a producer chose to send.
 *
 * <p>Bounds are in UTF-16 characters. Command lines keep 8,192 (cmd.exe's own limit is 8,191;
 * CreateProcess allows 32,767, and longer ones are, in practice, encoded payloads whose first 8K
 * already show what they are); paths 2,048 (eight times MAX_PATH); every other text 256.
 */
public final class FieldBounds {
  public static final int HOST_ID_CHARS = 255;
  public static final int COMMAND_LINE_CHARS = 8_192;
  public static final int PATH_CHARS = 2_048;
  public static final int TEXT_CHARS = 256;

  /** Ends every text that was cut; the value with it stays within its bound. */
  public static final String TRUNCATED = "…[truncated]";

  private static final Set<String> COMMAND_LINES = Set.of("CommandLine", "ParentCommandLine");
  private static final Set<String> PATHS =
      Set.of(
          "Image",
          "ParentImage",
          "CreatorImage",
          "ImageLoaded",
          "TargetImage",
          "SourceImage",
          "StartModule",
          "CurrentDirectory",
          // A process access's frames are module paths: 2,048 holds some 30 of them.
          "CallTrace");

  /** Process and thread ids: DWORDs that Windows hands out as multiples of 4, never negative. */
  private static final Set<String> IDS =
      Set.of(
          "ProcessId",
          "ParentProcessId",
          "CreatorProcessId",
          "CreatorThreadId",
          "TargetProcessId",
          "NewThreadId",
          "SourceProcessId",
          "SourceThreadId",
          "ThreadId");

  private FieldBounds() {}

  /** The bound of a text field, by its schema name. */
  public static int bound(String field) {
    if (COMMAND_LINES.contains(field)) {
      return COMMAND_LINE_CHARS;
    }
    return PATHS.contains(field) ? PATH_CHARS : TEXT_CHARS;
  }

  /**
   * Why no part of {@code event} can be believed, or null when every value is one a Windows host
   * can produce.
   */
  public static String implausible(TelemetryEvent event) {
    EventHeader header = event.getHeader();
    String host = header.getHostId();
    if (host == null || host.isBlank() || host.length() > HOST_ID_CHARS) {
      return "hostId must have 1 to "
          + HOST_ID_CHARS
          + " characters, has "
          + (host == null ? "none" : host.length());
    }
    if (header.getSequence() < 1) {
      return "sequence must be at least 1, is " + header.getSequence();
    }
    if (header.getEventTimeNanos() <= 0) {
      return "eventTimeNanos must be after the epoch, is " + header.getEventTimeNanos();
    }
    SpecificRecord body = (SpecificRecord) event.getBody();
    Checks checks = CHECKS.get(body.getClass());
    for (int i = 0; i < checks.idPositions.length; i++) {
      if (body.get(checks.idPositions[i]) instanceof Integer id && id < 0) {
        return checks.idNames[i] + " must not be negative, is " + id;
      }
    }
    if (checks.imageSizePosition >= 0
        && body.get(checks.imageSizePosition) instanceof Long size
        && size < 0) {
      return "ImageSize must not be negative, is " + size;
    }
    return null;
  }

  /**
   * Cuts every text of {@code event} (a decoded record, changed in place) to its bound.
   *
   * @return how many fields were cut
   */
  public static int truncate(TelemetryEvent event) {
    EventHeader header = event.getHeader();
    int cut = 0;
    if (header.getSensorVersion().length() > TEXT_CHARS) {
      header.setSensorVersion(cut(header.getSensorVersion(), TEXT_CHARS));
      cut++;
    }
    SpecificRecord body = (SpecificRecord) event.getBody();
    Checks checks = CHECKS.get(body.getClass());
    for (int i = 0; i < checks.textPositions.length; i++) {
      int position = checks.textPositions[i];
      if (body.get(position) instanceof CharSequence text && text.length() > checks.textBounds[i]) {
        body.put(position, cut(text.toString(), checks.textBounds[i]));
        cut++;
      }
    }
    return cut;
  }

  /**
   * What is checked in one body type, by field position: found once per type from its schema, so an
   * event costs no lookup of a field name (these checks run on every record the job reads).
   *
   * @param textPositions fields that may hold text (a string, or a union with one)
   * @param textBounds the bound of each, in the same order
   * @param idPositions process and thread id fields ({@link #IDS})
   * @param idNames their names, for the reason
   * @param imageSizePosition the {@code ImageSize} field, or -1
   */
  private record Checks(
      int[] textPositions,
      int[] textBounds,
      int[] idPositions,
      String[] idNames,
      int imageSizePosition) {

    static Checks of(Schema schema) {
      List<Schema.Field> texts = new ArrayList<>();
      List<Schema.Field> ids = new ArrayList<>();
      int imageSize = -1;
      for (Schema.Field field : schema.getFields()) {
        if (holdsText(field.schema())) {
          texts.add(field);
        }
        if (IDS.contains(field.name())) {
          ids.add(field);
        }
        if (field.name().equals("ImageSize")) {
          imageSize = field.pos();
        }
      }
      return new Checks(
          texts.stream().mapToInt(Schema.Field::pos).toArray(),
          texts.stream().mapToInt(f -> bound(f.name())).toArray(),
          ids.stream().mapToInt(Schema.Field::pos).toArray(),
          ids.stream().map(Schema.Field::name).toArray(String[]::new),
          imageSize);
    }

    private static boolean holdsText(Schema schema) {
      return switch (schema.getType()) {
        case STRING -> true;
        case UNION -> schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.STRING);
        default -> false;
      };
    }
  }

  private static final ClassValue<Checks> CHECKS =
      new ClassValue<>() {
        @Override
        protected Checks computeValue(Class<?> type) {
          return Checks.of(SpecificData.get().getSchema(type));
        }
      };

  /** The first characters of {@code text} and the marker, {@code bound} characters in all. */
  static String cut(String text, int bound) {
    int keep = bound - TRUNCATED.length();
    if (Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--; // never half a character
    }
    return text.substring(0, keep) + TRUNCATED;
  }
}
