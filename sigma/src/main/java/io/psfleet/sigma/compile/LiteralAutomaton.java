package io.psfleet.sigma.compile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aho-Corasick automaton over lower-cased literals, each with the rule numbers it stands for.
 * Scanning reports every rule of every literal that occurs in the text, in one pass and without
 * allocation. Transitions are sorted per state (binary search, dense table at the root for ASCII);
 * outputs are reached through dictionary-suffix links so no output list is copied. Immutable.
 */
public final class LiteralAutomaton {
  /** Receives the rule numbers of literals found; may be called repeatedly for the same rule. */
  public interface Hits {
    void hit(int rule);
  }

  /** Dense transition rows cover at most this many entries (ints) per automaton. */
  static final int MAX_DENSE_ENTRIES = 1 << 18;

  private final byte[] asciiClass;
  private final int[] denseRow;
  private final int[] dense;
  private final int[] childStart;
  private final char[] childChar;
  private final int[] childNext;
  private final int[] fail;
  private final int[] dict;
  private final int[] outStart;
  private final int[] outRules;

  private LiteralAutomaton(
      byte[] asciiClass,
      int classes,
      int[] denseRow,
      int[] dense,
      int[] childStart,
      char[] childChar,
      int[] childNext,
      int[] fail,
      int[] dict,
      int[] outStart,
      int[] outRules) {
    this.asciiClass = asciiClass;
    this.denseRow = denseRow;
    this.dense = dense;
    this.childStart = childStart;
    this.childChar = childChar;
    this.childNext = childNext;
    this.fail = fail;
    this.dict = dict;
    this.outStart = outStart;
    this.outRules = outRules;
  }

  /** Builds the automaton; {@code literals} maps each (non-empty) literal to its rule numbers. */
  public static LiteralAutomaton build(Map<String, int[]> literals) {
    return build(literals, MAX_DENSE_ENTRIES);
  }

  /** As {@link #build(Map)} with at most {@code maxDense} dense transition entries (for tests). */
  static LiteralAutomaton build(Map<String, int[]> literals, int maxDense) {
    Map<Long, Integer> edges = new HashMap<>();
    List<List<Integer>> children = new ArrayList<>();
    List<int[]> outputs = new ArrayList<>();
    List<Character> labels = new ArrayList<>();
    children.add(new ArrayList<>());
    outputs.add(null);
    labels.add('\0');
    for (Map.Entry<String, int[]> e : literals.entrySet()) {
      String lit = e.getKey();
      if (lit.isEmpty()) {
        continue;
      }
      int s = 0;
      for (int i = 0; i < lit.length(); i++) {
        char c = lit.charAt(i);
        long key = ((long) s << 16) | c;
        Integer t = edges.get(key);
        if (t == null) {
          t = children.size();
          edges.put(key, t);
          children.add(new ArrayList<>());
          outputs.add(null);
          labels.add(c);
          children.get(s).add(t);
        }
        s = t;
      }
      int[] prev = outputs.get(s);
      outputs.set(s, prev == null ? e.getValue().clone() : concat(prev, e.getValue()));
    }
    int n = children.size();
    int[] fail = new int[n];
    int[] dict = new int[n];
    Arrays.fill(dict, -1);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    List<Integer> bfs = new ArrayList<>();
    bfs.add(0);
    for (int c : children.get(0)) {
      fail[c] = 0;
      queue.add(c);
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      bfs.add(s);
      for (int t : children.get(s)) {
        char c = labels.get(t);
        int f = fail[s];
        while (true) {
          Integer g = edges.get(((long) f << 16) | c);
          if (g != null && g != t) {
            fail[t] = g;
            break;
          }
          if (f == 0) {
            fail[t] = 0;
            break;
          }
          f = fail[f];
        }
        int ft = fail[t];
        dict[t] = outputs.get(ft) != null ? ft : dict[ft];
        queue.add(t);
      }
    }
    int[] childStart = new int[n + 1];
    char[] childChar = new char[n - 1 < 0 ? 0 : n - 1];
    int[] childNext = new int[childChar.length];
    int k = 0;
    for (int s = 0; s < n; s++) {
      childStart[s] = k;
      List<Integer> cs = new ArrayList<>(children.get(s));
      cs.sort((a, b) -> Character.compare(labels.get(a), labels.get(b)));
      for (int t : cs) {
        childChar[k] = labels.get(t);
        childNext[k] = t;
        k++;
      }
    }
    childStart[n] = k;
    // Dense rows (goto and fail resolved) for the shallow states, over classes of the ASCII
    // characters the literals use; class 0 (no literal has it) always leads back to the root.
    byte[] asciiClass = new byte[128];
    List<Character> reps = new ArrayList<>();
    reps.add('\0');
    for (int t = 1; t < n; t++) {
      char c = labels.get(t);
      if (c < 128 && asciiClass[c] == 0) {
        asciiClass[c] = (byte) reps.size();
        reps.add(c);
      }
    }
    int classes = reps.size();
    int[] denseRow = new int[n];
    Arrays.fill(denseRow, -1);
    int rows = Math.max(1, Math.min(n, maxDense / classes));
    int[] dense = new int[rows * classes];
    for (int r = 0; r < rows; r++) {
      int s = bfs.get(r);
      denseRow[s] = r * classes;
      for (int cl = 1; cl < classes; cl++) {
        Integer g = edges.get(((long) s << 16) | reps.get(cl));
        int t;
        if (g != null) {
          t = g;
        } else if (s == 0) {
          t = 0;
        } else {
          // fail[s] is shallower, so its row was filled before this one.
          t = dense[denseRow[fail[s]] + cl];
        }
        dense[r * classes + cl] = t;
      }
    }
    int[] outStart = new int[n + 1];
    int total = 0;
    for (int s = 0; s < n; s++) {
      outStart[s] = total;
      total += outputs.get(s) == null ? 0 : outputs.get(s).length;
    }
    outStart[n] = total;
    int[] outRules = new int[total];
    for (int s = 0; s < n; s++) {
      int[] o = outputs.get(s);
      if (o != null) {
        System.arraycopy(o, 0, outRules, outStart[s], o.length);
      }
    }
    return new LiteralAutomaton(
        asciiClass,
        classes,
        denseRow,
        dense,
        childStart,
        childChar,
        childNext,
        fail,
        dict,
        outStart,
        outRules);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  public int states() {
    return fail.length;
  }

  private int next(int s, char c) {
    int t = LiteralTrie.child(childStart, childChar, childNext, s, c);
    return t < 0 && s == 0 ? 0 : t;
  }

  /** Reports the rules of every literal occurring in {@code text[0, len)}. */
  public void scan(char[] text, int len, Hits hits) {
    int s = 0;
    for (int i = 0; i < len; i++) {
      char c = text[i];
      int row;
      if (c < 128 && (row = denseRow[s]) >= 0) {
        s = dense[row + asciiClass[c]];
      } else {
        int t;
        while ((t = next(s, c)) < 0) {
          s = fail[s];
        }
        s = t;
      }
      int o = outStart[s] != outStart[s + 1] ? s : dict[s];
      while (o > 0) {
        for (int k = outStart[o], end = outStart[o + 1]; k < end; k++) {
          hits.hit(outRules[k]);
        }
        o = dict[o];
      }
    }
  }
}
