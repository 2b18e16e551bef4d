package io.psfleet.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TelemetrySerializerTest {
  private static Telemetry roundTrip(Telemetry t) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(256);
    TelemetrySerializer.INSTANCE.serialize(t, out);
    Telemetry back =
        TelemetrySerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    DataOutputSerializer copied = new DataOutputSerializer(256);
    TelemetrySerializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
    assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    return back;
  }

  @Test
  void everyFieldSurvivesARoundTrip() throws Exception {
    Telemetry full =
        new Telemetry(
            "host-000001",
            7,
            42,
            1_795_507_200_000_000_000L,
            EventKind.THREAD_CREATE,
            1200,
            -5L,
            "C:\\a.exe",
            "a /x",
            "CORP\\bob",
            "HIGH",
            9L,
            800,
            "C:\\p.exe",
            "p /y",
            11L,
            804,
            "C:\\c.exe",
            0xC0000022,
            "C:\\m.dll",
            "ab12",
            true,
            "Microsoft Windows",
            12,
            true,
            1204,
            13L,
            808,
            "C:\\s.exe",
            0x7ff8_0000_1000L,
            "C:\\k.dll",
            "LoadLibraryW",
            true,
            false,
            3,
            "Cmd.Exe",
            "Windows Command Processor",
            "Microsoft\u00ae Windows\u00ae Operating System",
            "Microsoft Corporation",
            "10.0.19041.4355 (WinBuild.160101.0800)",
            "C:\\Users\\bob\\",
            0x3b5cb2L,
            "{0197231E-B736-6923-B25C-3B0000000000}",
            "CORP\\bob",
            1,
            "0011",
            "2233",
            "4455",
            "VALID",
            "CORP\\eve",
            0x1410,
            "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e");

    assertThat(roundTrip(full)).isEqualTo(full);
  }

  @Test
  void nullStringsAndFalseFlagsSurviveToo() throws Exception {
    Telemetry sparse =
        new Telemetry(
            "h",
            1,
            1,
            1,
            EventKind.THREAD_EXIT,
            4,
            0,
            null,
            null,
            null,
            null,
            0,
            0,
            null,
            null,
            0,
            0,
            null,
            0,
            null,
            null,
            false,
            null,
            0,
            false,
            8,
            0,
            0,
            null,
            0,
            null,
            null,
            false,
            true,
            0);

    assertThat(roundTrip(sparse)).isEqualTo(sparse);
  }

  @Test
  void stateOfTheFirstReleaseIsReadAndMigrated() throws Exception {
    // The first release wrote its snapshot through SimpleTypeSerializerSnapshot: version 3, no
    // body. Such state holds format 1, which PastFormat reads into a Telemetry without v2 fields.
    Telemetry v1 = Telemetry.processExit("h", 1, 2, 3, 4, 5L, "C:\\a.exe", 0xC000013A);
    DataOutputSerializer old = new DataOutputSerializer(128);
    new TelemetrySerializer.PastFormat(TelemetrySerializer.FORMAT_1).serialize(v1, old);
    TelemetrySerializer.Snapshot restored = new TelemetrySerializer.Snapshot();
    restored.readSnapshot(3, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());

    Telemetry back =
        restored.restoreSerializer().deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));
    TypeSerializerSchemaCompatibility<Telemetry> compatibility =
        TelemetrySerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(restored);

    assertThat(back).isEqualTo(v1);
    assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
  }

  @Test
  void stateOfFormat2IsReadWithoutProcessAccessFieldsAndMigrated() throws Exception {
    Telemetry v2 =
        withUser(Telemetry.processExit("h", 1, 2, 3, 4, 5L, "C:\\a.exe", 0), "CORP\\bob");
    DataOutputSerializer old = new DataOutputSerializer(128);
    new TelemetrySerializer.PastFormat(TelemetrySerializer.FORMAT_2).serialize(v2, old);
    DataOutputSerializer snapshot = new DataOutputSerializer(16);
    TypeSerializerSnapshot.writeVersionedSnapshot(
        snapshot,
        new TelemetrySerializer.PastFormat(TelemetrySerializer.FORMAT_2).snapshotConfiguration());
    TypeSerializerSnapshot<Telemetry> restored =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(snapshot.getCopyOfBuffer()), getClass().getClassLoader());

    Telemetry back =
        restored.restoreSerializer().deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));

    assertThat(back).isEqualTo(v2);
    assertThat(
            TelemetrySerializer.INSTANCE
                .snapshotConfiguration()
                .resolveSchemaCompatibility(restored)
                .isCompatibleAfterMigration())
        .isTrue();
  }

  /** {@code e} with a v2 field set, so that format 2's fields are in play. */
  private static Telemetry withUser(Telemetry e, String sourceUser) {
    return new Telemetry(
        e.hostId(),
        e.bootId(),
        e.sequence(),
        e.timeNanos(),
        e.kind(),
        e.processId(),
        e.processKey(),
        e.image(),
        null,
        null,
        null,
        0,
        0,
        null,
        null,
        0,
        0,
        null,
        0,
        null,
        null,
        false,
        null,
        0,
        false,
        0,
        0,
        0,
        null,
        0,
        null,
        null,
        false,
        false,
        e.exitStatus(),
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        null,
        null,
        0,
        null,
        null,
        null,
        null,
        sourceUser,
        0,
        null);
  }

  @Test
  void currentSnapshotRoundTripsAndIsCompatibleAsIs() throws Exception {
    TypeSerializerSnapshot<Telemetry> current =
        TelemetrySerializer.INSTANCE.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(16);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, current);
    TypeSerializerSnapshot<Telemetry> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    assertThat(read.restoreSerializer()).isSameAs(TelemetrySerializer.INSTANCE);
    assertThat(current.resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
  }
}
