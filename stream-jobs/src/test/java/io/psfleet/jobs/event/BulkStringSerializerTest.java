package io.psfleet.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class BulkStringSerializerTest {
  private static final String[] PIECES = {
    "C:\\Windows\\System32\\", "a", "", "\u00e9", "\u2013", "\uD83D\uDE00", "\u007f", "\u0080"
  };

  private static List<String> samples() {
    Random random = new Random(5);
    List<String> out = new ArrayList<>();
    out.add(null);
    out.add("");
    out.add("x".repeat(5000)); // past the per-thread read buffer
    out.add("\u00e9".repeat(3000));
    for (int i = 0; i < 500; i++) {
      StringBuilder b = new StringBuilder();
      int parts = random.nextInt(12);
      for (int p = 0; p < parts; p++) {
        b.append(PIECES[random.nextInt(PIECES.length)]);
      }
      out.add(b.toString());
    }
    return out;
  }

  @Test
  void writesTheBytesFlinksStringValueWrites() throws IOException {
    for (String s : samples()) {
      DataOutputSerializer ours = new DataOutputSerializer(64);
      DataOutputSerializer flinks = new DataOutputSerializer(64);
      BulkStringSerializer.write(s, ours);
      StringValue.writeString(s, flinks);
      assertThat(ours.getCopyOfBuffer()).as("'%s'", s).isEqualTo(flinks.getCopyOfBuffer());
    }
  }

  @Test
  void readsBackWhatItWroteFollowedByTheNextValue() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    List<String> samples = samples();
    for (String s : samples) {
      BulkStringSerializer.write(s, out);
      out.writeInt(0x5EED);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (String s : samples) {
      assertThat(BulkStringSerializer.read(in)).isEqualTo(s);
      assertThat(in.readInt()).as("the value after '%s'", s).isEqualTo(0x5EED);
    }
  }

  @Test
  void anInterningReaderReadsEveryTextAsWrittenAndRepeatsShortAsciiOnesAsOneInstance()
      throws IOException {
    List<String> samples = samples();
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (int pass = 0; pass < 2; pass++) {
      for (String s : samples) {
        BulkStringSerializer.write(s, out);
        out.writeInt(0x5EED);
      }
    }
    // Few slots: texts collide, and a slot holds whichever came last.
    BulkStringSerializer.Reader reader = new BulkStringSerializer.Reader(8);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (int pass = 0; pass < 2; pass++) {
      for (String s : samples) {
        assertThat(reader.read(in)).isEqualTo(s);
        assertThat(in.readInt()).as("the value after '%s'", s).isEqualTo(0x5EED);
      }
    }
    DataOutputSerializer twice = new DataOutputSerializer(64);
    BulkStringSerializer.write("host-000042", twice);
    BulkStringSerializer.write("host-000042", twice);
    DataInputDeserializer back = new DataInputDeserializer(twice.getCopyOfBuffer());
    assertThat(reader.read(back)).isSameAs(reader.read(back));
  }
}
