package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.BulkStringSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The process table's nodes in state: every field but the cached ancestry, in a fixed order, the
 * three texts in bulk ({@link BulkStringSerializer}). Flink's POJO serializer, which wrote them
 * before, moved each char of a string through one interface call and each field through reflection;
 * a checkpoint writes every node of every host, and the heap backend copies a node it hands out
 * while a snapshot runs, so both were the largest part of a checkpoint's CPU.
 *
 * <p>Formats: 2, the current one; 1 also kept two counts of each process's loaded modules, which no
 * detection read once the Sigma pack replaced the Java rules (and counting them made every image
 * load write its process's node back to state). State of format 1, or written by the POJO
 * serializer (releases before this one), is read with the serializer its snapshot restores and
 * migrated: {@link Snapshot#resolveSchemaCompatibility}.
 */
public final class ProcessNodeSerializer extends TypeSerializer<ProcessNode> {
  /** Reads and writes the current format. */
  public static final ProcessNodeSerializer INSTANCE = new ProcessNodeSerializer(Snapshot.VERSION);

  private static final long serialVersionUID = 1L;

  /** The format this instance reads (and writes: only the current one is ever written). */
  private final int format;

  private ProcessNodeSerializer(int format) {
    this.format = format;
  }

  /** A reader of format {@code format}, for state of earlier versions. */
  static ProcessNodeSerializer ofFormat(int format) {
    if (format < 1 || format > Snapshot.VERSION) {
      throw new IllegalArgumentException("unknown ProcessNode serializer version " + format);
    }
    return format == Snapshot.VERSION ? INSTANCE : new ProcessNodeSerializer(format);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProcessNodeSerializer other && other.format == format;
  }

  @Override
  public int hashCode() {
    return format;
  }

  @Override
  public TypeSerializer<ProcessNode> duplicate() {
    return this; // stateless
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public ProcessNode createInstance() {
    return new ProcessNode();
  }

  @Override
  public ProcessNode copy(ProcessNode from) {
    return copy(from, new ProcessNode());
  }

  @Override
  public ProcessNode copy(ProcessNode from, ProcessNode to) {
    to.key = from.key;
    to.processId = from.processId;
    to.image = from.image;
    to.commandLine = from.commandLine;
    to.user = from.user;
    to.parentKey = from.parentKey;
    to.creatorKey = from.creatorKey;
    to.startNanos = from.startNanos;
    to.exitNanos = from.exitNanos;
    to.placeholder = from.placeholder;
    to.liveChildren = from.liveChildren;
    to.touchedNanos = from.touchedNanos;
    // In memory only (the heap backend's copy-on-write): the cached chain is shared, since the
    // table replaces a node's ancestry array and never changes one.
    to.ancestry = from.ancestry;
    to.ancestryStamp = from.ancestryStamp;
    return to;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(ProcessNode n, DataOutputView out) throws IOException {
    out.writeLong(n.key);
    out.writeInt(n.processId);
    BulkStringSerializer.write(n.image, out);
    BulkStringSerializer.write(n.commandLine, out);
    BulkStringSerializer.write(n.user, out);
    out.writeLong(n.parentKey);
    out.writeLong(n.creatorKey);
    out.writeLong(n.startNanos);
    out.writeLong(n.exitNanos);
    out.writeBoolean(n.placeholder);
    out.writeInt(n.liveChildren);
    out.writeLong(n.touchedNanos);
  }

  @Override
  public ProcessNode deserialize(DataInputView in) throws IOException {
    return deserialize(new ProcessNode(), in);
  }

  @Override
  public ProcessNode deserialize(ProcessNode n, DataInputView in) throws IOException {
    n.key = in.readLong();
    n.processId = in.readInt();
    n.image = BulkStringSerializer.read(in);
    n.commandLine = BulkStringSerializer.read(in);
    n.user = BulkStringSerializer.read(in);
    n.parentKey = in.readLong();
    n.creatorKey = in.readLong();
    n.startNanos = in.readLong();
    n.exitNanos = in.readLong();
    n.placeholder = in.readBoolean();
    n.liveChildren = in.readInt();
    if (format == 1) {
      in.skipBytesToRead(8); // the module counts
    }
    n.touchedNanos = in.readLong();
    n.ancestry = null;
    n.ancestryStamp = 0;
    return n;
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<ProcessNode> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * The format's version. Restoring state of an earlier one (or that Flink's POJO serializer wrote)
   * is a migration: Flink reads it with the serializer the old snapshot restores and writes it with
   * this one.
   */
  public static final class Snapshot implements TypeSerializerSnapshot<ProcessNode> {
    private static final int VERSION = 2;

    /** The version of the state this snapshot describes: its own, or the one it was read as. */
    private int version = VERSION;

    @Override
    public int getCurrentVersion() {
      return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {}

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
        throws IOException {
      if (readVersion < 1 || readVersion > VERSION) {
        throw new IOException("unknown ProcessNode serializer version " + readVersion);
      }
      version = readVersion;
    }

    @Override
    public TypeSerializer<ProcessNode> restoreSerializer() {
      return ofFormat(version);
    }

    @Override
    public TypeSerializerSchemaCompatibility<ProcessNode> resolveSchemaCompatibility(
        TypeSerializerSnapshot<ProcessNode> oldSnapshot) {
      if (oldSnapshot instanceof Snapshot old) {
        return old.version == VERSION
            ? TypeSerializerSchemaCompatibility.compatibleAsIs()
            : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
      }
      if (oldSnapshot instanceof PojoSerializerSnapshot) {
        return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
      }
      return TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
