package io.psfleet.jobs.io;

import io.psfleet.schema.EventHeader;
import io.psfleet.schema.TelemetryEvent;
import java.util.Set;
import org.apache.avro.Schema;
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
    for (Schema.Field field : body.getSchema().getFields()) {
      if (IDS.contains(field.name()) && body.get(field.pos()) instanceof Integer id && id < 0) {
        return field.name() + " must not be negative, is " + id;
      }
      if (field.name().equals("ImageSize")
          && body.get(field.pos()) instanceof Long size
          && size < 0) {
        return "ImageSize must not be negative, is " + size;
      }
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
    for (Schema.Field field : body.getSchema().getFields()) {
      if (body.get(field.pos()) instanceof CharSequence text) {
        int bound = bound(field.name());
        if (text.length() > bound) {
          body.put(field.pos(), cut(text.toString(), bound));
          cut++;
        }
      }
    }
    return cut;
  }

  /** The first characters of {@code text} and the marker, {@code bound} characters in all. */
  static String cut(String text, int bound) {
    int keep = bound - TRUNCATED.length();
    if (Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--; // never half a character
    }
    return text.substring(0, keep) + TRUNCATED;
  }
}
