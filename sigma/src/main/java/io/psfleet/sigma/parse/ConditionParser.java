package io.psfleet.sigma.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser for Sigma conditions. Precedence, least binding first: {@code or},
 * {@code and}, {@code not}, {@code 1 of}/{@code all of}, parentheses. Aggregations ({@code |
 * count() ...}, Sigma 1.0) and {@code N of} with N other than 1 are rejected.
 */
public final class ConditionParser {
  private final String text;
  private final int line;
  private final List<String> tokens;

  /** Deepest nesting of parentheses and {@code not} accepted (evaluation recurses this deep). */
  static final int MAX_DEPTH = 64;

  private int pos;
  private int depth;

  private ConditionParser(String text, int line) {
    this.text = text;
    this.line = line;
    this.tokens = tokenize(text);
  }

  public static Condition parse(String text, int line) throws SigmaSyntaxException {
    ConditionParser p = new ConditionParser(text, line);
    if (p.tokens.isEmpty()) {
      throw new SigmaSyntaxException(line, "empty condition");
    }
    Condition c = p.or();
    if (p.pos < p.tokens.size() && p.tokens.get(p.pos).equals("|")) {
      throw p.error("aggregations ('| count() ...') are not supported; use a correlation rule");
    }
    if (p.pos < p.tokens.size()) {
      throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
    }
    return c;
  }

  private static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == '|') {
        out.add(String.valueOf(c));
        i++;
      } else {
        int start = i;
        while (i < n) {
          char d = text.charAt(i);
          if (Character.isWhitespace(d) || d == '(' || d == ')' || d == '|') {
            break;
          }
          i++;
        }
        out.add(text.substring(start, i));
      }
    }
    return out;
  }

  private Condition or() throws SigmaSyntaxException {
    List<Condition> ops = new ArrayList<>();
    ops.add(and());
    while (peekKeyword("or")) {
      pos++;
      ops.add(and());
    }
    return ops.size() == 1 ? ops.get(0) : new Condition.Or(ops);
  }

  private Condition and() throws SigmaSyntaxException {
    List<Condition> ops = new ArrayList<>();
    ops.add(not());
    while (peekKeyword("and")) {
      pos++;
      ops.add(not());
    }
    return ops.size() == 1 ? ops.get(0) : new Condition.And(ops);
  }

  private Condition not() throws SigmaSyntaxException {
    if (peekKeyword("not")) {
      pos++;
      enter();
      Condition c = new Condition.Not(not());
      depth--;
      return c;
    }
    return primary();
  }

  private Condition primary() throws SigmaSyntaxException {
    if (pos >= tokens.size()) {
      throw error("unexpected end of condition");
    }
    String t = tokens.get(pos);
    if (t.equals("(")) {
      pos++;
      enter();
      Condition inner = or();
      depth--;
      if (pos >= tokens.size() || !tokens.get(pos).equals(")")) {
        throw error("missing ')'");
      }
      pos++;
      return inner;
    }
    if (t.equals("|")) {
      throw error("aggregations ('| count() ...') are not supported; use a correlation rule");
    }
    if (t.equals(")") || isOperator(t)) {
      throw error("unexpected '" + t + "'");
    }
    if (pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
      String q = t.toLowerCase(Locale.ROOT);
      boolean all;
      if (q.equals("1") || q.equals("any")) {
        all = false;
      } else if (q.equals("all")) {
        all = true;
      } else {
        throw error("'" + t + " of' is not supported (only '1 of' and 'all of')");
      }
      pos += 2;
      if (pos >= tokens.size()) {
        throw error("'of' without a search identifier pattern");
      }
      String target = tokens.get(pos);
      if (target.equals("(") || target.equals(")") || target.equals("|") || isOperator(target)) {
        throw error("'of' without a search identifier pattern");
      }
      pos++;
      return new Condition.Quantified(all, target.equalsIgnoreCase("them") ? null : target);
    }
    pos++;
    return new Condition.Ref(t);
  }

  private void enter() throws SigmaSyntaxException {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private static boolean isOperator(String t) {
    return t.equalsIgnoreCase("and") || t.equalsIgnoreCase("or") || t.equalsIgnoreCase("not");
  }

  private boolean peekKeyword(String k) {
    return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(k);
  }

  private SigmaSyntaxException error(String what) {
    return new SigmaSyntaxException(line, "condition '" + text + "': " + what);
  }
}
