package io.psfleet.sigma.compile;

/**
 * Sigma strings with wildcards, encoded as Java strings where {@link #STAR} stands for an unescaped
 * {@code *} and {@link #ONE} for an unescaped {@code ?} (two private-use characters), so that
 * modifiers can work on them as plain strings.
 */
public final class Glob {
  public static final char STAR = '\uE000';
  public static final char ONE = '\uE001';

  private Glob() {}

  /**
   * Parses a Sigma string value: {@code *} and {@code ?} are wildcards; a backslash escapes {@code
   * *}, {@code ?} and itself; any other backslash is a plain character.
   */
  public static String parse(String s) {
    StringBuilder b = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char d = s.charAt(i + 1);
        if (d == '*' || d == '?' || d == '\\') {
          b.append(d);
          i++;
          continue;
        }
      }
      if (c == '*') {
        appendStar(b);
      } else if (c == '?') {
        b.append(ONE);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static void appendStar(StringBuilder b) {
    if (b.length() == 0 || b.charAt(b.length() - 1) != STAR) {
      b.append(STAR);
    }
  }

  public static boolean hasWildcards(String g) {
    return g.indexOf(STAR) >= 0 || g.indexOf(ONE) >= 0;
  }

  static String lower(String s) {
    char[] a = s.toCharArray();
    for (int i = 0; i < a.length; i++) {
      a[i] = Character.toLowerCase(a[i]);
    }
    return new String(a);
  }

  /** The longest wildcard-free run of the glob, or "" if none. */
  static String longestLiteral(String g) {
    int best = 0;
    int bestStart = 0;
    int start = 0;
    for (int i = 0; i <= g.length(); i++) {
      if (i == g.length() || g.charAt(i) == STAR || g.charAt(i) == ONE) {
        if (i - start > best) {
          best = i - start;
          bestStart = start;
        }
        start = i + 1;
      }
    }
    return g.substring(bestStart, bestStart + best);
  }

  /** Readable form for messages: wildcards shown as {@code *} and {@code ?}. */
  public static String show(String g) {
    return g.replace(STAR, '*').replace(ONE, '?');
  }

  /** Full glob match of {@code text[0, n)} against pattern {@code p}; iterative, no allocation. */
  static boolean matches(char[] p, char[] text, int n) {
    int m = p.length;
    int pi = 0;
    int ti = 0;
    int star = -1;
    int mark = 0;
    while (ti < n) {
      if (pi < m && (p[pi] == ONE || p[pi] == text[ti])) {
        pi++;
        ti++;
      } else if (pi < m && p[pi] == STAR) {
        star = pi++;
        mark = ti;
      } else if (star >= 0) {
        pi = star + 1;
        ti = ++mark;
      } else {
        return false;
      }
    }
    while (pi < m && p[pi] == STAR) {
      pi++;
    }
    return pi == m;
  }

  /** As {@link #matches(char[], char[], int)} over a string (case-sensitive matching). */
  static boolean matches(char[] p, String text) {
    int n = text.length();
    int m = p.length;
    int pi = 0;
    int ti = 0;
    int star = -1;
    int mark = 0;
    while (ti < n) {
      if (pi < m && (p[pi] == ONE || p[pi] == text.charAt(ti))) {
        pi++;
        ti++;
      } else if (pi < m && p[pi] == STAR) {
        star = pi++;
        mark = ti;
      } else if (star >= 0) {
        pi = star + 1;
        ti = ++mark;
      } else {
        return false;
      }
    }
    while (pi < m && p[pi] == STAR) {
      pi++;
    }
    return pi == m;
  }
}
