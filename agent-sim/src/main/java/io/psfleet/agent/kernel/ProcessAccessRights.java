package io.psfleet.agent.kernel;

/**
 * Process and thread access rights (winnt.h), as handle requests and Sysmon's GrantedAccess carry.
 */
public final class ProcessAccessRights {
  public static final int PROCESS_TERMINATE = 0x0001;
  public static final int PROCESS_CREATE_THREAD = 0x0002;
  public static final int PROCESS_VM_OPERATION = 0x0008;
  public static final int PROCESS_VM_READ = 0x0010;
  public static final int PROCESS_VM_WRITE = 0x0020;
  public static final int PROCESS_DUP_HANDLE = 0x0040;
  public static final int PROCESS_QUERY_INFORMATION = 0x0400;
  public static final int PROCESS_SUSPEND_RESUME = 0x0800;
  public static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
  public static final int PROCESS_ALL_ACCESS = 0x001F_FFFF;
  public static final int THREAD_ALL_ACCESS = 0x001F_FFFF;

  private ProcessAccessRights() {}
}
