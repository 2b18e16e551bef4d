package io.psfleet.sigma;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.psfleet.sigma.compile.EvalContext;
import io.psfleet.sigma.compile.LiteralAutomaton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Matches events against a {@link SigmaRuleSet}: one instance per thread (it holds the per-event
 * scratch state and the cost counters), many per rule set. After warm-up, {@link #match} allocates
 * nothing except inside RE2 for rules with regexes.
 *
 * <p>Per event: route by kind, run each prefilter field's lower-cased value through its automaton,
 * then fully evaluate, in rule-set order, the rules all of whose prefilter clauses were hit and the
 * rules without literals. Field values are fetched from the view once per event, lazily. Not
 * re-entrant: do not call {@link #match} from a {@link MatchSink}.
 */
public final class SigmaMatcher implements EvalContext, LiteralAutomaton.Hits {
  /** Longest time one sampled evaluation counts for (1 ms). */
  public static final long SAMPLE_CAP_NANOS = 1_000_000L;

  private final SigmaRuleSet rules;
  private final int sampleMask;
  private final boolean sampling;

  private EventView view;
  private int epoch;
  private final int[] fieldStamp;
  private final String[] raw;
  private final char[][] lower;
  private final int[] lowerLen;

  private int[] candStamp = new int[0];
  private byte[] candMask = new byte[0];
  private byte[] fullMask;
  private int[] cand = new int[0];
  private int candCount;

  private int valueStamp;
  private int valueCount;
  private char[][] valueLower = new char[0][];
  private int[] valueLen = new int[0];
  private final Matcher[] regex;

  private final long[] evaluations;
  private final long[] matches;
  private final long[] sampled;
  private final long[] sampledNanos;
  // xorshift state: pseudo-random sampling cannot alias with a periodic event stream.
  private long sampleRng = 0x9E3779B97F4A7C15L;
  private long events;
  private long totalEvaluations;

  SigmaMatcher(SigmaRuleSet rules, int sampleEvery) {
    if (sampleEvery < 0 || (sampleEvery & (sampleEvery - 1)) != 0) {
      throw new IllegalArgumentException("sampleEvery must be 0 or a power of two: " + sampleEvery);
    }
    this.rules = rules;
    this.sampling = sampleEvery > 0;
    this.sampleMask = Math.max(sampleEvery - 1, 0);
    int nf = rules.fields().size();
    this.fieldStamp = new int[nf];
    this.raw = new String[nf];
    this.lower = new char[nf][];
    this.lowerLen = new int[nf];
    int max = 0;
    for (EventKind k : EventKind.values()) {
      SigmaRuleSet.KindIndex idx = rules.index(k);
      if (idx != null) {
        max = Math.max(max, idx.rules.length);
      }
    }
    this.candStamp = new int[max];
    this.candMask = new byte[max];
    this.cand = new int[max];
    this.regex = new Matcher[rules.regexSlots];
    int n = rules.size();
    this.evaluations = new long[n];
    this.matches = new long[n];
    this.sampled = new long[n];
    this.sampledNanos = new long[n];
  }

  public SigmaRuleSet ruleSet() {
    return rules;
  }

  /**
   * Reports every rule of {@code kind} that matches the event to {@code sink}, in rule-set order;
   * returns how many matched. The view is read only during this call.
   */
  public int match(EventKind kind, EventView event, MatchSink sink) {
    SigmaRuleSet.KindIndex idx = rules.index(kind);
    events++;
    if (idx == null) {
      return 0;
    }
    nextEpoch();
    this.view = event;
    candCount = 0;
    fullMask = idx.fullMask;
    int[] fields = idx.scanFields;
    for (int i = 0; i < fields.length; i++) {
      int f = fields[i];
      load(f);
      int len = lowerLen[f];
      if (len > 0) {
        idx.automata[i].scan(lower[f], len, this);
      }
    }
    if (idx.anyValue != null) {
      int n = valueCount();
      for (int i = 0; i < n; i++) {
        int len = valueLen[i];
        if (len > 0) {
          idx.anyValue.scan(valueLower[i], len, this);
        }
      }
    }
    Arrays.sort(cand, 0, candCount);
    int[] always = idx.always;
    int a = 0;
    int c = 0;
    int matched = 0;
    SigmaRule[] rs = idx.rules;
    while (a < always.length || c < candCount) {
      int next;
      if (c >= candCount || (a < always.length && always[a] < cand[c])) {
        next = always[a++];
      } else {
        next = cand[c++];
      }
      SigmaRule r = rs[next];
      if (evaluate(r)) {
        matched++;
        sink.matched(r);
      }
    }
    this.view = null;
    return matched;
  }

  /** Evaluates every rule of the kind, bypassing the prefilter: for tests of the prefilter. */
  int matchWithoutPrefilter(EventKind kind, EventView event, MatchSink sink) {
    SigmaRuleSet.KindIndex idx = rules.index(kind);
    if (idx == null) {
      return 0;
    }
    nextEpoch();
    this.view = event;
    int matched = 0;
    for (SigmaRule r : idx.rules) {
      if (r.expr.eval(this)) {
        matched++;
        sink.matched(r);
      }
    }
    this.view = null;
    return matched;
  }

  private boolean evaluate(SigmaRule r) {
    int g = r.index;
    evaluations[g]++;
    totalEvaluations++;
    boolean m;
    if (sampling && (nextRandom() & sampleMask) == 0) {
      long t0 = System.nanoTime();
      m = r.expr.eval(this);
      // Capped so that one descheduling or GC pause does not make a cheap rule look expensive.
      sampledNanos[g] += Math.min(System.nanoTime() - t0, SAMPLE_CAP_NANOS);
      sampled[g]++;
    } else {
      m = r.expr.eval(this);
    }
    if (m) {
      matches[g]++;
    }
    return m;
  }

  private long nextRandom() {
    long x = sampleRng;
    x ^= x << 13;
    x ^= x >>> 7;
    x ^= x << 17;
    sampleRng = x;
    return x;
  }

  private void nextEpoch() {
    if (epoch == Integer.MAX_VALUE) {
      Arrays.fill(fieldStamp, 0);
      Arrays.fill(candStamp, 0);
      valueStamp = 0;
      epoch = 0;
    }
    epoch++;
  }

  /**
   * A literal of clause {@code code & 3} of rule {@code code >>> 2} occurred; the rule becomes a
   * candidate once every one of its clauses has been hit in this event.
   */
  @Override
  public void hit(int code) {
    int rule = code >>> 2;
    int bit = 1 << (code & 3);
    int mask;
    if (candStamp[rule] != epoch) {
      candStamp[rule] = epoch;
      mask = 0;
    } else {
      mask = candMask[rule];
      if ((mask & bit) != 0) {
        return;
      }
    }
    mask |= bit;
    candMask[rule] = (byte) mask;
    if (mask == fullMask[rule]) {
      cand[candCount++] = rule;
    }
  }

  private void load(int f) {
    if (fieldStamp[f] == epoch) {
      return;
    }
    fieldStamp[f] = epoch;
    String v = view.field(f);
    raw[f] = v;
    if (v == null) {
      lowerLen[f] = -1;
      return;
    }
    int n = v.length();
    char[] buf = lower[f];
    if (buf == null || buf.length < n) {
      buf = new char[Math.max(n, 64)];
      lower[f] = buf;
    }
    lowerInto(v, n, buf);
    lowerLen[f] = n;
  }

  /** Char-wise lower case of {@code v} into {@code buf}, with an ASCII fast path. */
  private static void lowerInto(String v, int n, char[] buf) {
    v.getChars(0, n, buf, 0);
    for (int i = 0; i < n; i++) {
      char c = buf[i];
      if (c < 128) {
        if (c >= 'A' && c <= 'Z') {
          buf[i] = (char) (c + 32);
        }
      } else {
        buf[i] = Character.toLowerCase(c);
      }
    }
  }

  // EvalContext

  @Override
  public String raw(int fieldId) {
    load(fieldId);
    return raw[fieldId];
  }

  @Override
  public char[] lower(int fieldId) {
    load(fieldId);
    return lower[fieldId];
  }

  @Override
  public int lowerLength(int fieldId) {
    load(fieldId);
    return lowerLen[fieldId];
  }

  @Override
  public int valueCount() {
    if (valueStamp == epoch) {
      return valueCount;
    }
    valueStamp = epoch;
    int n = view.valueCount();
    if (valueLower.length < n) {
      valueLower = Arrays.copyOf(valueLower, Math.max(n, valueLower.length * 2));
      valueLen = Arrays.copyOf(valueLen, valueLower.length);
    }
    for (int i = 0; i < n; i++) {
      String v = view.value(i);
      if (v == null) {
        valueLen[i] = -1;
        continue;
      }
      int len = v.length();
      char[] buf = valueLower[i];
      if (buf == null || buf.length < len) {
        buf = new char[Math.max(len, 64)];
        valueLower[i] = buf;
      }
      lowerInto(v, len, buf);
      valueLen[i] = len;
    }
    valueCount = n;
    return n;
  }

  @Override
  public String value(int index) {
    return view.value(index);
  }

  @Override
  public char[] valueLower(int index) {
    return valueLower[index];
  }

  @Override
  public int valueLowerLength(int index) {
    return valueLen[index];
  }

  @Override
  public Matcher regex(int slot, Pattern pattern, CharSequence input) {
    Matcher m = regex[slot];
    if (m == null) {
      m = pattern.matcher(input);
      regex[slot] = m;
      return m;
    }
    return m.reset(input);
  }

  // Cost accounting

  /** Events given to {@link #match} so far. */
  public long events() {
    return events;
  }

  /** Full rule evaluations so far (after the prefilter). */
  public long evaluations() {
    return totalEvaluations;
  }

  /** Per-rule costs of every rule evaluated at least once, most expensive (estimated) first. */
  public List<RuleCost> costs() {
    List<RuleCost> out = new ArrayList<>();
    List<SigmaRule> all = rules.rules();
    for (int i = 0; i < all.size(); i++) {
      if (evaluations[i] > 0) {
        out.add(new RuleCost(all.get(i), evaluations[i], matches[i], sampled[i], sampledNanos[i]));
      }
    }
    out.sort(Comparator.comparingDouble(RuleCost::estimatedNanos).reversed());
    return out;
  }

  /** The {@code n} most expensive rules by estimated total time. */
  public List<RuleCost> topCosts(int n) {
    List<RuleCost> all = costs();
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }

  /** Clears the cost counters (e.g. after warm-up). */
  public void resetCosts() {
    Arrays.fill(evaluations, 0);
    Arrays.fill(matches, 0);
    Arrays.fill(sampled, 0);
    Arrays.fill(sampledNanos, 0);
    events = 0;
    totalEvaluations = 0;
  }
}
