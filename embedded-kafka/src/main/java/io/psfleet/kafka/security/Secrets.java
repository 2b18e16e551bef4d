package io.psfleet.kafka.security;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random passwords for one run's stores and users: never reused, never written in the repo. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** 144 random bits as 36 hex digits (no character any config format needs escaped). */
  public static String password() {
    byte[] secret = new byte[18];
    RANDOM.nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }
}
