package io.psfleet.jobs.event;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes {@link Telemetry} field by field. Every event crosses the network once (the keyBy by
 * host), and Flink's POJO serializer does that through reflection, building each record through its
 * canonical constructor reflectively too; this one does the same work directly. The booleans share
 * one byte; strings go through {@link StringValue}, which also writes null.
 *
 * <p>The format is versioned by {@link Snapshot}; a change of fields needs a new version.
 */
public final class TelemetrySerializer extends TypeSerializerSingleton<Telemetry> {
  public static final TelemetrySerializer INSTANCE = new TelemetrySerializer();
  private static final long serialVersionUID = 1L;
  private static final EventKind[] KINDS = EventKind.values();

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public Telemetry createInstance() {
    return null;
  }

  @Override
  public Telemetry copy(Telemetry from) {
    return from;
  }

  @Override
  public Telemetry copy(Telemetry from, Telemetry reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(Telemetry t, DataOutputView out) throws IOException {
    StringValue.writeString(t.hostId(), out);
    out.writeLong(t.bootId());
    out.writeLong(t.sequence());
    out.writeLong(t.timeNanos());
    out.writeByte(t.kind().ordinal());
    out.writeInt(t.processId());
    out.writeLong(t.processKey());
    StringValue.writeString(t.image(), out);
    StringValue.writeString(t.commandLine(), out);
    StringValue.writeString(t.user(), out);
    StringValue.writeString(t.integrityLevel(), out);
    out.writeLong(t.parentKey());
    out.writeInt(t.parentProcessId());
    StringValue.writeString(t.parentImage(), out);
    StringValue.writeString(t.parentCommandLine(), out);
    out.writeLong(t.creatorKey());
    out.writeInt(t.creatorProcessId());
    StringValue.writeString(t.creatorImage(), out);
    out.writeInt(t.creationStatus());
    StringValue.writeString(t.imageLoaded(), out);
    StringValue.writeString(t.sha256(), out);
    StringValue.writeString(t.signer(), out);
    out.writeInt(t.signatureLevel());
    out.writeInt(t.threadId());
    out.writeLong(t.sourceKey());
    out.writeInt(t.sourceProcessId());
    StringValue.writeString(t.sourceImage(), out);
    out.writeLong(t.startAddress());
    StringValue.writeString(t.startModule(), out);
    StringValue.writeString(t.startFunction(), out);
    out.writeInt(t.exitStatus());
    out.writeByte(
        (t.signed() ? 1 : 0)
            | (t.systemModeImage() ? 2 : 0)
            | (t.remoteThread() ? 4 : 0)
            | (t.initialThread() ? 8 : 0));
  }

  @Override
  public Telemetry deserialize(DataInputView in) throws IOException {
    String hostId = StringValue.readString(in);
    long bootId = in.readLong();
    long sequence = in.readLong();
    long timeNanos = in.readLong();
    EventKind kind = KINDS[in.readByte()];
    int processId = in.readInt();
    long processKey = in.readLong();
    String image = StringValue.readString(in);
    String commandLine = StringValue.readString(in);
    String user = StringValue.readString(in);
    String integrityLevel = StringValue.readString(in);
    long parentKey = in.readLong();
    int parentProcessId = in.readInt();
    String parentImage = StringValue.readString(in);
    String parentCommandLine = StringValue.readString(in);
    long creatorKey = in.readLong();
    int creatorProcessId = in.readInt();
    String creatorImage = StringValue.readString(in);
    int creationStatus = in.readInt();
    String imageLoaded = StringValue.readString(in);
    String sha256 = StringValue.readString(in);
    String signer = StringValue.readString(in);
    int signatureLevel = in.readInt();
    int threadId = in.readInt();
    long sourceKey = in.readLong();
    int sourceProcessId = in.readInt();
    String sourceImage = StringValue.readString(in);
    long startAddress = in.readLong();
    String startModule = StringValue.readString(in);
    String startFunction = StringValue.readString(in);
    int exitStatus = in.readInt();
    int flags = in.readByte();
    return new Telemetry(
        hostId,
        bootId,
        sequence,
        timeNanos,
        kind,
        processId,
        processKey,
        image,
        commandLine,
        user,
        integrityLevel,
        parentKey,
        parentProcessId,
        parentImage,
        parentCommandLine,
        creatorKey,
        creatorProcessId,
        creatorImage,
        creationStatus,
        imageLoaded,
        sha256,
        (flags & 1) != 0,
        signer,
        signatureLevel,
        (flags & 2) != 0,
        threadId,
        sourceKey,
        sourceProcessId,
        sourceImage,
        startAddress,
        startModule,
        startFunction,
        (flags & 4) != 0,
        (flags & 8) != 0,
        exitStatus);
  }

  @Override
  public Telemetry deserialize(Telemetry reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<Telemetry> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Version 1 of the format above. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Telemetry> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
