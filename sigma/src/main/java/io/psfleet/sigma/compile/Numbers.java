package io.psfleet.sigma.compile;

/** Number parsing for field text without exceptions on the matching path. */
final class Numbers {
  private Numbers() {}

  /** True for an optionally signed decimal integer of at most 18 digits. */
  static boolean isLong(String s) {
    int n = s.length();
    int i = 0;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      i = 1;
    }
    if (i == n || n - i > 18) {
      return false;
    }
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The value of a string for which {@link #isLong} holds. */
  static long longValue(String s) {
    int i = 0;
    boolean neg = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    long v = 0;
    for (; i < s.length(); i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return neg ? -v : v;
  }

  /** A YAML integer (decimal, 0x hex, 0o octal), or null. */
  static Long parseLongOrNull(String s) {
    String t = s.replace("_", "");
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseLong(t.substring(2), 16);
      }
      if (t.startsWith("0o")) {
        return Long.parseLong(t.substring(2), 8);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A decimal number, or NaN. */
  static double parseDouble(String s) {
    int n = s.length();
    if (n == 0 || n > 40) {
      return Double.NaN;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return Double.NaN;
      }
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
