package io.psfleet.sigma;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.psfleet.sigma.compile.CaseFold;
import io.psfleet.sigma.compile.EvalContext;
import io.psfleet.sigma.compile.LiteralAutomaton;
import io.psfleet.sigma.compile.ScanMemo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Matches events against a {@link SigmaRuleSet}: one instance per thread (it holds the per-event
 * scratch state and the cost counters), many per rule set. After warm-up, {@link #match} allocates
 * nothing except inside RE2 for rules with regexes, and a verdict memo's copy of the rules an event
 * matched.
 *
 * <p>Per event: route by kind; answer from the kind's {@link VerdictMemo} where an event with the
 * same values of every field the kind's rules read was judged lately; otherwise run each prefilter
 * field's lower-cased value through its automaton, then fully evaluate, in rule-set order, the
 * rules all of whose prefilter clauses were hit and the rules without literals. A value the field's
 * automaton saw lately is not scanned again: its hits come from the field's {@link ScanMemo}. Field
 * values are fetched from the view once per event, lazily, and lower-cased only when a scan or a
 * rule needs them. Not re-entrant: do not call {@link #match} from a {@link MatchSink}.
 */
public final class SigmaMatcher implements EvalContext, LiteralAutomaton.Hits {
  /** Entries of each field's scan memo. */
  static final int MEMO_SLOTS = 1024;

  /** Longest time one sampled evaluation counts for (1 ms). */
  public static final long SAMPLE_CAP_NANOS = 1_000_000L;

  private final SigmaRuleSet rules;
  private final int sampleMask;
  private final boolean sampling;

  private EventView view;
  private int epoch;
  private final int[] fieldStamp;
  private final int[] lowerStamp;
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
  private String[] valueRaw = new String[0];
  private int[] valueLowerStamp = new int[0];
  private char[][] valueLower = new char[0][];
  private int[] valueLen = new int[0];
  private final Matcher[] regex;

  /** Per kind (ordinal): a memo per scanned field, then one for the keyword automaton. */
  private final ScanMemo[][] memos;

  /** Per kind (ordinal): its verdict memo, or null (off, or the kind's rules search keywords). */
  private final VerdictMemo[] verdicts;

  /** The kind's rules that matched this event, by index, for its verdict memo. */
  private int[] matchedRules;

  private final long[] evaluations;
  private final long[] matches;
  private final long[] sampled;
  private final long[] sampledNanos;
  // xorshift state: pseudo-random sampling cannot alias with a periodic event stream.
  private long sampleRng = 0x9E3779B97F4A7C15L;
  private long events;
  private long totalEvaluations;

  /**
   * {@code verdictEntries}: entries of each kind's {@link VerdictMemo} (a power of two, at least
   * 4), or 0 for none.
   */
  SigmaMatcher(SigmaRuleSet rules, int sampleEvery, int verdictEntries) {
    if (sampleEvery < 0 || (sampleEvery & (sampleEvery - 1)) != 0) {
      throw new IllegalArgumentException("sampleEvery must be 0 or a power of two: " + sampleEvery);
    }
    this.rules = rules;
    this.sampling = sampleEvery > 0;
    this.sampleMask = Math.max(sampleEvery - 1, 0);
    int nf = rules.fields().size();
    this.fieldStamp = new int[nf];
    this.lowerStamp = new int[nf];
    this.raw = new String[nf];
    this.lower = new char[nf][];
    this.lowerLen = new int[nf];
    int max = 0;
    this.memos = new ScanMemo[EventKind.values().length][];
    this.verdicts = new VerdictMemo[EventKind.values().length];
    for (EventKind k : EventKind.values()) {
      SigmaRuleSet.KindIndex idx = rules.index(k);
      if (idx != null) {
        if (verdictEntries > 0 && idx.verdictKey != null) {
          verdicts[k.ordinal()] =
              new VerdictMemo(idx.verdictKey, idx.verdictPresence, verdictEntries);
        }
        max = Math.max(max, idx.rules.length);
        ScanMemo[] kindMemos = new ScanMemo[idx.scanFields.length + 1];
        for (int i = 0; i < kindMemos.length; i++) {
          kindMemos[i] = new ScanMemo(MEMO_SLOTS);
        }
        memos[k.ordinal()] = kindMemos;
      }
    }
    this.candStamp = new int[max];
    this.candMask = new byte[max];
    this.cand = new int[max];
    this.matchedRules = new int[max];
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
    VerdictMemo verdict = verdicts[kind.ordinal()];
    if (verdict != null && verdict.active()) {
      int[] key = verdict.fields();
      String[] values = verdict.current;
      for (int i = 0; i < key.length; i++) {
        values[i] = fetch(key[i]);
      }
      int[] tested = verdict.presence();
      for (int i = 0; i < tested.length; i++) {
        values[key.length + i] = present(tested[i]) ? VerdictMemo.PRESENT : null;
      }
      int[] known = verdict.find();
      if (known != null) {
        SigmaRule[] rs = idx.rules;
        for (int r : known) {
          sink.matched(rs[r]);
        }
        this.view = null;
        return known.length;
      }
    } else {
      verdict = null;
    }
    candCount = 0;
    fullMask = idx.fullMask;
    int[] fields = idx.scanFields;
    ScanMemo[] kindMemos = memos[kind.ordinal()];
    for (int i = 0; i < fields.length; i++) {
      int f = fields[i];
      String v = raw(f);
      if (v != null && !v.isEmpty()) {
        int[] found = kindMemos[i].remembered(v);
        if (found == null) {
          found = kindMemos[i].scan(idx.automata[i], v, lower(f), lowerLen[f]);
        }
        hitAll(found);
      }
    }
    if (idx.anyValue != null) {
      ScanMemo memo = kindMemos[fields.length];
      int n = valueCount();
      for (int i = 0; i < n; i++) {
        String v = valueRaw[i];
        if (v != null && !v.isEmpty()) {
          int[] found = memo.remembered(v);
          if (found == null) {
            found = memo.scan(idx.anyValue, v, valueLower(i), valueLen[i]);
          }
          hitAll(found);
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
        matchedRules[matched++] = next;
        sink.matched(r);
      }
    }
    if (verdict != null) {
      verdict.remember(matchedRules, matched);
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
      Arrays.fill(lowerStamp, 0);
      Arrays.fill(candStamp, 0);
      Arrays.fill(valueLowerStamp, 0);
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

  private void hitAll(int[] codes) {
    for (int code : codes) {
      hit(code);
    }
  }

  /** The field's value, fetched from the view once per event. */
  private String fetch(int f) {
    if (fieldStamp[f] != epoch) {
      fieldStamp[f] = epoch;
      raw[f] = view.field(f);
    }
    return raw[f];
  }

  /** The field's value lower-cased into {@code lower[f]}, once per event. */
  private void lowerField(int f) {
    if (lowerStamp[f] == epoch) {
      return;
    }
    lowerStamp[f] = epoch;
    String v = fetch(f);
    if (v == null) {
      lowerLen[f] = -1;
      return;
    }
    int n = v.length();
    lower[f] = CaseFold.lowerInto(v, n, lower[f]);
    lowerLen[f] = n;
  }

  // EvalContext

  @Override
  public String raw(int fieldId) {
    return fetch(fieldId);
  }

  @Override
  public boolean present(int fieldId) {
    return fieldStamp[fieldId] == epoch ? raw[fieldId] != null : view.has(fieldId);
  }

  @Override
  public char[] lower(int fieldId) {
    lowerField(fieldId);
    return lower[fieldId];
  }

  @Override
  public int lowerLength(int fieldId) {
    lowerField(fieldId);
    return lowerLen[fieldId];
  }

  @Override
  public int valueCount() {
    if (valueStamp == epoch) {
      return valueCount;
    }
    valueStamp = epoch;
    int n = view.valueCount();
    if (valueRaw.length < n) {
      int size = Math.max(n, valueRaw.length * 2);
      valueRaw = Arrays.copyOf(valueRaw, size);
      valueLowerStamp = Arrays.copyOf(valueLowerStamp, size);
      valueLower = Arrays.copyOf(valueLower, size);
      valueLen = Arrays.copyOf(valueLen, size);
    }
    for (int i = 0; i < n; i++) {
      valueRaw[i] = view.value(i);
    }
    valueCount = n;
    return n;
  }

  @Override
  public String value(int index) {
    valueCount();
    return valueRaw[index];
  }

  @Override
  public char[] valueLower(int index) {
    lowerValue(index);
    return valueLower[index];
  }

  @Override
  public int valueLowerLength(int index) {
    lowerValue(index);
    return valueLen[index];
  }

  /** Value {@code index} of this event lower-cased into {@code valueLower[index]}, once. */
  private void lowerValue(int index) {
    valueCount();
    if (valueLowerStamp[index] == epoch) {
      return;
    }
    valueLowerStamp[index] = epoch;
    String v = valueRaw[index];
    if (v == null) {
      valueLen[index] = -1;
      return;
    }
    int len = v.length();
    valueLower[index] = CaseFold.lowerInto(v, len, valueLower[index]);
    valueLen[index] = len;
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

  /** Full rule evaluations so far (after the verdict memo and the prefilter). */
  public long evaluations() {
    return totalEvaluations;
  }

  /** Events answered from a {@link VerdictMemo} so far, without a scan or an evaluation. */
  public long verdictsRemembered() {
    long n = 0;
    for (VerdictMemo m : verdicts) {
      if (m != null) {
        n += m.hits();
      }
    }
    return n;
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
    for (VerdictMemo m : verdicts) {
      if (m != null) {
        m.resetCounts();
      }
    }
  }
}
