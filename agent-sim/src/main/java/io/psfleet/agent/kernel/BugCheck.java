package io.psfleet.agent.kernel;

/**
 * A simulated blue screen: the stop code, its name and its four parameters as the real kernel would
 * report them, plus a sentence for people reading the simulator's report.
 */
public record BugCheck(int code, String name, long p1, long p2, long p3, long p4, String detail) {

  public static final int INVALID_PROCESS_DETACH_ATTEMPT = 0x06;
  public static final int IRQL_NOT_GREATER_OR_EQUAL = 0x09;
  public static final int IRQL_NOT_LESS_OR_EQUAL = 0x0A;
  public static final int REFERENCE_BY_POINTER = 0x18;
  public static final int BAD_POOL_CALLER = 0xC2;
  public static final int DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS = 0xCE;

  @Override
  public String toString() {
    return String.format(
        "BugCheck 0x%X %s (%X, %X, %X, %X): %s", code, name, p1, p2, p3, p4, detail);
  }
}
