package io.psfleet.sigma.compile;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.psfleet.sigma.parse.Condition;
import io.psfleet.sigma.parse.ConditionParser;
import io.psfleet.sigma.parse.DetectionItem;
import io.psfleet.sigma.parse.RawValue;
import io.psfleet.sigma.parse.RuleDocument;
import io.psfleet.sigma.parse.SearchIdentifier;
import io.psfleet.sigma.parse.SigmaSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Compiles a rule's detection and condition into an {@link Expr}, applying the value modifiers as
 * pySigma reads them, and derives the literal prefilter. One instance per rule set being built (it
 * hands out regex slots); not thread-safe.
 */
public final class RuleCompiler {
  /** Most values one item may expand to (windash permutations, encodings). */
  static final int MAX_EXPANSION = 4096;

  private static final Set<String> TIME_MODIFIERS =
      Set.of("minute", "hour", "day", "week", "month", "year");
  private static final Set<String> KNOWN =
      Set.of(
          "contains",
          "startswith",
          "endswith",
          "all",
          "windash",
          "re",
          "i",
          "m",
          "s",
          "base64",
          "base64offset",
          "wide",
          "utf16",
          "utf16le",
          "utf16be",
          "cased",
          "exists",
          "fieldref",
          "cidr",
          "gt",
          "gte",
          "lt",
          "lte",
          "neq",
          "expand");
  private static final char[] WINDASH = {'-', '/', '\u2013', '\u2014', '\u2015'};

  private final ToIntFunction<String> fieldIds;
  private int regexSlots;

  /**
   * The fields whose values the rule being compiled reads, those it asks only the presence of, and
   * whether it searches keywords (all values).
   */
  private final Set<Integer> reads = new TreeSet<>();

  private final Set<Integer> tests = new TreeSet<>();

  private boolean keywords;

  public RuleCompiler(ToIntFunction<String> fieldIds) {
    this.fieldIds = fieldIds;
  }

  /** The id of a field the rule being compiled reads. */
  private int fieldId(String name) {
    int id = fieldIds.applyAsInt(name);
    reads.add(id);
    return id;
  }

  /** Number of regex slots handed out so far (the matcher keeps one RE2 matcher per slot). */
  public int regexSlots() {
    return regexSlots;
  }

  /** Most prefilter clauses kept per rule (the matcher tracks them in a 4-bit mask). */
  public static final int MAX_CLAUSES = 4;

  private static final List<List<FieldLiteral>> NONE = List.of();

  /**
   * An expression with its prefilter requirement in conjunctive form: every clause (a set of field
   * literals, one of which must occur) holds wherever the expression matches. No clauses: no
   * requirement known.
   */
  private record Part(Expr expr, List<List<FieldLiteral>> req) {}

  public CompiledRule compile(RuleDocument rule) throws SigmaSyntaxException {
    reads.clear();
    tests.clear();
    keywords = false;
    Map<String, Part> searches = new HashMap<>();
    Set<Integer> eventIds = new TreeSet<>();
    for (SearchIdentifier s : rule.detection().values()) {
      searches.put(s.name(), search(s, eventIds));
    }
    List<Part> conditions = new ArrayList<>();
    for (String text : rule.conditions()) {
      Condition c = ConditionParser.parse(text, rule.conditionLine());
      conditions.add(condition(c, rule, searches, text));
    }
    Part p = or(conditions);
    tests.removeAll(reads);
    return new CompiledRule(
        p.expr, p.req, Set.copyOf(eventIds), Set.copyOf(reads), Set.copyOf(tests), keywords);
  }

  private Part condition(Condition c, RuleDocument rule, Map<String, Part> searches, String text)
      throws SigmaSyntaxException {
    if (c instanceof Condition.Ref r) {
      Part p = searches.get(r.name());
      if (p == null) {
        throw new SigmaSyntaxException(
            rule.conditionLine(),
            "condition '" + text + "': unknown search identifier '" + r.name() + "'");
      }
      return p;
    }
    if (c instanceof Condition.Not n) {
      return new Part(new Expr.Not(condition(n.operand(), rule, searches, text).expr), NONE);
    }
    if (c instanceof Condition.And a) {
      List<Part> ops = new ArrayList<>();
      for (Condition o : a.operands()) {
        ops.add(condition(o, rule, searches, text));
      }
      return and(ops);
    }
    if (c instanceof Condition.Or o) {
      List<Part> ops = new ArrayList<>();
      for (Condition x : o.operands()) {
        ops.add(condition(x, rule, searches, text));
      }
      return or(ops);
    }
    Condition.Quantified q = (Condition.Quantified) c;
    List<Part> ops = new ArrayList<>();
    for (String name : rule.detection().keySet()) {
      boolean selected =
          q.pattern() == null ? !name.startsWith("_") : namePattern(q.pattern(), name);
      if (selected) {
        ops.add(searches.get(name));
      }
    }
    if (ops.isEmpty()) {
      String what = q.pattern() == null ? "them" : q.pattern();
      throw new SigmaSyntaxException(
          rule.conditionLine(),
          "condition '" + text + "': '" + what + "' matches no search identifier");
    }
    return q.all() ? and(ops) : or(ops);
  }

  private static boolean namePattern(String pattern, String name) {
    StringBuilder g = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      g.append(ch == '*' ? Glob.STAR : ch);
    }
    char[] p = g.toString().toCharArray();
    return Glob.matches(p, name);
  }

  private Part search(SearchIdentifier s, Set<Integer> eventIds) throws SigmaSyntaxException {
    List<Part> alternatives = new ArrayList<>();
    for (List<DetectionItem> items : s.alternatives()) {
      List<Part> conj = new ArrayList<>();
      for (DetectionItem item : items) {
        conj.add(item(item, eventIds));
      }
      alternatives.add(and(conj));
    }
    return or(alternatives);
  }

  private Part item(DetectionItem item, Set<Integer> eventIds) throws SigmaSyntaxException {
    String where = item.isKeyword() ? "keyword search" : "'" + item.field() + "'";
    List<String> transforms = new ArrayList<>();
    boolean all = false;
    boolean cased = false;
    boolean neq = false;
    for (String m : item.modifiers()) {
      String mod = m.toLowerCase(Locale.ROOT);
      if (TIME_MODIFIERS.contains(mod)) {
        throw new SigmaSyntaxException(
            item.line(), where + ": time modifier '" + m + "' is not supported");
      }
      if (!KNOWN.contains(mod)) {
        throw new SigmaSyntaxException(item.line(), where + ": unknown modifier '" + m + "'");
      }
      switch (mod) {
        case "all" -> all = true;
        case "cased" -> cased = true;
        case "neq" -> neq = true;
        case "expand" ->
            throw new SigmaSyntaxException(
                item.line(), where + ": placeholders (|expand) are not supported");
        default -> transforms.add(mod);
      }
    }
    List<RawValue> values = item.values();
    if (all && values.size() < 2) {
      throw new SigmaSyntaxException(
          item.line(), where + ": |all needs a list of at least two values");
    }
    boolean keyword = item.isKeyword();
    keywords |= keyword;
    // Type modifiers that replace the value test altogether.
    if (transforms.contains("exists")) {
      if (keyword || transforms.size() != 1 || neq || all || cased || values.size() != 1) {
        throw new SigmaSyntaxException(
            item.line(), where + ": |exists takes one boolean value on a field, no other modifier");
      }
      Boolean want = bool(values.get(0));
      if (want == null) {
        throw new SigmaSyntaxException(item.line(), where + ": |exists needs true or false");
      }
      int field = fieldIds.applyAsInt(item.field());
      tests.add(field);
      return new Part(new Expr.Exists(field, want), NONE);
    }
    int field = keyword ? -1 : fieldId(item.field());
    List<List<ValueTest>> groups = new ArrayList<>();
    boolean hasNull = values.stream().anyMatch(v -> v.type() == RawValue.Type.NULL);
    if (hasNull) {
      if (values.size() != 1) {
        throw new SigmaSyntaxException(
            item.line(), where + ": null cannot be part of a value list");
      }
      if (keyword || !transforms.isEmpty()) {
        throw new SigmaSyntaxException(
            item.line(), where + ": null takes no modifiers and needs a field");
      }
      groups.add(List.of(new ValueTest.IsNull()));
    } else if (containsAny(transforms, "gt", "gte", "lt", "lte")) {
      if (keyword || transforms.size() != 1) {
        throw new SigmaSyntaxException(
            item.line(), where + ": |gt/|gte/|lt/|lte need a field and no other transformation");
      }
      ValueTest.Compare.Op op =
          ValueTest.Compare.Op.valueOf(transforms.get(0).toUpperCase(Locale.ROOT));
      for (RawValue v : values) {
        double d = Numbers.parseDouble(v.text());
        if (Double.isNaN(d)) {
          throw new SigmaSyntaxException(
              v.line(),
              where + ": |" + transforms.get(0) + " needs a number, not '" + v.text() + "'");
        }
        groups.add(List.of(new ValueTest.Compare(op, d)));
      }
    } else if (transforms.contains("cidr")) {
      if (keyword || transforms.size() != 1) {
        throw new SigmaSyntaxException(
            item.line(), where + ": |cidr needs a field and no other transformation");
      }
      for (RawValue v : values) {
        groups.add(List.of(cidr(v, where)));
      }
    } else if (transforms.contains("fieldref")) {
      groups.addAll(fieldref(item, transforms, values, cased, where));
    } else if (transforms.contains("re")) {
      groups.addAll(regex(item, transforms, values, where));
    } else {
      for (String t : transforms) {
        if (t.equals("i") || t.equals("m") || t.equals("s")) {
          throw new SigmaSyntaxException(
              item.line(), where + ": |" + t + " is only valid after |re");
        }
      }
      for (RawValue v : values) {
        groups.add(strings(v, transforms, cased, keyword, where));
      }
    }
    Expr expr;
    List<List<FieldLiteral>> req;
    if (all) {
      List<Part> parts = new ArrayList<>();
      for (List<ValueTest> g : groups) {
        parts.add(valueGroup(field, g));
      }
      Part p = and(parts);
      expr = p.expr;
      req = p.req;
    } else {
      List<ValueTest> flat = new ArrayList<>();
      groups.forEach(flat::addAll);
      Part p = valueGroup(field, flat);
      expr = p.expr;
      req = p.req;
    }
    if (neq) {
      expr = new Expr.Not(expr);
      req = NONE;
    }
    if (!keyword && item.field().equals("EventID") && transforms.isEmpty() && !neq) {
      for (RawValue v : values) {
        Long l = Numbers.parseLongOrNull(v.text());
        if (l != null && l >= 0 && l < Integer.MAX_VALUE) {
          eventIds.add(l.intValue());
        }
      }
    }
    return new Part(expr, req);
  }

  private static Part valueGroup(int field, List<ValueTest> tests) {
    ValueTest[] arr = tests.toArray(new ValueTest[0]);
    List<FieldLiteral> clause = new ArrayList<>();
    for (ValueTest t : arr) {
      String lit = t.requiredLiteral();
      if (lit == null) {
        clause = null;
        break;
      }
      clause.add(new FieldLiteral(field < 0 ? FieldLiteral.ANY : field, lit));
    }
    List<List<FieldLiteral>> req = clause == null ? NONE : List.of(dedupe(clause));
    if (field < 0) {
      // Keyword searches: their literals are looked for in every value of the event.
      return new Part(new Expr.Keywords(arr, false), req);
    }
    return new Part(new Expr.FieldMatch(field, arr), req);
  }

  private List<ValueTest> strings(
      RawValue v, List<String> transforms, boolean cased, boolean keyword, String where)
      throws SigmaSyntaxException {
    if (v.type() == RawValue.Type.NUMBER && transforms.isEmpty() && !keyword) {
      return List.of(new ValueTest.NumberEquals(v.text()));
    }
    String start = v.type() == RawValue.Type.STRING ? Glob.parse(v.text()) : v.text();
    List<String> vals = new ArrayList<>(List.of(start));
    boolean bytes = false;
    for (String t : transforms) {
      List<String> next = new ArrayList<>();
      for (String s : vals) {
        switch (t) {
          case "contains" -> next.add(wrap(s, true, true));
          case "startswith" -> next.add(wrap(s, false, true));
          case "endswith" -> next.add(wrap(s, true, false));
          case "windash" -> next.addAll(windash(s, v, where));
          case "base64" -> next.add(base64(encodeBytes(s, bytes, v, where, t)));
          case "base64offset" -> next.addAll(base64offset(encodeBytes(s, bytes, v, where, t)));
          case "wide", "utf16le" -> next.add(utf16(s, bytes, false, false, v, where));
          case "utf16be" -> next.add(utf16(s, bytes, true, false, v, where));
          case "utf16" -> next.add(utf16(s, bytes, false, true, v, where));
          default ->
              throw new SigmaSyntaxException(
                  v.line(), where + ": modifier |" + t + " cannot be combined here");
        }
        if (next.size() > MAX_EXPANSION) {
          throw new SigmaSyntaxException(
              v.line(), where + ": value expands to more than " + MAX_EXPANSION + " values");
        }
      }
      bytes =
          switch (t) {
            case "wide", "utf16le", "utf16be", "utf16" -> true;
            case "base64", "base64offset" -> false;
            default -> bytes;
          };
      vals = next;
    }
    List<ValueTest> out = new ArrayList<>(vals.size());
    for (String g : new LinkedHashSet<>(vals)) {
      String glob = keyword ? wrap(g, true, true) : g;
      out.add(cased ? ValueTest.casedGlob(glob) : ValueTest.glob(glob));
    }
    return out;
  }

  private static String wrap(String g, boolean lead, boolean trail) {
    StringBuilder b = new StringBuilder(g.length() + 2);
    if (lead && (g.isEmpty() || g.charAt(0) != Glob.STAR)) {
      b.append(Glob.STAR);
    }
    b.append(g);
    if (trail && (b.length() == 0 || b.charAt(b.length() - 1) != Glob.STAR)) {
      b.append(Glob.STAR);
    }
    return b.toString();
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** pySigma's windash: every {@code -} or {@code /} that starts a word, in all five dashes. */
  private static List<String> windash(String g, RawValue v, String where)
      throws SigmaSyntaxException {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if ((c == '-' || c == '/')
          && (i == 0 || !isWord(g.charAt(i - 1)))
          && i + 1 < g.length()
          && isWord(g.charAt(i + 1))) {
        positions.add(i);
      }
    }
    double total = Math.pow(WINDASH.length, positions.size());
    if (total > MAX_EXPANSION) {
      throw new SigmaSyntaxException(
          v.line(), where + ": |windash expands to more than " + MAX_EXPANSION + " values");
    }
    List<String> out = new ArrayList<>();
    char[] buf = g.toCharArray();
    permute(buf, positions, 0, out);
    return out;
  }

  private static void permute(char[] buf, List<Integer> positions, int k, List<String> out) {
    if (k == positions.size()) {
      out.add(new String(buf));
      return;
    }
    int pos = positions.get(k);
    for (char d : WINDASH) {
      buf[pos] = d;
      permute(buf, positions, k + 1, out);
    }
  }

  private static byte[] encodeBytes(String g, boolean bytes, RawValue v, String where, String mod)
      throws SigmaSyntaxException {
    if (Glob.hasWildcards(g)) {
      throw new SigmaSyntaxException(
          v.line(), where + ": |" + mod + " cannot encode a value with wildcards");
    }
    if (!bytes) {
      return g.getBytes(StandardCharsets.UTF_8);
    }
    byte[] out = new byte[g.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) g.charAt(i);
    }
    return out;
  }

  private static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** pySigma's three shifted encodings with the position-dependent edge characters cut off. */
  private static List<String> base64offset(byte[] b) {
    int[] startOffsets = {0, 2, 3};
    int[] endOffsets = {0, -3, -2};
    List<String> out = new ArrayList<>(3);
    for (int i = 0; i < 3; i++) {
      byte[] shifted = new byte[b.length + i];
      for (int k = 0; k < i; k++) {
        shifted[k] = ' ';
      }
      System.arraycopy(b, 0, shifted, i, b.length);
      String enc = base64(shifted);
      int end = endOffsets[(b.length + i) % 3];
      int stop = end == 0 ? enc.length() : enc.length() + end;
      int from = startOffsets[i];
      out.add(from < stop ? enc.substring(from, stop) : "");
    }
    return out;
  }

  /** UTF-16 encoding; each resulting byte becomes one char (0-255), wildcards are kept. */
  private static String utf16(
      String g, boolean bytes, boolean bigEndian, boolean bom, RawValue v, String where)
      throws SigmaSyntaxException {
    if (bytes) {
      throw new SigmaSyntaxException(v.line(), where + ": value is already encoded");
    }
    StringBuilder b = new StringBuilder(g.length() * 2 + 2);
    if (bom) {
      b.append((char) 0xFF).append((char) 0xFE);
    }
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == Glob.STAR || c == Glob.ONE) {
        b.append(c);
      } else if (bigEndian) {
        b.append((char) (c >>> 8)).append((char) (c & 0xFF));
      } else {
        b.append((char) (c & 0xFF)).append((char) (c >>> 8));
      }
    }
    return b.toString();
  }

  private List<List<ValueTest>> regex(
      DetectionItem item, List<String> transforms, List<RawValue> values, String where)
      throws SigmaSyntaxException {
    if (!transforms.get(0).equals("re")) {
      throw new SigmaSyntaxException(item.line(), where + ": |re must come first");
    }
    int flags = 0;
    for (String t : transforms.subList(1, transforms.size())) {
      switch (t) {
        case "i" -> flags |= Pattern.CASE_INSENSITIVE;
        case "m" -> flags |= Pattern.MULTILINE;
        case "s" -> flags |= Pattern.DOTALL;
        default ->
            throw new SigmaSyntaxException(
                item.line(), where + ": |re cannot be combined with |" + t);
      }
    }
    List<List<ValueTest>> out = new ArrayList<>();
    for (RawValue v : values) {
      Pattern p;
      try {
        p = Pattern.compile(v.text(), flags);
      } catch (PatternSyntaxException | IllegalArgumentException e) {
        throw new SigmaSyntaxException(
            v.line(), where + ": invalid regular expression '" + v.text() + "': " + e.getMessage());
      }
      out.add(List.of(new ValueTest.Regex(p, regexSlots++)));
    }
    return out;
  }

  private List<List<ValueTest>> fieldref(
      DetectionItem item,
      List<String> transforms,
      List<RawValue> values,
      boolean cased,
      String where)
      throws SigmaSyntaxException {
    if (item.isKeyword()) {
      throw new SigmaSyntaxException(item.line(), where + ": |fieldref needs a field");
    }
    ValueTest.FieldRef.Mode mode = ValueTest.FieldRef.Mode.EQUALS;
    for (String t : transforms) {
      mode =
          switch (t) {
            case "fieldref" -> mode;
            case "startswith" -> ValueTest.FieldRef.Mode.PREFIX;
            case "endswith" -> ValueTest.FieldRef.Mode.SUFFIX;
            case "contains" -> ValueTest.FieldRef.Mode.CONTAINS;
            default ->
                throw new SigmaSyntaxException(
                    item.line(), where + ": |fieldref cannot be combined with |" + t);
          };
    }
    List<List<ValueTest>> out = new ArrayList<>();
    for (RawValue v : values) {
      if (v.type() != RawValue.Type.STRING || v.text().isEmpty()) {
        throw new SigmaSyntaxException(v.line(), where + ": |fieldref needs a field name");
      }
      out.add(List.of(new ValueTest.FieldRef(fieldId(v.text()), mode, cased)));
    }
    return out;
  }

  private static ValueTest cidr(RawValue v, String where) throws SigmaSyntaxException {
    String text = v.text().trim();
    int slash = text.indexOf('/');
    byte[] net = IpAddresses.parse(slash < 0 ? text : text.substring(0, slash));
    int prefix;
    if (net == null) {
      throw new SigmaSyntaxException(v.line(), where + ": invalid CIDR '" + v.text() + "'");
    }
    try {
      prefix = slash < 0 ? net.length * 8 : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > net.length * 8) {
      throw new SigmaSyntaxException(
          v.line(), where + ": invalid CIDR prefix in '" + v.text() + "'");
    }
    return new ValueTest.Cidr(net, prefix);
  }

  private static Boolean bool(RawValue v) {
    String t = v.text().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("yes")) {
      return true;
    }
    if (t.equals("false") || t.equals("no")) {
      return false;
    }
    return null;
  }

  private static boolean containsAny(List<String> list, String... names) {
    for (String n : names) {
      if (list.contains(n)) {
        return true;
      }
    }
    return false;
  }

  // Boolean structure and prefilter derivation.

  private static Part and(List<Part> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Expr[] ops = new Expr[parts.size()];
    List<List<FieldLiteral>> clauses = new ArrayList<>();
    for (int i = 0; i < ops.length; i++) {
      Part p = parts.get(i);
      ops[i] = p.expr;
      clauses.addAll(p.req);
    }
    return new Part(new Expr.And(ops), best(clauses, MAX_CLAUSES));
  }

  /**
   * (A1 and A2) or (B1 and B2) holds only where every Ai or Bj holds: the clauses of a disjunction
   * are the pairwise unions of its operands' clauses, trimmed to the best few (dropping a clause
   * only weakens the requirement, so it stays sound).
   */
  private static Part or(List<Part> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Expr[] ops = new Expr[parts.size()];
    List<List<FieldLiteral>> acc = null;
    boolean known = true;
    for (int i = 0; i < ops.length; i++) {
      Part p = parts.get(i);
      ops[i] = p.expr;
      if (p.req.isEmpty()) {
        known = false;
      }
      if (!known) {
        continue;
      }
      if (acc == null) {
        acc = p.req;
        continue;
      }
      List<List<FieldLiteral>> left = best(acc, 2);
      List<List<FieldLiteral>> right = best(p.req, 2);
      List<List<FieldLiteral>> next = new ArrayList<>();
      for (List<FieldLiteral> l : left) {
        for (List<FieldLiteral> r : right) {
          List<FieldLiteral> u = new ArrayList<>(l);
          u.addAll(r);
          next.add(dedupe(u));
        }
      }
      acc = best(next, MAX_CLAUSES);
    }
    Expr[] merged = mergeFieldMatches(ops);
    Expr expr = merged.length == 1 ? merged[0] : new Expr.Or(merged);
    return new Part(expr, known ? acc : NONE);
  }

  /**
   * The operands of a disjunction with those that read one field joined ({@link
   * Expr.FieldMatch#or}).
   */
  private static Expr[] mergeFieldMatches(Expr[] ops) {
    List<Expr> out = new ArrayList<>();
    for (Expr op : ops) {
      boolean joined = false;
      for (int i = 0; i < out.size() && !joined; i++) {
        if (out.get(i) instanceof Expr.FieldMatch fm) {
          Expr.FieldMatch both = fm.or(op);
          if (both != null) {
            out.set(i, both);
            joined = true;
          }
        }
      }
      if (!joined) {
        out.add(op);
      }
    }
    return out.toArray(new Expr[0]);
  }

  private static List<FieldLiteral> dedupe(List<FieldLiteral> clause) {
    return List.copyOf(new LinkedHashSet<>(clause));
  }

  /** The {@code n} most selective distinct clauses. */
  private static List<List<FieldLiteral>> best(List<List<FieldLiteral>> clauses, int n) {
    List<List<FieldLiteral>> distinct = new ArrayList<>(new LinkedHashSet<>(clauses));
    if (distinct.size() <= n) {
      return List.copyOf(distinct);
    }
    distinct.sort((a, b) -> Long.compare(score(b), score(a)));
    return List.copyOf(distinct.subList(0, n));
  }

  /** Prefer clauses whose shortest literal is long (rarely present), then fewer alternatives. */
  private static long score(List<FieldLiteral> clause) {
    int min = Integer.MAX_VALUE;
    for (FieldLiteral f : clause) {
      min = Math.min(min, f.literal().length());
    }
    return Math.min(min, 8) * 1_000_000L - clause.size();
  }
}
