package io.psfleet.agent.kernel;

/**
 * The parts of a primary token a sensor reports. Immutable and shared: a fleet has few distinct
 * (user, integrity, session, logon) combinations.
 *
 * @param logonId the token's AuthenticationId, the LUID of its logon session: the well-known 0x3e7
 *     (SYSTEM), 0x3e4 (NETWORK SERVICE) and 0x3e5 (LOCAL SERVICE), and an id LSA hands out per
 *     interactive logon; UAC's elevated and filtered tokens of one user are two logon sessions
 * @param logonTimeNanos when that logon session began (the boot, for the service accounts)
 */
public record ProcessToken(
    String user, IntegrityLevel integrityLevel, int sessionId, long logonId, long logonTimeNanos) {

  /** Mandatory integrity levels, lowest first. */
  public enum IntegrityLevel {
    UNTRUSTED,
    LOW,
    MEDIUM,
    HIGH,
    SYSTEM,
    PROTECTED
  }

  public static final long SYSTEM_LUID = 0x3e7;
  public static final long NETWORK_SERVICE_LUID = 0x3e4;
  public static final long LOCAL_SERVICE_LUID = 0x3e5;

  public static final ProcessToken SYSTEM =
      new ProcessToken("NT AUTHORITY\\SYSTEM", IntegrityLevel.SYSTEM, 0);

  /**
   * A token in the well-known logon session of its account (0x3e7, 0x3e4, 0x3e5), or logon id 0
   * (unknown) for any other account.
   */
  public ProcessToken(String user, IntegrityLevel integrityLevel, int sessionId) {
    this(user, integrityLevel, sessionId, wellKnownLogonId(user), 0);
  }

  /** The same account and session at another integrity level in another logon session. */
  public ProcessToken withIntegrity(IntegrityLevel level, long otherLogonId) {
    return new ProcessToken(user, level, sessionId, otherLogonId, logonTimeNanos);
  }

  /** The logon session of a service account, or 0. */
  public static long wellKnownLogonId(String user) {
    return switch (user) {
      case "NT AUTHORITY\\SYSTEM" -> SYSTEM_LUID;
      case "NT AUTHORITY\\NETWORK SERVICE" -> NETWORK_SERVICE_LUID;
      case "NT AUTHORITY\\LOCAL SERVICE" -> LOCAL_SERVICE_LUID;
      default -> 0;
    };
  }
}
