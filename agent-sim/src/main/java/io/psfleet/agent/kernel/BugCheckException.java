package io.psfleet.agent.kernel;

/**
 * Thrown out of the kernel when it bug checks, and on every later call into a halted kernel. It
 * unwinds to whatever drives the host, which stops that host and reports the bug check; the other
 * hosts of the simulator go on.
 */
public final class BugCheckException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient BugCheck bugCheck;

  BugCheckException(BugCheck bugCheck) {
    super(bugCheck.toString(), null, false, false);
    this.bugCheck = bugCheck;
  }

  public BugCheck bugCheck() {
    return bugCheck;
  }
}
