package io.psfleet.jobs.io;

import io.psfleet.jobs.event.BulkStringSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link RawTelemetry} for the keyBy: the two texts, the coordinates, and the key and
 * value as length-prefixed bytes (-1 for null), copied in bulk. Never in state.
 */
public final class RawTelemetrySerializer extends TypeSerializerSingleton<RawTelemetry> {
  public static final RawTelemetrySerializer INSTANCE = new RawTelemetrySerializer();
  private static final long serialVersionUID = 1L;

  @Override
  public boolean isImmutableType() {
    return true; // the job never changes a record's arrays after the source made it
  }

  @Override
  public RawTelemetry createInstance() {
    return null;
  }

  @Override
  public RawTelemetry copy(RawTelemetry from) {
    return from;
  }

  @Override
  public RawTelemetry copy(RawTelemetry from, RawTelemetry reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
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
  public RawTelemetry deserialize(RawTelemetry reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
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
