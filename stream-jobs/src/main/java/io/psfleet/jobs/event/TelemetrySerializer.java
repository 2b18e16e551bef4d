package io.psfleet.jobs.event;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes {@link Telemetry} field by field, wherever Flink moves a decoded event between tasks (the
 * detection job itself keys the undecoded records, {@code RawTelemetry}, and decodes after the
 * keyBy). Flink's POJO serializer would do it through reflection, building each record through its
 * canonical constructor reflectively too; this one does the same work directly. The booleans share
 * one byte; strings go through {@link BulkStringSerializer} (Flink's {@code StringValue} format,
 * which also writes null, moved in bulk).
 *
 * <p>The format is versioned by {@link Snapshot}; a change of fields needs a new version. Format 2
 * appended the schema-v2 fields (version resource, working directory, logon, users, MD5, SHA-1,
 * IMPHASH, signature status) after {@code exitStatus}; format 3 appended a process access's granted
 * access and call trace (schema v3). State in an earlier format is read by {@link PastFormat} and
 * migrated.
 */
public final class TelemetrySerializer extends ImmutableSerializer<Telemetry> {
  public static final TelemetrySerializer INSTANCE = new TelemetrySerializer();
  private static final long serialVersionUID = 3L;
  private static final EventKind[] KINDS = EventKind.values();

  @Override
  public void serialize(Telemetry t, DataOutputView out) throws IOException {
    write(t, out, FORMAT_3);
  }

  @Override
  public Telemetry deserialize(DataInputView in) throws IOException {
    return read(in, FORMAT_3);
  }

  /** In {@code format}: the fields it had, the later ones left out. */
  static void write(Telemetry t, DataOutputView out, int format) throws IOException {
    BulkStringSerializer.write(t.hostId(), out);
    out.writeLong(t.bootId());
    out.writeLong(t.sequence());
    out.writeLong(t.timeNanos());
    out.writeByte(t.kind().ordinal());
    out.writeInt(t.processId());
    out.writeLong(t.processKey());
    BulkStringSerializer.write(t.image(), out);
    BulkStringSerializer.write(t.commandLine(), out);
    BulkStringSerializer.write(t.user(), out);
    BulkStringSerializer.write(t.integrityLevel(), out);
    out.writeLong(t.parentKey());
    out.writeInt(t.parentProcessId());
    BulkStringSerializer.write(t.parentImage(), out);
    BulkStringSerializer.write(t.parentCommandLine(), out);
    out.writeLong(t.creatorKey());
    out.writeInt(t.creatorProcessId());
    BulkStringSerializer.write(t.creatorImage(), out);
    out.writeInt(t.creationStatus());
    BulkStringSerializer.write(t.imageLoaded(), out);
    BulkStringSerializer.write(t.sha256(), out);
    BulkStringSerializer.write(t.signer(), out);
    out.writeInt(t.signatureLevel());
    out.writeInt(t.threadId());
    out.writeLong(t.sourceKey());
    out.writeInt(t.sourceProcessId());
    BulkStringSerializer.write(t.sourceImage(), out);
    out.writeLong(t.startAddress());
    BulkStringSerializer.write(t.startModule(), out);
    BulkStringSerializer.write(t.startFunction(), out);
    out.writeInt(t.exitStatus());
    if (format >= FORMAT_2) {
      writeV2(t, out);
    }
    if (format >= FORMAT_3) {
      out.writeInt(t.grantedAccess());
      BulkStringSerializer.write(t.callTrace(), out);
    }
    out.writeByte(
        (t.signed() ? 1 : 0)
            | (t.systemModeImage() ? 2 : 0)
            | (t.remoteThread() ? 4 : 0)
            | (t.initialThread() ? 8 : 0));
  }

  private static void writeV2(Telemetry t, DataOutputView out) throws IOException {
    BulkStringSerializer.write(t.originalFileName(), out);
    BulkStringSerializer.write(t.description(), out);
    BulkStringSerializer.write(t.product(), out);
    BulkStringSerializer.write(t.company(), out);
    BulkStringSerializer.write(t.fileVersion(), out);
    BulkStringSerializer.write(t.currentDirectory(), out);
    out.writeLong(t.logonId());
    BulkStringSerializer.write(t.logonGuid(), out);
    BulkStringSerializer.write(t.parentUser(), out);
    out.writeInt(t.terminalSessionId());
    BulkStringSerializer.write(t.md5(), out);
    BulkStringSerializer.write(t.sha1(), out);
    BulkStringSerializer.write(t.imphash(), out);
    BulkStringSerializer.write(t.signatureStatus(), out);
    BulkStringSerializer.write(t.sourceUser(), out);
  }

  /** Reads {@code format}; the fields it did not have are null or 0. */
  static Telemetry read(DataInputView in, int format) throws IOException {
    boolean v2 = format >= FORMAT_2;
    String hostId = BulkStringSerializer.read(in);
    long bootId = in.readLong();
    long sequence = in.readLong();
    long timeNanos = in.readLong();
    EventKind kind = KINDS[in.readByte()];
    int processId = in.readInt();
    long processKey = in.readLong();
    String image = BulkStringSerializer.read(in);
    String commandLine = BulkStringSerializer.read(in);
    String user = BulkStringSerializer.read(in);
    String integrityLevel = BulkStringSerializer.read(in);
    long parentKey = in.readLong();
    int parentProcessId = in.readInt();
    String parentImage = BulkStringSerializer.read(in);
    String parentCommandLine = BulkStringSerializer.read(in);
    long creatorKey = in.readLong();
    int creatorProcessId = in.readInt();
    String creatorImage = BulkStringSerializer.read(in);
    int creationStatus = in.readInt();
    String imageLoaded = BulkStringSerializer.read(in);
    String sha256 = BulkStringSerializer.read(in);
    String signer = BulkStringSerializer.read(in);
    int signatureLevel = in.readInt();
    int threadId = in.readInt();
    long sourceKey = in.readLong();
    int sourceProcessId = in.readInt();
    String sourceImage = BulkStringSerializer.read(in);
    long startAddress = in.readLong();
    String startModule = BulkStringSerializer.read(in);
    String startFunction = BulkStringSerializer.read(in);
    int exitStatus = in.readInt();
    String originalFileName = v2 ? BulkStringSerializer.read(in) : null;
    String description = v2 ? BulkStringSerializer.read(in) : null;
    String product = v2 ? BulkStringSerializer.read(in) : null;
    String company = v2 ? BulkStringSerializer.read(in) : null;
    String fileVersion = v2 ? BulkStringSerializer.read(in) : null;
    String currentDirectory = v2 ? BulkStringSerializer.read(in) : null;
    long logonId = v2 ? in.readLong() : 0;
    String logonGuid = v2 ? BulkStringSerializer.read(in) : null;
    String parentUser = v2 ? BulkStringSerializer.read(in) : null;
    int terminalSessionId = v2 ? in.readInt() : 0;
    String md5 = v2 ? BulkStringSerializer.read(in) : null;
    String sha1 = v2 ? BulkStringSerializer.read(in) : null;
    String imphash = v2 ? BulkStringSerializer.read(in) : null;
    String signatureStatus = v2 ? BulkStringSerializer.read(in) : null;
    String sourceUser = v2 ? BulkStringSerializer.read(in) : null;
    int grantedAccess = format >= FORMAT_3 ? in.readInt() : 0;
    String callTrace = format >= FORMAT_3 ? BulkStringSerializer.read(in) : null;
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
        exitStatus,
        originalFileName,
        description,
        product,
        company,
        fileVersion,
        currentDirectory,
        logonId,
        logonGuid,
        parentUser,
        terminalSessionId,
        md5,
        sha1,
        imphash,
        signatureStatus,
        sourceUser,
        grantedAccess,
        callTrace);
  }

  @Override
  public TypeSerializerSnapshot<Telemetry> snapshotConfiguration() {
    return new Snapshot(FORMAT_3);
  }

  static final int FORMAT_1 = 1;
  static final int FORMAT_2 = 2;
  static final int FORMAT_3 = 3;

  /**
   * Reads and writes an earlier format: what state written by an earlier release holds. Only a
   * restore uses it, to migrate that state to the current format.
   */
  public static final class PastFormat extends ImmutableSerializer<Telemetry> {
    private static final long serialVersionUID = 1L;
    private final int format;

    PastFormat(int format) {
      this.format = format;
    }

    @Override
    public void serialize(Telemetry t, DataOutputView out) throws IOException {
      write(t, out, format);
    }

    @Override
    public Telemetry deserialize(DataInputView in) throws IOException {
      return read(in, format);
    }

    @Override
    public TypeSerializerSnapshot<Telemetry> snapshotConfiguration() {
      return new Snapshot(format);
    }

    // TypeSerializerSingleton's equality is by class; formats differ.
    @Override
    public boolean equals(Object o) {
      return o instanceof PastFormat other && other.format == format;
    }

    @Override
    public int hashCode() {
      return format;
    }
  }

  /**
   * The format a serializer wrote. Snapshot version 3 is what the first release wrote through
   * Flink's SimpleTypeSerializerSnapshot (an empty body): format 1. From version 4 the body is the
   * format number. State in an earlier format is read with {@link PastFormat} and migrated.
   */
  public static final class Snapshot implements TypeSerializerSnapshot<Telemetry> {
    private static final int VERSION = 4;
    private int format;

    /** For Flink, which reads the format afterwards. */
    public Snapshot() {
      this(FORMAT_3);
    }

    Snapshot(int format) {
      this.format = format;
    }

    int format() {
      return format;
    }

    @Override
    public int getCurrentVersion() {
      return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeByte(format);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
        throws IOException {
      format = readVersion < VERSION ? FORMAT_1 : in.readByte();
      if (format < FORMAT_1 || format > FORMAT_3) {
        throw new IOException("unknown Telemetry serializer format " + format);
      }
    }

    @Override
    public TypeSerializer<Telemetry> restoreSerializer() {
      return format == FORMAT_3 ? INSTANCE : new PastFormat(format);
    }

    @Override
    public TypeSerializerSchemaCompatibility<Telemetry> resolveSchemaCompatibility(
        TypeSerializerSnapshot<Telemetry> oldSnapshot) {
      if (!(oldSnapshot instanceof Snapshot old)) {
        return TypeSerializerSchemaCompatibility.incompatible();
      }
      if (old.format == format) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
      }
      return old.format < format
          ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
