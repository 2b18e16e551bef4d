package io.psfleet.agent.kernel;

/**
 * The parts of a primary token a sensor reports. Immutable and shared: a fleet has few distinct
 * (user, integrity, session) triples.
 */
public record ProcessToken(String user, IntegrityLevel integrityLevel, int sessionId) {

  /** Mandatory integrity levels, lowest first. */
  public enum IntegrityLevel {
    UNTRUSTED,
    LOW,
    MEDIUM,
    HIGH,
    SYSTEM,
    PROTECTED
  }

  public static final ProcessToken SYSTEM =
      new ProcessToken("NT AUTHORITY\\SYSTEM", IntegrityLevel.SYSTEM, 0);
}
