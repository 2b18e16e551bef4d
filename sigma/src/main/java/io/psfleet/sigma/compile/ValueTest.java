package io.psfleet.sigma.compile;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One value of a detection item, compiled: tests a field's text. {@code raw} is null where the
 * field is absent; {@code lower}/{@code len} are its char-wise lower-cased copy.
 */
public abstract class ValueTest {
  abstract boolean test(String raw, char[] lower, int len, EvalContext c);

  /** Whether {@link #testFolded} answers as {@link #test} does, from the raw text alone. */
  boolean folds() {
    return false;
  }

  /**
   * The test on the raw text (null where the field is absent), {@link CaseFold folding} only the
   * chars it compares; for tests that {@link #folds}.
   */
  boolean testFolded(String raw) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " reads lower-cased text");
  }

  /**
   * A lower-cased literal that every matching value contains, for the prefilter; null where there
   * is none (regex, numbers, null, ...).
   */
  String requiredLiteral() {
    return null;
  }

  /** Lists of at least this many literals of one kind are tested through a {@link LiteralTrie}. */
  static final int TRIE_MIN = 4;

  /**
   * The tests of a value list (any one may match), with every long run of equal-to, starts-with or
   * ends-with literals folded into one {@link LiteralTrie} test; other tests stay as they are.
   * Order does not matter: a list matches when any of its tests does.
   */
  static ValueTest[] anyOf(ValueTest[] tests) {
    Map<LiteralTrie.Kind, List<char[]>> byKind = new EnumMap<>(LiteralTrie.Kind.class);
    for (ValueTest t : tests) {
      LiteralTrie.Kind kind = trieKind(t);
      if (kind != null) {
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(((Literal) t).lit);
      }
    }
    byKind.values().removeIf(literals -> literals.size() < TRIE_MIN);
    if (byKind.isEmpty()) {
      return tests;
    }
    List<ValueTest> out = new ArrayList<>();
    for (var e : byKind.entrySet()) {
      out.add(new Trie(LiteralTrie.of(e.getKey(), e.getValue())));
    }
    for (ValueTest t : tests) {
      LiteralTrie.Kind kind = trieKind(t);
      if (kind == null || !byKind.containsKey(kind)) {
        out.add(t);
      }
    }
    return out.toArray(new ValueTest[0]);
  }

  private static LiteralTrie.Kind trieKind(ValueTest t) {
    if (t instanceof Exact) {
      return LiteralTrie.Kind.EXACT;
    } else if (t instanceof Prefix) {
      return LiteralTrie.Kind.PREFIX;
    } else if (t instanceof Suffix) {
      return LiteralTrie.Kind.SUFFIX;
    }
    return null;
  }

  /** Any of many literals of one kind, in one trie walk. */
  static final class Trie extends ValueTest {
    private final LiteralTrie trie;

    Trie(LiteralTrie trie) {
      this.trie = trie;
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      return trie.matches(lower, len);
    }

    @Override
    boolean folds() {
      return true;
    }

    @Override
    boolean testFolded(String raw) {
      return trie.matchesFolded(raw);
    }
  }

  /** Case-insensitive glob on the lower-cased value; literal-only shapes take a fast path. */
  static ValueTest glob(String glob) {
    String g = Glob.lower(glob);
    String lit = Glob.longestLiteral(g);
    String inner = g;
    boolean lead = inner.length() > 0 && inner.charAt(0) == Glob.STAR;
    if (lead) {
      inner = inner.substring(1);
    }
    boolean trail = inner.length() > 0 && inner.charAt(inner.length() - 1) == Glob.STAR;
    if (trail) {
      inner = inner.substring(0, inner.length() - 1);
    }
    if (!Glob.hasWildcards(inner)) {
      char[] l = inner.toCharArray();
      if (lead && trail) {
        return new Contains(l);
      } else if (lead) {
        return new Suffix(l);
      } else if (trail) {
        return new Prefix(l);
      }
      return new Exact(l);
    }
    if (inner.indexOf(Glob.ONE) < 0) {
      return new Segments(g, lead, trail, lit);
    }
    return new GlobTest(g.toCharArray(), lit);
  }

  /**
   * A glob of literal segments joined by {@code *} (no {@code ?}): anchored first and last
   * segments, leftmost search for the middle ones (which is exact for such globs).
   */
  static final class Segments extends ValueTest {
    private final char[] head;
    private final char[][] middle;
    private final char[] tail;
    private final String literal;

    Segments(String g, boolean lead, boolean trail, String literal) {
      String[] parts = g.split(String.valueOf(Glob.STAR), -1);
      int from = 0;
      int to = parts.length;
      head = lead ? new char[0] : parts[from++].toCharArray();
      tail = trail ? new char[0] : parts[--to].toCharArray();
      if (lead) {
        from = 1;
      }
      if (trail) {
        to = parts.length - 1;
      }
      List<char[]> mid = new ArrayList<>();
      for (int i = from; i < to; i++) {
        if (!parts[i].isEmpty()) {
          mid.add(parts[i].toCharArray());
        }
      }
      this.middle = mid.toArray(new char[0][]);
      this.literal = literal;
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (len < head.length + tail.length) {
        return false;
      }
      for (int i = 0; i < head.length; i++) {
        if (lower[i] != head[i]) {
          return false;
        }
      }
      int end = len - tail.length;
      for (int i = 0; i < tail.length; i++) {
        if (lower[end + i] != tail[i]) {
          return false;
        }
      }
      int pos = head.length;
      for (char[] m : middle) {
        int at = indexOf(lower, pos, end, m);
        if (at < 0) {
          return false;
        }
        pos = at + m.length;
      }
      return true;
    }

    @Override
    String requiredLiteral() {
      return literal.isEmpty() ? null : literal;
    }
  }

  /** First index in {@code [from, to)} where {@code lit} fits entirely, or -1. */
  static int indexOf(char[] text, int from, int to, char[] lit) {
    int m = lit.length;
    char first = lit[0];
    int last = to - m;
    outer:
    for (int i = from; i <= last; i++) {
      if (text[i] != first) {
        continue;
      }
      for (int j = 1; j < m; j++) {
        if (text[i + j] != lit[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static ValueTest casedGlob(String glob) {
    return new CasedGlob(glob.toCharArray(), Glob.lower(Glob.longestLiteral(glob)));
  }

  private abstract static class Literal extends ValueTest {
    final char[] lit;

    Literal(char[] lit) {
      this.lit = lit;
    }

    @Override
    String requiredLiteral() {
      return lit.length == 0 ? null : new String(lit);
    }

    /** Whether {@code raw}, folded, holds the literal at {@code at} (which the caller bounds). */
    final boolean foldedAt(String raw, int at) {
      for (int i = 0; i < lit.length; i++) {
        if (CaseFold.lower(raw.charAt(at + i)) != lit[i]) {
          return false;
        }
      }
      return true;
    }
  }

  static final class Exact extends Literal {
    Exact(char[] lit) {
      super(lit);
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (len != lit.length) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (lower[i] != lit[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    boolean folds() {
      return true;
    }

    @Override
    boolean testFolded(String raw) {
      return raw != null && raw.length() == lit.length && foldedAt(raw, 0);
    }
  }

  static final class Prefix extends Literal {
    Prefix(char[] lit) {
      super(lit);
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (len < lit.length) {
        return false;
      }
      for (int i = 0; i < lit.length; i++) {
        if (lower[i] != lit[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    boolean folds() {
      return true;
    }

    @Override
    boolean testFolded(String raw) {
      return raw != null && raw.length() >= lit.length && foldedAt(raw, 0);
    }
  }

  static final class Suffix extends Literal {
    Suffix(char[] lit) {
      super(lit);
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      int off = len - lit.length;
      if (off < 0) {
        return false;
      }
      for (int i = 0; i < lit.length; i++) {
        if (lower[off + i] != lit[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    boolean folds() {
      return true;
    }

    @Override
    boolean testFolded(String raw) {
      return raw != null && raw.length() >= lit.length && foldedAt(raw, raw.length() - lit.length);
    }
  }

  static final class Contains extends Literal {
    Contains(char[] lit) {
      super(lit);
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (len < 0) {
        return false;
      }
      return indexOf(lower, len, lit) >= 0;
    }
  }

  static int indexOf(char[] text, int len, char[] lit) {
    return indexOf(text, len, lit, lit.length);
  }

  static int indexOf(char[] text, int len, char[] lit, int m) {
    if (m == 0) {
      return 0;
    }
    char first = lit[0];
    int last = len - m;
    outer:
    for (int i = 0; i <= last; i++) {
      if (text[i] != first) {
        continue;
      }
      for (int j = 1; j < m; j++) {
        if (text[i + j] != lit[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static final class GlobTest extends ValueTest {
    private final char[] pattern;
    private final String literal;

    GlobTest(char[] pattern, String literal) {
      this.pattern = pattern;
      this.literal = literal;
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      return len >= 0 && Glob.matches(pattern, lower, len);
    }

    @Override
    String requiredLiteral() {
      return literal.isEmpty() ? null : literal;
    }
  }

  /** {@code |cased}: glob on the original text. */
  static final class CasedGlob extends ValueTest {
    private final char[] pattern;
    private final String literal;

    CasedGlob(char[] pattern, String literal) {
      this.pattern = pattern;
      this.literal = literal;
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      return raw != null && Glob.matches(pattern, raw);
    }

    @Override
    String requiredLiteral() {
      return literal.isEmpty() ? null : literal;
    }
  }

  /** {@code field: null}: the field is absent or empty. */
  static final class IsNull extends ValueTest {
    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      return raw == null || raw.isEmpty();
    }
  }

  /** {@code |re}: RE2 search (unanchored, as {@code find}). */
  static final class Regex extends ValueTest {
    private final Pattern pattern;
    private final int slot;

    private final String literal;
    private final char[] literalChars;

    Regex(Pattern pattern, int slot) {
      this.pattern = pattern;
      this.slot = slot;
      this.literal = RegexLiterals.required(pattern.pattern());
      this.literalChars = literal == null ? null : literal.toCharArray();
    }

    @Override
    String requiredLiteral() {
      return literal;
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (raw == null) {
        return false;
      }
      // Every match contains the literal: skip RE2 (and its allocation) where it is absent.
      if (literalChars != null && indexOf(lower, len, literalChars) < 0) {
        return false;
      }
      return c.regex(slot, pattern, raw).find();
    }
  }

  /** A plain number: equal as an integer, or equal as text (case-insensitive). */
  static final class NumberEquals extends ValueTest {
    private final long value;
    private final boolean integral;
    private final double dvalue;
    private final char[] text;

    NumberEquals(String text) {
      this.text = Glob.lower(text).toCharArray();
      Long l = Numbers.parseLongOrNull(text);
      this.integral = l != null;
      this.value = l == null ? 0 : l;
      this.dvalue = Numbers.parseDouble(text);
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (raw == null) {
        return false;
      }
      if (integral && Numbers.isLong(raw) && Numbers.longValue(raw) == value) {
        return true;
      }
      if (!integral && Numbers.parseDouble(raw) == dvalue) {
        return true;
      }
      return len == text.length && Arrays.equals(lower, 0, len, text, 0, len);
    }

    @Override
    String requiredLiteral() {
      return null;
    }
  }

  /** {@code |gt}, {@code |gte}, {@code |lt}, {@code |lte}. */
  static final class Compare extends ValueTest {
    enum Op {
      GT,
      GTE,
      LT,
      LTE
    }

    private final Op op;
    private final double value;

    Compare(Op op, double value) {
      this.op = op;
      this.value = value;
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (raw == null) {
        return false;
      }
      double v = Numbers.isLong(raw) ? Numbers.longValue(raw) : Numbers.parseDouble(raw);
      if (Double.isNaN(v)) {
        return false;
      }
      return switch (op) {
        case GT -> v > value;
        case GTE -> v >= value;
        case LT -> v < value;
        case LTE -> v <= value;
      };
    }
  }

  /** {@code |cidr}. */
  static final class Cidr extends ValueTest {
    private final byte[] network;
    private final int prefix;

    Cidr(byte[] network, int prefix) {
      this.network = network;
      this.prefix = prefix;
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (raw == null) {
        return false;
      }
      byte[] ip = IpAddresses.parse(raw.trim());
      return ip != null && IpAddresses.inNetwork(ip, network, prefix);
    }
  }

  /** {@code |fieldref}: compares with another field of the same event. */
  static final class FieldRef extends ValueTest {
    enum Mode {
      EQUALS,
      PREFIX,
      SUFFIX,
      CONTAINS
    }

    private final int other;
    private final Mode mode;
    private final boolean cased;

    FieldRef(int other, Mode mode, boolean cased) {
      this.other = other;
      this.mode = mode;
      this.cased = cased;
    }

    @Override
    boolean test(String raw, char[] lower, int len, EvalContext c) {
      if (raw == null) {
        return false;
      }
      String o = c.raw(other);
      if (o == null) {
        return false;
      }
      if (cased) {
        return switch (mode) {
          case EQUALS -> raw.equals(o);
          case PREFIX -> raw.startsWith(o);
          case SUFFIX -> raw.endsWith(o);
          case CONTAINS -> raw.contains(o);
        };
      }
      char[] ol = c.lower(other);
      int on = c.lowerLength(other);
      return switch (mode) {
        case EQUALS -> len == on && Arrays.equals(lower, 0, len, ol, 0, on);
        case PREFIX -> len >= on && Arrays.equals(lower, 0, on, ol, 0, on);
        case SUFFIX -> len >= on && Arrays.equals(lower, len - on, len, ol, 0, on);
        case CONTAINS -> indexOf(lower, len, ol, on) >= 0;
      };
    }
  }
}
