package io.psfleet.schema.codec;

import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.DecodeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The header fields of a telemetry message, read without decoding its body: the host it routes to
 * and the time it claims. A consumer that routes records by host and judges their time before
 * anything else (the detection job's source) needs only these, and can leave the whole decode to
 * where the record is routed, so that bytes cross the shuffle instead of a decoded event.
 *
 * <p>Every writer schema the telemetry codec reads begins with the same four header fields; {@link
 * Reader} checks that once, so a future version that moves them fails at start-up instead of being
 * misread.
 */
public record TelemetryHeader(String hostId, long bootId, long sequence, long eventTimeNanos) {

  private static final List<String> LEADING_FIELDS =
      List.of("hostId", "bootId", "sequence", "eventTimeNanos");
  private static final List<Schema.Type> LEADING_TYPES =
      List.of(Schema.Type.STRING, Schema.Type.LONG, Schema.Type.LONG, Schema.Type.LONG);

  /** Reads headers; not thread-safe (one per subtask), cheap to create. */
  public static final class Reader {
    private final SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();

    public Reader() {
      for (Schema writer : codec.writerSchemas()) {
        requireLeadingHeader(writer);
      }
    }

    /**
     * The header of a message; the body may still be unreadable, which only a decode finds.
     *
     * @throws DecodeException for a message whose single-object header is bad ({@link
     *     SingleObjectCodec#decode} would refuse it for the same reason) or whose header fields end
     *     early or are malformed
     */
    public TelemetryHeader read(byte[] message) throws DecodeException {
      codec.writerSchema(message);
      Cursor at = new Cursor(message, SingleObjectCodec.HEADER_LENGTH);
      long length = at.varLong("hostId's length");
      if (length < 0) {
        throw new DecodeException(Reason.CORRUPT, "hostId has a negative length " + length);
      }
      if (length > message.length - at.position) {
        throw new DecodeException(
            Reason.TRUNCATED,
            "hostId of "
                + length
                + " bytes runs past the end of the "
                + message.length
                + "-byte message");
      }
      // As Avro reads a string: UTF-8, malformed sequences replaced.
      String hostId = new String(message, at.position, (int) length, StandardCharsets.UTF_8);
      at.position += (int) length;
      return new TelemetryHeader(
          hostId, at.varLong("bootId"), at.varLong("sequence"), at.varLong("eventTimeNanos"));
    }
  }

  /** Avro's zig-zag variable-length longs, checked against the message's end. */
  private static final class Cursor {
    private final byte[] bytes;
    private int position;

    Cursor(byte[] bytes, int position) {
      this.bytes = bytes;
      this.position = position;
    }

    long varLong(String field) throws DecodeException {
      long raw = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= bytes.length) {
          throw new DecodeException(Reason.TRUNCATED, "message ends inside the header's " + field);
        }
        int b = bytes[position++];
        raw |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return (raw >>> 1) ^ -(raw & 1);
        }
      }
      throw new DecodeException(
          Reason.CORRUPT, "the header's " + field + " is longer than 10 bytes");
    }
  }

  private static void requireLeadingHeader(Schema writer) {
    Schema header = writer.getFields().get(0).schema();
    boolean matches = header.getType() == Schema.Type.RECORD && header.getFields().size() >= 4;
    for (int i = 0; matches && i < LEADING_FIELDS.size(); i++) {
      Schema.Field field = header.getFields().get(i);
      matches =
          field.name().equals(LEADING_FIELDS.get(i))
              && field.schema().getType() == LEADING_TYPES.get(i);
    }
    if (!matches) {
      throw new IllegalStateException(
          "writer schema "
              + writer.getFullName()
              + " does not begin with a header of "
              + LEADING_FIELDS
              + ": TelemetryHeader cannot read it");
    }
  }
}
