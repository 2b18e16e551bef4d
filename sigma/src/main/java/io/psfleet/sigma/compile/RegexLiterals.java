package io.psfleet.sigma.compile;

/**
 * Finds a literal that every match of a regular expression must contain, for the prefilter.
 * Conservative: only runs of plain characters at the top level (outside groups and classes) of a
 * regex without top-level alternation count; a character followed by {@code ?}, {@code *} or
 * {@code {} is dropped. Returns the longest such run lower-cased, or null.
 */
final class RegexLiterals {
  private RegexLiterals() {}

  static String required(String regex) {
    String best = "";
    StringBuilder run = new StringBuilder();
    int depth = 0;
    int n = regex.length();
    for (int i = 0; i < n; i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 >= n) {
          return null;
        }
        char d = regex.charAt(i + 1);
        i++;
        if (Character.isLetterOrDigit(d)) {
          if ("xpPQ0123456789".indexOf(d) >= 0) {
            return null;
          }
          // A class (\w, \d, \s), an anchor (\b, \A, \z) or a control escape (\n, \t): a break.
          best = longer(best, run);
          run.setLength(0);
        } else if (depth == 0) {
          if (quantifiedNext(regex, i + 1)) {
            best = longer(best, run);
            run.setLength(0);
          } else {
            run.append(d);
          }
        }
        continue;
      }
      if (c == '[') {
        // Skip the class: ']' right after '[' or '[^' is literal inside the class.
        int j = i + 1;
        if (j < n && regex.charAt(j) == '^') {
          j++;
        }
        if (j < n && regex.charAt(j) == ']') {
          j++;
        }
        while (j < n && regex.charAt(j) != ']') {
          if (regex.charAt(j) == '\\') {
            j++;
          }
          j++;
        }
        if (j >= n) {
          return null;
        }
        i = j;
        best = longer(best, run);
        run.setLength(0);
        continue;
      }
      if (c == '(') {
        depth++;
        best = longer(best, run);
        run.setLength(0);
        continue;
      }
      if (c == ')') {
        depth--;
        if (depth < 0) {
          return null;
        }
        continue;
      }
      if (depth > 0) {
        continue;
      }
      switch (c) {
        case '|' -> {
          return null;
        }
        case '.', '^', '$', '+' -> {
          best = longer(best, run);
          run.setLength(0);
        }
        case '*', '?', '{' -> {
          // The preceding character is optional or repeated from zero: drop it.
          if (run.length() > 0) {
            run.setLength(run.length() - 1);
          }
          best = longer(best, run);
          run.setLength(0);
          if (c == '{') {
            int close = regex.indexOf('}', i);
            if (close < 0) {
              return null;
            }
            i = close;
          }
        }
        default -> {
          if (quantifiedNext(regex, i + 1)) {
            best = longer(best, run);
            run.setLength(0);
          } else {
            run.append(c);
          }
        }
      }
    }
    if (depth != 0) {
      return null;
    }
    best = longer(best, run);
    return best.isEmpty() ? null : Glob.lower(best);
  }

  /** True where the character before {@code i} is made optional by a quantifier at {@code i}. */
  private static boolean quantifiedNext(String regex, int i) {
    if (i >= regex.length()) {
      return false;
    }
    char q = regex.charAt(i);
    return q == '*' || q == '?' || q == '{';
  }

  private static String longer(String best, StringBuilder run) {
    return run.length() > best.length() ? run.toString() : best;
  }
}
