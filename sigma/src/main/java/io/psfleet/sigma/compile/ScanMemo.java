package io.psfleet.sigma.compile;

import java.util.Arrays;

/**
 * The literal hits of one automaton on the values it saw lately, so that a value which recurs is
 * scanned once. Fleet telemetry repeats itself: a DLL's path, version strings and hashes come with
 * every process that loads it, a parent's image with each of its children, a service's command line
 * with each of its starts. Looking a value up costs its hash and one comparison; a scan costs
 * lower-casing it and a pass of the automaton.
 *
 * <p>Direct-mapped by the value's hash: a collision replaces the older entry, so the memo never
 * grows. Keys are the raw values (case kept): equal raw values have equal lower-cased text, hence
 * equal hits. Values longer than {@link #MAX_KEY_LENGTH} are not kept, so one huge command line
 * cannot pin memory. Allocates only when it remembers a new value. Not thread-safe: one per
 * matcher.
 */
public final class ScanMemo implements LiteralAutomaton.Hits {
  /** Longest value remembered, in chars. */
  public static final int MAX_KEY_LENGTH = 512;

  private static final int[] NO_HITS = new int[0];

  private final String[] keys;
  private final int[][] hits;
  private final int mask;
  private int[] recording = new int[16];
  private int recorded;

  /** A memo of {@code slots} entries (a power of two). */
  public ScanMemo(int slots) {
    if (slots <= 0 || (slots & (slots - 1)) != 0) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    this.keys = new String[slots];
    this.hits = new int[slots][];
    this.mask = slots - 1;
  }

  /** The distinct hits remembered for {@code value}, or null when it is not remembered. */
  public int[] remembered(String value) {
    int slot = slot(value);
    String key = keys[slot];
    // Identity first: a value rendered once and reused (a cached Hashes string) costs no compare.
    if (key == value || (key != null && key.equals(value))) {
      return hits[slot];
    }
    return null;
  }

  /**
   * Scans {@code lower[0, length)}, the lower-cased text of {@code value}, and returns its distinct
   * hits (in no particular order), remembering them when the value is not too long.
   */
  public int[] scan(LiteralAutomaton automaton, String value, char[] lower, int length) {
    recorded = 0;
    automaton.scan(lower, length, this);
    int[] found = distinct();
    if (value.length() <= MAX_KEY_LENGTH) {
      int slot = slot(value);
      keys[slot] = value;
      hits[slot] = found;
    }
    return found;
  }

  @Override
  public void hit(int code) {
    if (recorded == recording.length) {
      recording = Arrays.copyOf(recording, recorded * 2);
    }
    recording[recorded++] = code;
  }

  private int[] distinct() {
    if (recorded == 0) {
      return NO_HITS;
    }
    int[] found = Arrays.copyOf(recording, recorded);
    Arrays.sort(found);
    int n = 1;
    for (int i = 1; i < found.length; i++) {
      if (found[i] != found[n - 1]) {
        found[n++] = found[i];
      }
    }
    return n == found.length ? found : Arrays.copyOf(found, n);
  }

  private int slot(String value) {
    int h = value.hashCode();
    return (h ^ (h >>> 16)) & mask;
  }
}
