package io.psfleet.agent.sensor;

import java.nio.charset.StandardCharsets;

/**
 * Process keys (Sysmon's ProcessGuid): a 64-bit value derived from (host, boot, pid, create time),
 * so two processes that share a pid, one after the other, never share a key.
 */
public final class ProcessKeys {
  private ProcessKeys() {}

  /** A stable 64-bit salt for a host id; computed once per sensor. */
  public static long hostSalt(String hostId) {
    long h = 0xcbf29ce484222325L; // FNV-1a, then mixed
    for (byte b : hostId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return mix(h);
  }

  /** The key of the process with {@code processId} created at {@code createTimeFileTime}. */
  public static long processKey(
      long hostSalt, long bootId, int processId, long createTimeFileTime) {
    long h = mix(hostSalt ^ bootId);
    h = mix(h ^ createTimeFileTime);
    return mix(h ^ Integer.toUnsignedLong(processId));
  }

  /** Stafford's variant 13 of the SplitMix64 finaliser: every input bit moves every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
