package io.psfleet.sigma;

import java.util.Arrays;

/**
 * A matcher's recent verdicts on one event kind, keyed by the values of every field the kind's
 * rules read ({@link SigmaRuleSet.KindIndex#verdictKey}) and the presence of those they only test
 * with {@code |exists} ({@link SigmaRuleSet.KindIndex#verdictPresence}, keyed as the empty text
 * where present: rendering a value no rule reads, such as {@code Hashes} for psfleet's pack, cost
 * about what the memo saved). A rule's verdict is a function of those values alone, and most events
 * of a fleet repeat them: every process of an image loads the same DLLs from the same paths with
 * the same hashes and signatures, so an image load whose process image, module and module
 * attributes were seen lately is answered without scanning a field or evaluating a rule.
 *
 * <p>Two-way set associative: the set comes from a hash of every key value's length and last
 * {@value #HASHED_TAIL} chars (where paths, command lines and digests differ; hashing whole values
 * costs a char each). Every value counts: hashing only the most read fields put every image that
 * loads a module into the one set of that module and its signature. Sixteen chars, not eight: with
 * the digests out of psfleet's pack's key, the last eight chars of module paths ({@code -1-0.dll},
 * {@code 32\x.dll}) crowded sets enough to lose one hit in seven of those the digests had spread.
 * An entry answers only where every key field is equal, so a collision costs a miss, never a wrong
 * verdict. An entry keeps its key as one char array (each value's length, then its chars) and is
 * compared with the event's values copied likewise, in one vectorised comparison: comparing the
 * values as the entry's dozen strings, scattered over the heap, waited on memory for most of an
 * image load's time in the engine.
 *
 * <p>Where a kind's events rarely repeat (process creations, whose command lines and process ids
 * differ), a window of {@value #WINDOW} lookups with fewer than one hit in four pauses the memo for
 * {@value #PAUSE_EVENTS} events of the kind, after which it tries again: it costs little where it
 * cannot help (a miss fetches and renders every key field, which the prefilter alone might not have
 * needed). One per matcher and kind; not thread-safe.
 */
final class VerdictMemo {
  /** Entries of each kind's memo in a matcher. */
  static final int DEFAULT_ENTRIES = 4096;

  /** Chars hashed from the end of each key value, beside its length. */
  static final int HASHED_TAIL = 16;

  /** Lookups over which the hit rate is judged. */
  static final int WINDOW = 1024;

  /** Events a window of few hits pauses the memo for. */
  static final int PAUSE_EVENTS = 64 * WINDOW;

  private static final int[] NO_MATCH = new int[0];

  /** The key value of a presence-only field that the event has. */
  static final String PRESENT = "";

  private final int[] fields;
  private final int[] presence;
  private final int shift;

  /** Per entry: its key as {@link #flatten} writes it, or null (empty). */
  private final char[][] keys;

  private final int[][] verdicts;

  /** The event's key, flattened by {@link #find}: {@code flat[0, flatLength)}. */
  private char[] flat = new char[256];

  private int flatLength;

  /** Per set: whether its second entry was stored or found after its first. */
  private final boolean[] secondNewer;

  /** This event's values of {@link #fields}, which the matcher fills before {@link #find}. */
  final String[] current;

  /** The entry the verdict of the last event {@link #find} missed goes to, or -1. */
  private int vacancy = -1;

  private int windowLookups;
  private int windowHits;
  private int paused;
  private long lookups;
  private long hits;

  VerdictMemo(int[] fields, int[] presence, int entries) {
    if (entries < 4 || Integer.bitCount(entries) != 1) {
      throw new IllegalArgumentException("entries must be a power of two, at least 4: " + entries);
    }
    this.fields = fields.clone();
    this.presence = presence.clone();
    this.shift = 32 - Integer.numberOfTrailingZeros(entries / 2);
    this.keys = new char[entries][];
    this.verdicts = new int[entries][];
    this.secondNewer = new boolean[entries / 2];
    this.current = new String[fields.length + presence.length];
  }

  /** The ids of the key's fields read by value, in the order of {@link #current}. */
  int[] fields() {
    return fields;
  }

  /**
   * The ids of the key's presence-only fields, after {@link #fields} in {@link #current}: {@link
   * #PRESENT} or null.
   */
  int[] presence() {
    return presence;
  }

  /** Whether to consult the memo for this event: not while a window of few hits pauses it. */
  boolean active() {
    if (paused > 0) {
      paused--;
      return false;
    }
    return true;
  }

  /**
   * The verdict remembered for the values in {@link #current}: indexes of the kind's rules that
   * match, in rule-set order; null where none is remembered, and then {@link #remember} keeps this
   * event's.
   */
  int[] find() {
    int h = flatten();
    int first = ((h * 0x9E3779B9) >>> shift) << 1;
    int found = holds(first) ? first : holds(first + 1) ? first + 1 : -1;
    lookups++;
    int[] verdict = null;
    if (found >= 0) {
      hits++;
      windowHits++;
      secondNewer[first >> 1] = found != first;
      verdict = verdicts[found];
      vacancy = -1;
    } else if (keys[first] == null) {
      vacancy = first;
    } else if (keys[first + 1] == null) {
      vacancy = first + 1;
    } else {
      vacancy = secondNewer[first >> 1] ? first : first + 1;
    }
    if (++windowLookups == WINDOW) {
      if (windowHits * 4 < WINDOW) {
        paused = PAUSE_EVENTS;
      }
      windowLookups = 0;
      windowHits = 0;
    }
    return verdict;
  }

  /**
   * Writes {@link #current} into {@link #flat}: per value, its length plus one in two chars (0 for
   * null), then its chars; so two keys are equal exactly where their flattenings are. Returns the
   * hash of each value's length and last chars.
   */
  private int flatten() {
    int n = 0;
    int h = 0;
    for (String v : current) {
      int len = v == null ? 0 : v.length();
      if (flat.length < n + 2 + len) {
        flat = Arrays.copyOf(flat, Math.max(2 * flat.length, n + 2 + len));
      }
      int tag = v == null ? 0 : len + 1;
      flat[n++] = (char) (tag >>> 16);
      flat[n++] = (char) tag;
      h = 31 * h + tag;
      if (v != null) {
        // From the string, not from flat: reading back chars just stored by the vectorised copy
        // stalls on every one.
        for (int i = len - Math.min(len, HASHED_TAIL); i < len; i++) {
          h = 31 * h + v.charAt(i);
        }
        v.getChars(0, len, flat, n);
        n += len;
      }
    }
    flatLength = n;
    return h;
  }

  private boolean holds(int entry) {
    char[] key = keys[entry];
    return key != null
        && key.length == flatLength
        && Arrays.equals(key, 0, flatLength, flat, 0, flatLength);
  }

  /**
   * Keeps the verdict ({@code matched[0, count)}, rule indexes in rule-set order) of the event the
   * last {@link #find} missed.
   */
  void remember(int[] matched, int count) {
    int entry = vacancy;
    if (entry < 0) {
      return;
    }
    vacancy = -1;
    keys[entry] = Arrays.copyOf(flat, flatLength);
    verdicts[entry] = count == 0 ? NO_MATCH : Arrays.copyOf(matched, count);
    secondNewer[entry >> 1] = (entry & 1) != 0;
  }

  /** Lookups so far. */
  long lookups() {
    return lookups;
  }

  /** Lookups answered so far. */
  long hits() {
    return hits;
  }

  void resetCounts() {
    lookups = 0;
    hits = 0;
  }
}
