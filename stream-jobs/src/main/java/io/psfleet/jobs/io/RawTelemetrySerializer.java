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
 */
public final class RawTelemetrySerializer extends ImmutableSerializer<RawTelemetry> {
  public static final RawTelemetrySerializer INSTANCE = new RawTelemetrySerializer();
  private static final long serialVersionUID = 1L;

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
    return new RawTelemetry(
        BulkStringSerializer.read(in),
        BulkStringSerializer.read(in),
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
      super(() -> INSTANCE);
    }
  }
}
