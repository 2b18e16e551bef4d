package io.psfleet.sigma.compile;

/**
 * How the engine lower-cases: char by char (so a value keeps its length), ASCII by arithmetic, the
 * rest by {@link Character#toLowerCase(char)}. Rules' literals are compared with values folded so,
 * whether a test reads the matcher's lower-cased copy of a field or folds the chars it compares.
 */
public final class CaseFold {
  private CaseFold() {}

  public static char lower(char c) {
    if (c < 128) {
      return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
    return Character.toLowerCase(c);
  }

  /**
   * {@code v[0, n)} lower-cased into {@code buf}, or into a larger buffer, returned, where it is
   * too short.
   */
  public static char[] lowerInto(String v, int n, char[] buf) {
    if (buf == null || buf.length < n) {
      buf = new char[Math.max(n, 64)];
    }
    v.getChars(0, n, buf, 0);
    for (int i = 0; i < n; i++) {
      buf[i] = lower(buf[i]);
    }
    return buf;
  }
}
