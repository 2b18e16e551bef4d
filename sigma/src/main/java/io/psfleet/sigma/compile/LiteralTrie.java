package io.psfleet.sigma.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Many lower-cased literals of one kind (equal to, starts with, or ends with the value) tested in
 * one walk of a trie instead of one comparison each: SigmaHQ's long value lists ({@code
 * ImageLoaded|endswith} with hundreds of DLL names) then cost the length of the longest literal,
 * not the length of the list. Suffixes are kept reversed and walked from the value's end. Children
 * are sorted per node and found by binary search. Immutable.
 */
final class LiteralTrie {
  enum Kind {
    EXACT,
    PREFIX,
    SUFFIX
  }

  private final Kind kind;
  private final int[] childStart;
  private final char[] childChar;
  private final int[] childNext;
  private final boolean[] terminal;

  private LiteralTrie(
      Kind kind, int[] childStart, char[] childChar, int[] childNext, boolean[] terminal) {
    this.kind = kind;
    this.childStart = childStart;
    this.childChar = childChar;
    this.childNext = childNext;
    this.terminal = terminal;
  }

  static LiteralTrie of(Kind kind, List<char[]> literals) {
    List<TreeMap<Character, Integer>> children = new ArrayList<>();
    List<Boolean> ends = new ArrayList<>();
    children.add(new TreeMap<>());
    ends.add(false);
    for (char[] literal : literals) {
      int node = 0;
      for (int i = 0; i < literal.length; i++) {
        char c = kind == Kind.SUFFIX ? literal[literal.length - 1 - i] : literal[i];
        Integer next = children.get(node).get(c);
        if (next == null) {
          next = children.size();
          children.get(node).put(c, next);
          children.add(new TreeMap<>());
          ends.add(false);
        }
        node = next;
      }
      ends.set(node, true);
    }
    int n = children.size();
    int[] childStart = new int[n + 1];
    char[] childChar = new char[n - 1];
    int[] childNext = new int[n - 1];
    boolean[] terminal = new boolean[n];
    int k = 0;
    for (int node = 0; node < n; node++) {
      childStart[node] = k;
      for (var e : children.get(node).entrySet()) {
        childChar[k] = e.getKey();
        childNext[k] = e.getValue();
        k++;
      }
      terminal[node] = ends.get(node);
    }
    childStart[n] = k;
    return new LiteralTrie(kind, childStart, childChar, childNext, terminal);
  }

  /** Whether any literal matches the value {@code lower[0, len)} (len -1: the field is absent). */
  boolean matches(char[] lower, int len) {
    if (len < 0) {
      return false;
    }
    return switch (kind) {
      case EXACT -> exact(lower, len);
      case PREFIX -> affix(lower, 0, len, 1);
      case SUFFIX -> affix(lower, len - 1, len, -1);
    };
  }

  /** {@link #matches} on the raw value (null: absent), folding only the chars walked. */
  boolean matchesFolded(String raw) {
    if (raw == null) {
      return false;
    }
    int len = raw.length();
    int node = 0;
    if (kind != Kind.EXACT && terminal[0]) {
      return true;
    }
    for (int i = 0; i < len; i++) {
      char c = raw.charAt(kind == Kind.SUFFIX ? len - 1 - i : i);
      node = child(node, CaseFold.lower(c));
      if (node < 0) {
        return false;
      }
      if (kind != Kind.EXACT && terminal[node]) {
        return true;
      }
    }
    return terminal[node];
  }

  private boolean exact(char[] lower, int len) {
    int node = 0;
    for (int i = 0; i < len; i++) {
      node = child(node, lower[i]);
      if (node < 0) {
        return false;
      }
    }
    return terminal[node];
  }

  /** Walks {@code len} chars from {@code from} in direction {@code step}; true at any terminal. */
  private boolean affix(char[] lower, int from, int len, int step) {
    int node = 0;
    if (terminal[0]) {
      return true;
    }
    for (int i = 0, at = from; i < len; i++, at += step) {
      node = child(node, lower[at]);
      if (node < 0) {
        return false;
      }
      if (terminal[node]) {
        return true;
      }
    }
    return false;
  }

  private int child(int node, char c) {
    return child(childStart, childChar, childNext, node, c);
  }

  /**
   * The child of {@code node} on {@code c} in sorted per-node edge arrays (as this trie and {@link
   * LiteralAutomaton} keep them), or -1.
   */
  static int child(int[] childStart, char[] childChar, int[] childNext, int node, char c) {
    int lo = childStart[node];
    int hi = childStart[node + 1] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char m = childChar[mid];
      if (m < c) {
        lo = mid + 1;
      } else if (m > c) {
        hi = mid - 1;
      } else {
        return childNext[mid];
      }
    }
    return -1;
  }
}
