package io.psfleet.winevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Substitution values rendered as evtx_dump renders them (the rules of the module README). */
class BinXmlValuesTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final List<int[]> slots = new ArrayList<>();

  private int add(int type, byte[] value) {
    slots.add(new int[] {type, bytes.size(), value.length});
    bytes.writeBytes(value);
    return slots.size() - 1;
  }

  private int add(int type, String hex) {
    return add(type, HexFormat.of().parseHex(hex));
  }

  private String[] renderAll(boolean trim) {
    byte[] b = bytes.toByteArray();
    int n = slots.size();
    BinXml.Values v =
        new BinXml.Values(
            slots.stream().mapToInt(s -> s[0]).toArray(),
            slots.stream().mapToInt(s -> s[1]).toArray(),
            slots.stream().mapToInt(s -> s[2]).toArray());
    BinXml xml = new BinXml(b, b.length, trim);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = xml.render(v, i);
    }
    return out;
  }

  @Test
  void scalarTypesRenderAsEvtxDumpDoes() {
    add(0x01, "C:\\x.exe  \0".getBytes(StandardCharsets.UTF_16LE));
    add(0x02, "ansi\0".getBytes(StandardCharsets.ISO_8859_1));
    add(0x03, "ff");
    add(0x04, "ff");
    add(0x05, "feff");
    add(0x06, "feff");
    add(0x07, "ffffffff");
    add(0x08, "ffffffff");
    add(0x09, "ffffffffffffffff");
    add(0x0a, "ffffffffffffffff");
    add(0x0b, "0000c03f"); // 1.5f
    add(0x0c, "9a9999999999b93f"); // 0.1
    add(0x0d, "01000000");
    add(0x0e, "00ab10");
    add(0x0f, "5f387057" + "2ac2" + "e043" + "bf4c06f5698ffbd9");
    add(0x11, "a04893db3c60dc01");
    add(0x12, "e9070b00050001000800100014000300");
    add(0x13, "010500000000000515000000a1b2c3d4e5f6a7b8c9d0e1f2f4010000");
    add(0x14, "0f000000");
    add(0x15, "0000000000000080");
    add(0x00, "");

    String[] r = renderAll(true);

    assertThat(r)
        .containsExactly(
            "C:\\x.exe",
            "ansi",
            "-1",
            "255",
            "-2",
            "65534",
            "-1",
            "4294967295",
            "-1",
            "18446744073709551615",
            "1.5",
            "0.1",
            "true",
            "00AB10",
            "5770385F-C22A-43E0-BF4C-06F5698FFBD9",
            "2025-11-28T07:59:01.243920Z",
            "2025-11-01T08:16:20.003000Z",
            "S-1-5-21-3569595041-3098015461-4074885321-500",
            "0xf",
            "0x8000000000000000",
            "");
  }

  @Test
  void stringsKeepTrailingSpaceWhenAsked() {
    add(0x01, "\"cmd.exe\" \0".getBytes(StandardCharsets.UTF_16LE));
    assertThat(renderAll(false)).containsExactly("\"cmd.exe\" ");
  }

  @Test
  void arraysRenderCommaSeparated() {
    add(0x81, "a\0bc\0".getBytes(StandardCharsets.UTF_16LE));
    add(0x88, "0100000002000000");
    add(0x94, "0a000000ff000000");
    assertThat(renderAll(true)).containsExactly("a,bc", "1,2", "0xa,0xff");
  }

  @Test
  void valuesTooShortForTheirTypeRenderAsHex() {
    add(0x0f, "0102");
    add(0x15, "01");
    assertThat(renderAll(true)).containsExactly("0102", "01");
  }
}
