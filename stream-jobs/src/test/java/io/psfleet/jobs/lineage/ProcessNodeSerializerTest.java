package io.psfleet.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ProcessNodeSerializerTest {
  private static final ProcessNodeSerializer SERIALIZER = ProcessNodeSerializer.INSTANCE;

  private static ProcessNode node() {
    ProcessNode n = new ProcessNode();
    n.key = 42;
    n.processId = 4_412;
    n.image = "C:\\Windows\\System32\\cmd.exe";
    n.commandLine = "cmd.exe /c \"echo caf\u00e9 \u4e2d\"";
    n.user = null;
    n.parentKey = 7;
    n.creatorKey = 9;
    n.startNanos = 1_000;
    n.exitNanos = 2_000;
    n.placeholder = true;
    n.liveChildren = 3;
    n.touchedNanos = 3_000;
    n.ancestry = new Ancestor[] {new Ancestor(7, 4, "C:\\explorer.exe", "explorer.exe", false)};
    n.ancestryStamp = 5;
    return n;
  }

  private static ProcessNode roundTrip(ProcessNode n) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(n, out);
    return SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void everyFieldButTheCachedAncestrySurvivesACheckpoint() throws Exception {
    ProcessNode restored = roundTrip(node());

    assertThat(restored)
        .usingRecursiveComparison()
        .ignoringFields("ancestry", "ancestryStamp")
        .isEqualTo(node());
    assertThat(restored.ancestry).isNull();
  }

  @Test
  void aCopyInMemoryIsIndependentButSharesTheAncestryChain() {
    ProcessNode original = node();
    ProcessNode copy = SERIALIZER.copy(original);
    copy.liveChildren = 0;

    assertThat(original.liveChildren).isEqualTo(3);
    assertThat(copy).usingRecursiveComparison().ignoringFields("liveChildren").isEqualTo(original);
    assertThat(copy.ancestry).isSameAs(original.ancestry);
  }

  @Test
  void stateThePojoSerializerWroteIsMigratedAndOurOwnReadAsIs() {
    var pojo =
        TypeInformation.of(ProcessNode.class)
            .createSerializer(new SerializerConfigImpl())
            .snapshotConfiguration();
    var current = SERIALIZER.snapshotConfiguration();

    assertThat(current.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration()).isTrue();
    assertThat(current.resolveSchemaCompatibility(SERIALIZER.snapshotConfiguration()))
        .extracting(TypeSerializerSchemaCompatibility::isCompatibleAsIs)
        .isEqualTo(true);
  }

  @Test
  void stateOfTheFirstFormatIsReadWithItsOwnReaderAndMigrated() throws Exception {
    var first = new ProcessNodeSerializer.Snapshot();
    first.readSnapshot(1, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());

    assertThat(
            SERIALIZER
                .snapshotConfiguration()
                .resolveSchemaCompatibility(first)
                .isCompatibleAfterMigration())
        .isTrue();
    assertThat(first.restoreSerializer()).isNotEqualTo(SERIALIZER);
  }
}
