package io.psfleet.schema.sysmon;

import java.nio.charset.StandardCharsets;

/**
 * How psfleet's 64-bit process keys and logon sessions render as the GUIDs Sysmon writes, owned
 * here because the sensor writes {@code LogonGuid} and the jobs render {@code ProcessGuid}: both
 * must start with the same machine part.
 *
 * <p>Sysmon's GUIDs are {@code {Data1-Data2-Data3-Data4}}: Data1 is the same for every GUID of a
 * machine, Data2 and Data3 hold a Unix time in seconds (low and high 16 bits), and Data4 is 8 bytes
 * that for a LogonGuid are the logon id, little-endian ({@code 0x3b5cb2} gives {@code
 * B25C-3B0000000000}). A process key has no time of its own, so its high 32 bits take the time's
 * place and its low 32 bits the first 4 bytes of Data4; the rendering is a bijection on keys.
 */
public final class SysmonGuids {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SysmonGuids() {}

  /** Data1 of every GUID of the host {@code hostId}. */
  public static int machinePart(String hostId) {
    int h = 0x811c9dc5; // FNV-1a 32
    for (byte b : hostId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    return h;
  }

  /** {@code {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}} of a process key. */
  public static String processGuid(int machinePart, long processKey) {
    return render(machinePart, (int) (processKey >>> 32), (int) processKey, 0);
  }

  /** {@code LogonGuid} of the logon session {@code logonId} that began at {@code logonSeconds}. */
  public static String logonGuid(int machinePart, long logonSeconds, long logonId) {
    return render(machinePart, (int) logonSeconds, (int) logonId, (int) (logonId >>> 32));
  }

  /** The process key a {@link #processGuid} rendering came from. */
  public static long processKey(String guid) {
    String hex = guid.replace("{", "").replace("}", "").replace("-", "");
    long time = Long.parseLong(hex.substring(12, 16) + hex.substring(8, 12), 16);
    long low = Long.reverseBytes(Long.parseUnsignedLong(hex.substring(16, 24), 16) << 32);
    return (time << 32) | (low & 0xFFFF_FFFFL);
  }

  /**
   * Data2 = low 16 bits of {@code time}, Data3 = its high 16 bits, Data4 = {@code lowBytes} then
   * {@code highBytes}, each little-endian.
   */
  private static String render(int data1, int time, int lowBytes, int highBytes) {
    char[] c = new char[38];
    c[0] = '{';
    hex(c, 1, data1, 8);
    c[9] = '-';
    hex(c, 10, time & 0xFFFF, 4);
    c[14] = '-';
    hex(c, 15, time >>> 16, 4);
    c[19] = '-';
    int p = 20;
    for (int i = 0; i < 8; i++) {
      if (i == 2) {
        c[p++] = '-';
      }
      int b = i < 4 ? lowBytes >>> (8 * i) : highBytes >>> (8 * (i - 4));
      c[p++] = HEX[(b >>> 4) & 0xF];
      c[p++] = HEX[b & 0xF];
    }
    c[37] = '}';
    return new String(c);
  }

  private static void hex(char[] out, int at, int value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = HEX[value & 0xF];
      value >>>= 4;
    }
  }
}
