package io.psfleet.agent.sensor;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The file hashes Sysmon can compute, in the order Sysmon writes them in {@code Hashes} ({@code
 * SHA1=...,MD5=...,SHA256=...,IMPHASH=...}) whatever order its configuration names them in.
 */
public enum HashAlgorithm {
  SHA1,
  MD5,
  SHA256,
  IMPHASH;

  /**
   * Every algorithm, Sysmon's {@code <HashAlgorithms>*</HashAlgorithms>}: what the sensor computes
   * unless configured otherwise, so that rules holding MD5, SHA1 or IMPHASH values can match.
   */
  public static final Set<HashAlgorithm> DEFAULT = Set.copyOf(EnumSet.allOf(HashAlgorithm.class));

  /**
   * Parses Sysmon's {@code HashAlgorithms} value: names separated by commas, any case ({@code
   * md5,sha256,IMPHASH}), or {@code *} for all.
   *
   * @throws IllegalArgumentException naming the value it does not know
   */
  public static Set<HashAlgorithm> parse(String value) {
    if (value.trim().equals("*")) {
      return DEFAULT;
    }
    EnumSet<HashAlgorithm> set = EnumSet.noneOf(HashAlgorithm.class);
    for (String part : value.split(",")) {
      String name = part.trim().toUpperCase(Locale.ROOT).replace("-", "");
      try {
        set.add(valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown hash algorithm '" + part.trim() + "' (known: SHA1, MD5, SHA256, IMPHASH, *)");
      }
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException("no hash algorithm in '" + value + "'");
    }
    return Set.copyOf(set);
  }
}
