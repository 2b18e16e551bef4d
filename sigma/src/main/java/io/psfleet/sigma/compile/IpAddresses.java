package io.psfleet.sigma.compile;

/** IPv4/IPv6 literal parsing (no name lookups) and network membership for {@code |cidr}. */
final class IpAddresses {
  private IpAddresses() {}

  /** The address bytes (4 or 16), or null if {@code s} is not an IP literal. */
  static byte[] parse(String s) {
    if (s.indexOf(':') >= 0) {
      return parse6(s);
    }
    return parse4(s);
  }

  private static byte[] parse4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parse6(String s) {
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    byte[] out = new byte[16];
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    int[] h = groups(head);
    int[] t = groups(tail);
    if (h == null || t == null) {
      return null;
    }
    if (dbl < 0 && h.length != 8) {
      return null;
    }
    if (h.length + t.length > (dbl >= 0 ? 7 : 8)) {
      return null;
    }
    for (int i = 0; i < h.length; i++) {
      out[2 * i] = (byte) (h[i] >> 8);
      out[2 * i + 1] = (byte) h[i];
    }
    for (int i = 0; i < t.length; i++) {
      int k = 8 - t.length + i;
      out[2 * k] = (byte) (t[i] >> 8);
      out[2 * k + 1] = (byte) t[i];
    }
    return out;
  }

  private static int[] groups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        int d = Character.digit(p.charAt(j), 16);
        if (d < 0) {
          return null;
        }
        v = v * 16 + d;
      }
      out[i] = v;
    }
    return out;
  }

  static boolean inNetwork(byte[] ip, byte[] network, int prefix) {
    if (ip.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (ip[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (ip[full] & mask) == (network[full] & mask);
  }
}
