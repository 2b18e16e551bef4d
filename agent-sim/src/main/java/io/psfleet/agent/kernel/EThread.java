package io.psfleet.agent.kernel;

/** ETHREAD: a thread object. It holds a reference on its process for as long as it exists. */
public final class EThread extends KernelObject {
  private final EProcess process;
  private final long win32StartAddress;
  private boolean terminating;
  private boolean exited;

  EThread(int threadId, EProcess process, long win32StartAddress) {
    super(threadId);
    this.process = process;
    this.win32StartAddress = win32StartAddress;
  }

  int threadId() {
    return clientId();
  }

  EProcess process() {
    return process;
  }

  long win32StartAddress() {
    return win32StartAddress;
  }

  boolean terminating() {
    return terminating;
  }

  void setTerminating() {
    terminating = true;
  }

  boolean exited() {
    return exited;
  }

  void setExited() {
    exited = true;
  }

  @Override
  public String toString() {
    return "ETHREAD(tid " + threadId() + " in pid " + process.processId() + ")";
  }
}
