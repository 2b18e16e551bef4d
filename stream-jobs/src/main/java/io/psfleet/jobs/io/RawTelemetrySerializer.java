package io.psfleet.jobs.io;

import io.psfleet.jobs.event.BulkStringSerializer;
import io.psfleet.jobs.event.ImmutableSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link RawTelemetry} for the keyBy: the two texts, the coordinates, and the key and
 * value as length-prefixed bytes (-1 for null), copied in bulk. Never in state.
 *
 * <p>Stateful, so duplicated for each thread: it reads through a {@link
 * BulkStringSerializer.Reader} of its own that hands out one instance per host id and topic, which
 * every record carries.
 */
public final class RawTelemetrySerializer extends ImmutableSerializer<RawTelemetry> {
  private static final long serialVersionUID = 1L;

  /** Host ids and topics a reader keeps: a fleet's hosts beyond it cost a compare and a string. */
  static final int INTERNED_TEXTS = 16384;

  private transient BulkStringSerializer.Reader texts;

  @Override
  public RawTelemetrySerializer duplicate() {
    return new RawTelemetrySerializer();
  }

  @Override
  public void serialize(RawTelemetry r, DataOutputView out) throws IOException {
    BulkStringSerializer.write(r.hostId(), out);
    BulkStringSerializer.write(r.topic(), out);
    out.writeInt(r.partition());
    out.writeLong(r.offset());
    out.writeLong(r.timestamp());
    writeBytes(r.key(), out);
    writeBytes(r.value(), out);
  }

  @Override
  public RawTelemetry deserialize(DataInputView in) throws IOException {
    if (texts == null) {
      texts = new BulkStringSerializer.Reader(INTERNED_TEXTS);
    }
    return new RawTelemetry(
        texts.read(in),
        texts.read(in),
        in.readInt(),
        in.readLong(),
        in.readLong(),
        readBytes(in),
        readBytes(in));
  }

  @Override
  public TypeSerializerSnapshot<RawTelemetry> snapshotConfiguration() {
    return new Snapshot();
  }

  private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
    if (bytes == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  /** The format has one version; restoring needs no configuration. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawTelemetry> {
    public Snapshot() {
      super(RawTelemetrySerializer::new);
    }
  }
}
