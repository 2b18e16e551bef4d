package io.psfleet.agent.kernel;

/** The NTSTATUS values the modelled routines return, with their real codes. */
public enum NtStatus {
  STATUS_SUCCESS(0x00000000),
  STATUS_PENDING(0x00000103),
  STATUS_INVALID_CID(0xC000000B),
  STATUS_INVALID_PARAMETER(0xC000000D),
  STATUS_INVALID_DEVICE_REQUEST(0xC0000010),
  STATUS_ACCESS_DENIED(0xC0000022),
  STATUS_THREAD_IS_TERMINATING(0xC000004B),
  STATUS_PRIVILEGE_NOT_HELD(0xC0000061),
  STATUS_PROCEDURE_NOT_FOUND(0xC000007A),
  STATUS_INSUFFICIENT_RESOURCES(0xC000009A),
  STATUS_INVALID_PARAMETER_2(0xC00000F0),
  STATUS_PROCESS_IS_TERMINATING(0xC000010A),
  STATUS_NOT_FOUND(0xC0000225),
  STATUS_VIRUS_INFECTED(0xC0000906),
  STATUS_FLT_INSTANCE_ALTITUDE_COLLISION(0xC01C0011);

  private final int code;

  NtStatus(int code) {
    this.code = code;
  }

  /** The 32-bit NTSTATUS value. */
  public int code() {
    return code;
  }

  /** NT_SUCCESS: severity success or informational. */
  public static boolean ntSuccess(int status) {
    return status >= 0;
  }

  public boolean isSuccess() {
    return ntSuccess(code);
  }

  /** Readable form of any NTSTATUS value, named when it is one of ours. */
  public static String describe(int status) {
    for (NtStatus s : values()) {
      if (s.code == status) {
        return s.name();
      }
    }
    return String.format("0x%08X", status);
  }
}
