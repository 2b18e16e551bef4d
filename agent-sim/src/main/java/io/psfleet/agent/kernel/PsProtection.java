package io.psfleet.agent.kernel;

/**
 * PS_PROTECTION: a process's protection type and signer, set at creation (the
 * PS_ATTRIBUTE_PROTECTION_LEVEL that wininit passes for lsass when LSA protection, RunAsPPL, is
 * on).
 *
 * <p>A caller whose own protection does not dominate a protected target's may open the target, or
 * its threads, only for the limited rights below; any other right fails the open with
 * STATUS_ACCESS_DENIED, before the target's security descriptor is consulted, whatever the caller's
 * token holds (SeDebugPrivilege included): what stops mimikatz's 0x1010 on a protected lsass while
 * Task Manager's 0x1000 still works. Dominance is modelled as at least the target's type and at
 * least its signer, a simplification of the kernel's per-signer table (RtlTestProtectedAccess) that
 * holds for the signers modelled here.
 */
public record PsProtection(Type type, Signer signer) {
  /** PS_PROTECTED_TYPE, weakest first. */
  public enum Type {
    PsProtectedTypeNone,
    PsProtectedTypeProtectedLight,
    PsProtectedTypeProtected
  }

  /** PS_PROTECTED_SIGNER, weakest first. */
  public enum Signer {
    PsProtectedSignerNone,
    PsProtectedSignerAuthenticode,
    PsProtectedSignerCodeGen,
    PsProtectedSignerAntimalware,
    PsProtectedSignerLsa,
    PsProtectedSignerWindows,
    PsProtectedSignerWinTcb,
    PsProtectedSignerWinSystem
  }

  /** An ordinary process. */
  public static final PsProtection NONE =
      new PsProtection(Type.PsProtectedTypeNone, Signer.PsProtectedSignerNone);

  /** lsass run as a protected process light (LSA protection, RunAsPPL). */
  public static final PsProtection LSA_LIGHT =
      new PsProtection(Type.PsProtectedTypeProtectedLight, Signer.PsProtectedSignerLsa);

  /** The System process: fully protected, WinSystem signer. */
  public static final PsProtection SYSTEM =
      new PsProtection(Type.PsProtectedTypeProtected, Signer.PsProtectedSignerWinSystem);

  /**
   * What a non-dominating caller may get on a protected process: SYNCHRONIZE,
   * PROCESS_QUERY_LIMITED_INFORMATION, PROCESS_SET_LIMITED_INFORMATION, PROCESS_SUSPEND_RESUME and
   * PROCESS_TERMINATE.
   */
  public static final int PROCESS_LIMITED_ACCESS = 0x0010_0000 | 0x1000 | 0x2000 | 0x0800 | 0x0001;

  /**
   * What a non-dominating caller may get on a protected process's thread: SYNCHRONIZE,
   * THREAD_QUERY_LIMITED_INFORMATION, THREAD_SET_LIMITED_INFORMATION, THREAD_SUSPEND_RESUME and
   * THREAD_TERMINATE.
   */
  public static final int THREAD_LIMITED_ACCESS = 0x0010_0000 | 0x0800 | 0x0400 | 0x0002 | 0x0001;

  public PsProtection {
    java.util.Objects.requireNonNull(type, "type");
    java.util.Objects.requireNonNull(signer, "signer");
  }

  public boolean isProtected() {
    return type != Type.PsProtectedTypeNone;
  }

  public boolean isLight() {
    return type == Type.PsProtectedTypeProtectedLight;
  }

  /** Whether a caller with this protection may have any access to a process with {@code target}. */
  public boolean dominates(PsProtection target) {
    return type.compareTo(target.type) >= 0 && signer.compareTo(target.signer) >= 0;
  }
}
