package io.psfleet.agent.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One simulated host's kernel: the Ps routines a driver calls, and the executive operations
 * (process and thread creation, exit, image mapping, driver load) that the workload performs and
 * that raise the notifications.
 *
 * <p>Routines carry their kernel names so that a reader who knows the DDK finds them; each
 * documents the IRQL bound it enforces. Calling above that bound, dereferencing an object that has
 * no reference left, throwing out of a callback, or unloading a driver whose routines are still
 * registered bug checks the host: the call throws {@link BugCheckException}, and so does every
 * later call. Nothing outside this host is affected.
 *
 * <p>Callback order for a new process, as Windows raises them: process-create routines (creator's
 * context, after the initial thread exists but before it runs; they may block the process), then
 * thread-create routines for that initial thread: PsSetCreateThreadNotifyRoutine ones in the
 * creator's context, so that it looks remote, then PsCreateThreadNotifyNonSystem ones on the
 * initial thread itself as it starts, which is how a sensor tells it apart; then image-load
 * routines for the executable and ntdll, raised in the new process's initial thread (the loader
 * maps the rest after). A blocked process gets no further notification, not even an exit.
 */
public final class Kernel {
  /** Routines per notify list (PSP_MAX_CREATE_PROCESS_NOTIFY and its siblings). */
  public static final int MAX_NOTIFY_ROUTINES = 64;

  /** Length of EPROCESS.ImageFileName, which PsGetProcessImageFileName returns. */
  public static final int IMAGE_FILE_NAME_LENGTH = 15;

  public static final int SYSTEM_PROCESS_ID = 4;

  /** The System process's, and so by inheritance the boot processes', working directory. */
  public static final String SYSTEM_DIRECTORY = "C:\\Windows\\system32\\";

  private static final int ENTRY_POINT_OFFSET = 0x1000;
  private static final long FILETIME_UNIX_EPOCH = 116_444_736_000_000_000L;
  private static final int SYSTEM_THREAD_EXCEPTION_NOT_HANDLED = 0x7E;
  private static final int CRITICAL_PROCESS_DIED = 0xEF;

  private final ClientIdTable cids = new ClientIdTable();

  /** PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE, the one flag PsSetLoadImageNotifyRoutineEx takes. */
  public static final long PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE = 0x1;

  private final NotifyRoutineList<ProcessNotifySlot> processRoutines =
      new NotifyRoutineList<>(MAX_NOTIFY_ROUTINES);
  private final NotifyRoutineList<ThreadNotifySlot> threadRoutines =
      new NotifyRoutineList<>(MAX_NOTIFY_ROUTINES);
  private final NotifyRoutineList<LoadImageNotifyRoutine> imageRoutines =
      new NotifyRoutineList<>(MAX_NOTIFY_ROUTINES);
  private final ArrayDeque<WorkItem> workQueue = new ArrayDeque<>();

  /** ObRegisterCallbacks registrations, highest altitude first. */
  private final List<ObCallbackEntry> obCallbacks = new ArrayList<>();

  private final long aslrSalt;
  private final ImageFile systemDll;
  private final Irql threadNotifyIrql;
  private final EProcess systemProcess;
  private final EThread systemThread;
  private final Processor[] processors;

  /** The processor the code driving this host runs on now. */
  private Processor current;

  /** Processors that callers on other Java threads bound themselves to (runOnProcessor). */
  private final ThreadLocal<Processor> bound = new ThreadLocal<>();

  private final java.util.concurrent.atomic.AtomicInteger boundCallers =
      new java.util.concurrent.atomic.AtomicInteger();
  private long nowNanos;
  private BugCheck bugCheck;
  private int poolBuffersOut;
  private int tokenReferencesOut;

  /** Boots the kernel: the System process (pid 4) and its first thread exist, nothing else. */
  public Kernel(BootParameters boot) {
    this.aslrSalt = boot.aslrSalt();
    this.systemDll = boot.systemDll();
    this.threadNotifyIrql = boot.threadNotifyIrql();
    this.processors = new Processor[boot.processors()];
    for (int i = 0; i < processors.length; i++) {
      processors[i] = new Processor(i);
    }
    this.nowNanos = boot.bootTimeNanos();
    int pid =
        cids.allocate(
            id ->
                new EProcess(
                    id,
                    boot.kernelImage(),
                    null,
                    ProcessToken.SYSTEM,
                    0,
                    boot.bootTimeNanos(),
                    false,
                    SYSTEM_DIRECTORY));
    systemProcess = (EProcess) cids.lookup(pid);
    systemProcess.setProtection(PsProtection.SYSTEM);
    systemProcess.setState(EProcess.State.RUNNING);
    systemThread = newThread(systemProcess, boot.kernelImage().baseAddress(aslrSalt));
    current = processorOf(systemThread);
    current.thread = systemThread;
  }

  // ---------------------------------------------------------------- clock, IRQL, current context

  /** KeQuerySystemTimePrecise, in nanoseconds since the Unix epoch. */
  public long now() {
    return nowNanos;
  }

  /** Moves simulated time forward; time never goes back. */
  public void advanceClockTo(long nanos) {
    if (nanos > nowNanos) {
      nowNanos = nanos;
    }
  }

  /** KeGetCurrentIrql: the current processor's IRQL. Any IRQL. */
  public Irql keGetCurrentIrql() {
    return processor().irql;
  }

  /** KeGetCurrentProcessorNumberEx: the processor the caller runs on. Any IRQL. */
  public int keGetCurrentProcessorNumber() {
    return processor().number;
  }

  /** KeQueryActiveProcessorCount. Any IRQL. */
  public int keQueryActiveProcessorCount() {
    return processors.length;
  }

  /**
   * Runs {@code work} on processor {@code number} as {@code thread}, from the calling Java thread,
   * at the same time as work on other processors: a host's kernel objects and reference counts are
   * safe to look up and dereference concurrently. One caller per processor at a time.
   */
  public void runOnProcessor(int number, EThread thread, Runnable work) {
    Processor processor = processors[number];
    EThread previous = processor.thread;
    processor.thread = thread;
    bound.set(processor);
    boundCallers.incrementAndGet();
    try {
      work.run();
    } finally {
      boundCallers.decrementAndGet();
      bound.remove();
      processor.thread = previous;
    }
  }

  /**
   * KeRaiseIrql (any IRQL): returns the previous level for {@link #keLowerIrql}. A level below the
   * current one is bug check 0x9 IRQL_NOT_GREATER_OR_EQUAL, as the HAL raises it.
   */
  public Irql keRaiseIrql(Irql newIrql) {
    checkRunning();
    Processor processor = processor();
    Irql irql = processor.irql;
    if (newIrql.compareTo(irql) < 0) {
      throw bugCheck(
          BugCheck.IRQL_NOT_GREATER_OR_EQUAL,
          "IRQL_NOT_GREATER_OR_EQUAL",
          irql.ordinal(),
          newIrql.ordinal(),
          0,
          0,
          "KeRaiseIrql from " + irql + " to the lower " + newIrql);
    }
    processor.irql = newIrql;
    return irql;
  }

  /**
   * KeLowerIrql (any IRQL): back to the level KeRaiseIrql returned. A level above the current one
   * is bug check 0xA IRQL_NOT_LESS_OR_EQUAL.
   */
  public void keLowerIrql(Irql newIrql) {
    checkRunning();
    Processor processor = processor();
    Irql irql = processor.irql;
    if (newIrql.isAbove(irql)) {
      throw bugCheck(
          BugCheck.IRQL_NOT_LESS_OR_EQUAL,
          "IRQL_NOT_LESS_OR_EQUAL",
          0,
          irql.ordinal(),
          newIrql.ordinal(),
          0,
          "KeLowerIrql from " + irql + " to the higher " + newIrql);
    }
    processor.irql = newIrql;
  }

  /** PsGetCurrentThread: the thread whose context the caller runs in. Any IRQL. */
  public EThread psGetCurrentThread() {
    return processor().thread;
  }

  /**
   * PsGetCurrentProcess. Any IRQL. While the thread is attached (KeStackAttachProcess) it is the
   * process attached to, whose address space is current; PsGetCurrentProcessId stays the thread's
   * own.
   */
  public EProcess psGetCurrentProcess() {
    Processor processor = processor();
    return processor.attachedProcess != null
        ? processor.attachedProcess
        : processor.thread.process();
  }

  /** PsGetCurrentProcessId. Any IRQL. */
  public int psGetCurrentProcessId() {
    return processor().thread.process().processId();
  }

  /** PsGetCurrentThreadId. Any IRQL. */
  public int psGetCurrentThreadId() {
    return processor().thread.threadId();
  }

  // ---------------------------------------------------------------- object manager and lookups

  /**
   * PsLookupProcessByProcessId (IRQL &lt;= APC_LEVEL). Succeeds for any process object still in the
   * table, an exited one (a zombie) included; the caller owns one reference.
   */
  public Lookup<EProcess> psLookupProcessByProcessId(int processId) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "PsLookupProcessByProcessId");
    if (cids.lookup(processId) instanceof EProcess process && process.tryReferenceByCaller()) {
      return new Lookup<>(NtStatus.STATUS_SUCCESS, process);
    }
    return new Lookup<>(NtStatus.STATUS_INVALID_CID, null);
  }

  /**
   * PsLookupThreadByThreadId (IRQL &lt;= APC_LEVEL). The caller owns one reference. An unknown id
   * gives STATUS_INVALID_PARAMETER, the status its page lists (the process lookup's page lists
   * STATUS_INVALID_CID instead).
   */
  public Lookup<EThread> psLookupThreadByThreadId(int threadId) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "PsLookupThreadByThreadId");
    if (cids.lookup(threadId) instanceof EThread thread && thread.tryReferenceByCaller()) {
      return new Lookup<>(NtStatus.STATUS_SUCCESS, thread);
    }
    return new Lookup<>(NtStatus.STATUS_INVALID_PARAMETER, null);
  }

  /** ObReferenceObject (IRQL &lt;= DISPATCH_LEVEL): one more reference on a live object. */
  public void obReferenceObject(KernelObject object) {
    checkRunning();
    requireIrqlAtMost(Irql.DISPATCH_LEVEL, "ObReferenceObject");
    if (object.isDeleted()) {
      throw bugCheck(
          BugCheck.REFERENCE_BY_POINTER,
          "REFERENCE_BY_POINTER",
          object.clientId(),
          0,
          0,
          0,
          "ObReferenceObject on deleted " + object);
    }
    object.referenceByCaller();
  }

  /**
   * ObDereferenceObject (IRQL &lt;= DISPATCH_LEVEL). The last reference deletes the object and
   * frees its id. Releasing a reference the caller does not own bug checks 0x18.
   */
  public void obDereferenceObject(KernelObject object) {
    checkRunning();
    requireIrqlAtMost(Irql.DISPATCH_LEVEL, "ObDereferenceObject");
    int released = object.isDeleted() ? -1 : object.releaseCallerReference();
    if (released < 0) {
      throw bugCheck(
          BugCheck.REFERENCE_BY_POINTER,
          "REFERENCE_BY_POINTER",
          object.clientId(),
          object.pointerCount(),
          0,
          0,
          "ObDereferenceObject released a reference nobody held on " + object);
    }
    if (released == 1) {
      delete(object);
    }
  }

  // ---------------------------------------------------------------- accessors

  /** PsGetProcessId. Any IRQL. */
  public int psGetProcessId(EProcess process) {
    return process.processId();
  }

  /** PsGetThreadId. Any IRQL. */
  public int psGetThreadId(EThread thread) {
    return thread.threadId();
  }

  /** PsGetThreadProcess. Any IRQL. */
  public EProcess psGetThreadProcess(EThread thread) {
    return thread.process();
  }

  /** PsGetThreadProcessId. Any IRQL. */
  public int psGetThreadProcessId(EThread thread) {
    return thread.process().processId();
  }

  /** PsGetProcessInheritedFromUniqueProcessId: the reported parent's id. Any IRQL. */
  public int psGetProcessInheritedFromUniqueProcessId(EProcess process) {
    return process.inheritedFromUniqueProcessId();
  }

  /**
   * PsGetProcessImageFileName: EPROCESS.ImageFileName, the file name cut to {@value
   * #IMAGE_FILE_NAME_LENGTH} characters ("System" for the System process). Any IRQL.
   */
  public String psGetProcessImageFileName(EProcess process) {
    if (process == systemProcess) {
      return "System";
    }
    String name = process.image().fileName();
    return name.length() <= IMAGE_FILE_NAME_LENGTH
        ? name
        : name.substring(0, IMAGE_FILE_NAME_LENGTH);
  }

  /**
   * SeLocateProcessImageName (PASSIVE_LEVEL): STATUS_SUCCESS and a pool buffer with the
   * executable's full path, which the caller frees with {@link #exFreePool}. Every modelled process
   * has an image file, so the page's other status, STATUS_NOT_FOUND, does not arise here.
   */
  public LocatedImageName seLocateProcessImageName(EProcess process) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "SeLocateProcessImageName");
    poolBuffersOut++;
    return new LocatedImageName(NtStatus.STATUS_SUCCESS, new UnicodeString(process.image().path()));
  }

  /**
   * ExFreePool (IRQL &lt;= DISPATCH_LEVEL) of a buffer the kernel handed out. Freeing one twice is
   * bug check 0xC2 BAD_POOL_CALLER (parameter 1 = 7: the block was already free).
   */
  public void exFreePool(UnicodeString buffer) {
    checkRunning();
    requireIrqlAtMost(Irql.DISPATCH_LEVEL, "ExFreePool");
    if (buffer.freed()) {
      throw bugCheck(
          BugCheck.BAD_POOL_CALLER,
          "BAD_POOL_CALLER",
          7,
          0,
          0,
          0,
          "ExFreePool of a buffer that was already freed");
    }
    buffer.markFreed();
    poolBuffersOut--;
  }

  /** Pool buffers handed to callers and not yet freed, for leak checks. */
  public int poolBuffersOutstanding() {
    return poolBuffersOut;
  }

  /**
   * ExQueueWorkItem (IRQL &lt;= DISPATCH_LEVEL): {@code work} runs at PASSIVE_LEVEL in a system
   * worker thread. The model's worker picks it up as soon as the notification that queued it has
   * returned, so that a host stays deterministic: the order of work is the order of queueing.
   */
  public void exQueueWorkItem(WorkItem work) {
    checkRunning();
    requireIrqlAtMost(Irql.DISPATCH_LEVEL, "ExQueueWorkItem");
    workQueue.add(work);
  }

  /** The executable's file object (what SeLocateProcessImageName opens), for hashing. */
  public ImageFile psReferenceProcessFilePointer(EProcess process) {
    return process.image();
  }

  /** ZwQueryInformationProcess(ProcessCommandLineInformation) (PASSIVE_LEVEL); may be null. */
  public String zwQueryProcessCommandLine(EProcess process) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "ZwQueryInformationProcess");
    return process.commandLine();
  }

  /**
   * The process's working directory, RTL_USER_PROCESS_PARAMETERS.CurrentDirectory in its PEB, which
   * a sensor reads at create time (PASSIVE_LEVEL). User memory is read in the current address
   * space: a driver must be attached to {@code process} (KeStackAttachProcess), or it reads the
   * current process's memory, where that PEB is not: null.
   */
  public String readProcessCurrentDirectory(EProcess process) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "ZwReadVirtualMemory");
    return psGetCurrentProcess() == process ? process.currentDirectory() : null;
  }

  /**
   * PsReferencePrimaryToken (PASSIVE_LEVEL), reduced to what a sensor reports. Each call takes a
   * token reference that {@link #psDereferencePrimaryToken} must give back; the kernel counts the
   * references out so that a leak shows in tests.
   */
  public ProcessToken psReferencePrimaryToken(EProcess process) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PsReferencePrimaryToken");
    tokenReferencesOut++;
    return process.token();
  }

  /**
   * PsDereferencePrimaryToken (IRQL &lt; DISPATCH_LEVEL). Releasing more token references than were
   * taken is bug check 0x18, as an object reference would be.
   */
  public void psDereferencePrimaryToken(ProcessToken token) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "PsDereferencePrimaryToken");
    if (tokenReferencesOut == 0) {
      throw bugCheck(
          BugCheck.REFERENCE_BY_POINTER,
          "REFERENCE_BY_POINTER",
          0,
          0,
          0,
          0,
          "PsDereferencePrimaryToken released a token reference nobody held");
    }
    tokenReferencesOut--;
  }

  /** Token references taken with PsReferencePrimaryToken and not yet released, for leak checks. */
  public int tokenReferencesOutstanding() {
    return tokenReferencesOut;
  }

  /**
   * The process's primary token as the executive itself reads it (to derive a child's token): no
   * reference is taken, since no driver holds it.
   */
  public ProcessToken processToken(EProcess process) {
    return process.token();
  }

  /**
   * PsGetProcessExitTime (IRQL &lt;= DISPATCH_LEVEL): the current process's exit time as a
   * FILETIME, 0 while it has not exited. Exit routines run after it is set.
   */
  public long psGetProcessExitTime() {
    checkRunning();
    requireIrqlAtMost(Irql.DISPATCH_LEVEL, "PsGetProcessExitTime");
    EProcess process = psGetCurrentProcess();
    return process.state() == EProcess.State.EXITED
        ? process.exitTimeNanos() / 100 + FILETIME_UNIX_EPOCH
        : 0;
  }

  /**
   * PsIsProtectedProcess (exported, undocumented; any IRQL): true for a process with any
   * protection, light or full: System, and lsass where it runs as PPL. Other protected services are
   * not modelled.
   */
  public boolean psIsProtectedProcess(EProcess process) {
    return process.protection().isProtected();
  }

  /**
   * PsIsProtectedProcessLight (exported, undocumented; any IRQL): true for a protected process
   * light, as lsass is with LSA protection (RunAsPPL); false for System, which is fully protected.
   */
  public boolean psIsProtectedProcessLight(EProcess process) {
    return process.protection().isLight();
  }

  /** PsGetProcessSessionId (exported, undocumented; any IRQL): the token's terminal session. */
  public int psGetProcessSessionId(EProcess process) {
    return process.token().sessionId();
  }

  /** PsIsSystemThread (any IRQL): true for a thread of the System process. */
  public boolean psIsSystemThread(EThread thread) {
    return thread.process() == systemProcess;
  }

  /**
   * KeStackAttachProcess (IRQL &lt; DISPATCH_LEVEL): the current thread runs in {@code process}'s
   * address space until the matching KeUnstackDetachProcess; attaches nest.
   */
  public KApcState keStackAttachProcess(EProcess process) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "KeStackAttachProcess");
    Processor processor = processor();
    KApcState state = new KApcState(processor.attachedProcess, ++processor.attachDepth);
    processor.attachedProcess = process;
    return state;
  }

  /**
   * KeUnstackDetachProcess (IRQL &lt; DISPATCH_LEVEL) with the state of the innermost attach;
   * another one (out of order, or twice) is bug check 0x6 INVALID_PROCESS_DETACH_ATTEMPT.
   */
  public void keUnstackDetachProcess(KApcState state) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "KeUnstackDetachProcess");
    Processor processor = processor();
    int attachDepth = processor.attachDepth;
    if (state.depth != attachDepth) {
      throw bugCheck(
          BugCheck.INVALID_PROCESS_DETACH_ATTEMPT,
          "INVALID_PROCESS_DETACH_ATTEMPT",
          0,
          state.depth,
          attachDepth,
          0,
          "KeUnstackDetachProcess with the state of attach "
              + state.depth
              + ", innermost is "
              + attachDepth);
    }
    processor.attachDepth--;
    processor.attachedProcess = state.previous;
  }

  /** PsGetProcessCreateTimeQuadPart: FILETIME, 100 ns units since 1601. Any IRQL. */
  public long psGetProcessCreateTimeQuadPart(EProcess process) {
    return process.createTimeNanos() / 100 + FILETIME_UNIX_EPOCH;
  }

  /** PsGetProcessExitStatus (IRQL &lt;= APC_LEVEL): STATUS_PENDING while the process runs. */
  public int psGetProcessExitStatus(EProcess process) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "PsGetProcessExitStatus");
    return process.state() == EProcess.State.EXITED
        ? process.exitStatus()
        : NtStatus.STATUS_PENDING.code();
  }

  /** PsIsThreadTerminating. Any IRQL. */
  public boolean psIsThreadTerminating(EThread thread) {
    return thread.terminating();
  }

  /** ZwQueryInformationThread(ThreadQuerySetWin32StartAddress) (PASSIVE_LEVEL). */
  public long zwQueryThreadWin32StartAddress(EThread thread) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "ZwQueryInformationThread");
    return thread.win32StartAddress();
  }

  /**
   * The image mapped at {@code address} in {@code process}, or null when the address lies in no
   * image (what a sensor learns by walking the target's loaded-module list).
   */
  public MappedImage findMappedImage(EProcess process, long address) {
    for (int i = 0; i < process.mappedCount(); i++) {
      ImageFile file = process.mappedAt(i);
      MappedImage mapped = new MappedImage(file, file.baseAddress(aslrSalt));
      if (mapped.contains(address)) {
        return mapped;
      }
    }
    return null;
  }

  /**
   * The images mapped in {@code process}, in load order: its loaded-module list, as a sensor walks
   * it to name the modules on a stack.
   */
  public List<MappedImage> loadedModules(EProcess process) {
    List<MappedImage> modules = new ArrayList<>(process.mappedCount());
    for (int i = 0; i < process.mappedCount(); i++) {
      ImageFile file = process.mappedAt(i);
      modules.add(new MappedImage(file, file.baseAddress(aslrSalt)));
    }
    return modules;
  }

  /** Where {@code file} is (or would be) mapped in this boot. */
  public long imageBase(ImageFile file) {
    return file.baseAddress(aslrSalt);
  }

  /** Address of an exported function in this boot, e.g. kernel32!LoadLibraryW. */
  public long exportAddress(ImageFile file, String function) {
    return file.baseAddress(aslrSalt) + file.exportOffset(function);
  }

  // ---------------------------------------------------------------- notify routine registration

  /**
   * PsSetCreateProcessNotifyRoutineEx (PASSIVE_LEVEL). {@code caller} stands for the image holding
   * the routine's code, which the real kernel finds from the routine's address: without the
   * force-integrity flag it answers STATUS_ACCESS_DENIED. Registering a routine twice, or past
   * {@value #MAX_NOTIFY_ROUTINES}, gives STATUS_INVALID_PARAMETER; removing one that is not
   * registered gives STATUS_PROCEDURE_NOT_FOUND. Removal waits for calls in flight.
   */
  public NtStatus psSetCreateProcessNotifyRoutineEx(
      DriverObject caller, CreateProcessNotifyRoutineEx routine, boolean remove) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PsSetCreateProcessNotifyRoutineEx");
    return setProcessSlot(caller, new ProcessNotifySlot.Ex(routine), remove, true);
  }

  /**
   * PsSetCreateProcessNotifyRoutine (PASSIVE_LEVEL), the legacy routine: it shares the {@value
   * #MAX_NOTIFY_ROUTINES} process slots, needs no force-integrity flag, cannot block and never
   * hears of subsystem processes. STATUS_INVALID_PARAMETER when registered twice or the slots are
   * full.
   */
  public NtStatus psSetCreateProcessNotifyRoutine(
      DriverObject caller, CreateProcessNotifyRoutine routine, boolean remove) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PsSetCreateProcessNotifyRoutine");
    return setProcessSlot(caller, new ProcessNotifySlot.Legacy(routine), remove, false);
  }

  /**
   * PsSetCreateProcessNotifyRoutineEx2 (PASSIVE_LEVEL) with PsCreateProcessNotifySubsystems: an Ex
   * routine that also hears of subsystem (Pico) processes, in the same shared slots, with the Ex
   * routine's statuses.
   */
  public NtStatus psSetCreateProcessNotifyRoutineEx2(
      DriverObject caller,
      PsCreateProcessNotifyType notifyType,
      CreateProcessNotifyRoutineEx routine,
      boolean remove) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PsSetCreateProcessNotifyRoutineEx2");
    if (notifyType != PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    return setProcessSlot(caller, new ProcessNotifySlot.Ex2(routine), remove, true);
  }

  private NtStatus setProcessSlot(
      DriverObject caller, ProcessNotifySlot slot, boolean remove, boolean needsIntegrity) {
    if (remove) {
      return processRoutines.remove(slot)
          ? NtStatus.STATUS_SUCCESS
          : NtStatus.STATUS_PROCEDURE_NOT_FOUND;
    }
    if (needsIntegrity && !caller.forceIntegrity()) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    return switch (processRoutines.add(slot, caller, false)) {
      case ADDED -> NtStatus.STATUS_SUCCESS;
      case DUPLICATE, FULL -> NtStatus.STATUS_INVALID_PARAMETER;
    };
  }

  /**
   * PsSetCreateThreadNotifyRoutine (PASSIVE_LEVEL): STATUS_INSUFFICIENT_RESOURCES when all {@value
   * #MAX_NOTIFY_ROUTINES} slots are taken. Like the real list it does not refuse a routine that is
   * already registered; it is then called once per registration.
   */
  public NtStatus psSetCreateThreadNotifyRoutine(
      DriverObject caller, CreateThreadNotifyRoutine routine) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PsSetCreateThreadNotifyRoutine");
    return addThreadSlot(caller, new ThreadNotifySlot.CreatorContext(routine));
  }

  /**
   * PsSetCreateThreadNotifyRoutineEx (PASSIVE_LEVEL). With PsCreateThreadNotifyNonSystem the
   * routine is told of a new thread on that thread itself (so PsGetCurrentThread is the new
   * thread), after the creator-context routines, as the new thread starts only once it is inserted,
   * and never of System threads; with PsCreateThreadNotifySubsystems it is told in the creator's
   * context of the threads of every subsystem, Pico processes' included. Exits as for the other
   * kinds. Shares the {@value #MAX_NOTIFY_ROUTINES} thread slots: STATUS_INSUFFICIENT_RESOURCES
   * when they are full.
   */
  public NtStatus psSetCreateThreadNotifyRoutineEx(
      DriverObject caller, PsCreateThreadNotifyType notifyType, CreateThreadNotifyRoutine routine) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PsSetCreateThreadNotifyRoutineEx");
    return addThreadSlot(
        caller,
        switch (notifyType) {
          case PsCreateThreadNotifyNonSystem -> new ThreadNotifySlot.NewThreadNonSystem(routine);
          case PsCreateThreadNotifySubsystems -> new ThreadNotifySlot.AllSubsystems(routine);
        });
  }

  private NtStatus addThreadSlot(DriverObject caller, ThreadNotifySlot slot) {
    return threadRoutines.add(slot, caller, true) == NotifyRoutineList.AddResult.ADDED
        ? NtStatus.STATUS_SUCCESS
        : NtStatus.STATUS_INSUFFICIENT_RESOURCES;
  }

  /** PsRemoveCreateThreadNotifyRoutine (IRQL &lt;= APC_LEVEL); waits for calls in flight. */
  public NtStatus psRemoveCreateThreadNotifyRoutine(CreateThreadNotifyRoutine routine) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "PsRemoveCreateThreadNotifyRoutine");
    return threadRoutines.remove(new ThreadNotifySlot.CreatorContext(routine))
            || threadRoutines.remove(new ThreadNotifySlot.NewThreadNonSystem(routine))
            || threadRoutines.remove(new ThreadNotifySlot.AllSubsystems(routine))
        ? NtStatus.STATUS_SUCCESS
        : NtStatus.STATUS_PROCEDURE_NOT_FOUND;
  }

  /**
   * PsSetLoadImageNotifyRoutine (PASSIVE_LEVEL): STATUS_INSUFFICIENT_RESOURCES when all {@value
   * #MAX_NOTIFY_ROUTINES} slots are taken.
   */
  public NtStatus psSetLoadImageNotifyRoutine(DriverObject caller, LoadImageNotifyRoutine routine) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PsSetLoadImageNotifyRoutine");
    return imageRoutines.add(routine, caller, true) == NotifyRoutineList.AddResult.ADDED
        ? NtStatus.STATUS_SUCCESS
        : NtStatus.STATUS_INSUFFICIENT_RESOURCES;
  }

  /**
   * PsSetLoadImageNotifyRoutineEx (PASSIVE_LEVEL): as PsSetLoadImageNotifyRoutine, with flags. Any
   * flag but {@link #PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE} is STATUS_INVALID_PARAMETER_2. Every
   * modelled image is of the native architecture, so the flag changes no notification.
   */
  public NtStatus psSetLoadImageNotifyRoutineEx(
      DriverObject caller, LoadImageNotifyRoutine routine, long flags) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PsSetLoadImageNotifyRoutineEx");
    if ((flags & ~PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE) != 0) {
      return NtStatus.STATUS_INVALID_PARAMETER_2;
    }
    return imageRoutines.add(routine, caller, true) == NotifyRoutineList.AddResult.ADDED
        ? NtStatus.STATUS_SUCCESS
        : NtStatus.STATUS_INSUFFICIENT_RESOURCES;
  }

  /** PsRemoveLoadImageNotifyRoutine (IRQL &lt;= APC_LEVEL); waits for calls in flight. */
  public NtStatus psRemoveLoadImageNotifyRoutine(LoadImageNotifyRoutine routine) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "PsRemoveLoadImageNotifyRoutine");
    return imageRoutines.remove(routine)
        ? NtStatus.STATUS_SUCCESS
        : NtStatus.STATUS_PROCEDURE_NOT_FOUND;
  }

  // ---------------------------------------------------------------- object callbacks

  /**
   * ObRegisterCallbacks (IRQL &lt;= APC_LEVEL): pre and post routines for handle creation and
   * duplication on processes and threads. STATUS_INVALID_PARAMETER for a registration with no
   * operation, an operation with neither routine, or no altitude; STATUS_ACCESS_DENIED without the
   * force-integrity flag; STATUS_FLT_INSTANCE_ALTITUDE_COLLISION when the altitude is taken.
   */
  public ObRegistrationHandle obRegisterCallbacks(
      DriverObject caller, ObCallbackRegistration registration) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "ObRegisterCallbacks");
    if (registration.altitude() == null
        || !registration.altitude().matches("\\d+(\\.\\d+)?")
        || registration.operations().isEmpty()
        || registration.operations().stream()
            .anyMatch(
                op ->
                    op.operations().isEmpty()
                        || (op.preOperation() == null && op.postOperation() == null))) {
      return new ObRegistrationHandle(NtStatus.STATUS_INVALID_PARAMETER, null);
    }
    if (!caller.forceIntegrity()) {
      return new ObRegistrationHandle(NtStatus.STATUS_ACCESS_DENIED, null);
    }
    java.math.BigDecimal altitude = new java.math.BigDecimal(registration.altitude());
    int at = 0;
    for (ObCallbackEntry entry : obCallbacks) {
      int order = entry.altitude().compareTo(altitude);
      if (order == 0) {
        return new ObRegistrationHandle(NtStatus.STATUS_FLT_INSTANCE_ALTITUDE_COLLISION, null);
      }
      if (order > 0) {
        at++;
      }
    }
    Object handle = new Object();
    obCallbacks.add(at, new ObCallbackEntry(caller, altitude, registration, handle));
    return new ObRegistrationHandle(NtStatus.STATUS_SUCCESS, handle);
  }

  /** ObUnRegisterCallbacks (IRQL &lt;= APC_LEVEL): removes the registration of that handle. */
  public void obUnRegisterCallbacks(Object registrationHandle) {
    checkRunning();
    requireIrqlAtMost(Irql.APC_LEVEL, "ObUnRegisterCallbacks");
    obCallbacks.removeIf(entry -> entry.handle() == registrationHandle);
  }

  /**
   * NtOpenProcess by {@code caller} for {@code desiredAccess}: the object callbacks' pre routines
   * run in the caller's context (and may strip access); then a protected target refuses, with
   * STATUS_ACCESS_DENIED, any right beyond {@link PsProtection#PROCESS_LIMITED_ACCESS} to a caller
   * whose protection does not dominate its own; then the post routines see the outcome and what was
   * granted. The model's handle takes no reference: what it models is the access decision.
   */
  public Handle openProcess(EThread caller, EProcess target, int desiredAccess) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "NtOpenProcess");
    if (target.isDeleted() || target.state() == EProcess.State.CREATING) {
      return new Handle(NtStatus.STATUS_INVALID_CID.code(), null, 0);
    }
    return handleOperation(
        caller,
        ObOperation.OB_OPERATION_HANDLE_CREATE,
        target,
        ObObjectType.PsProcessType,
        desiredAccess);
  }

  /** NtOpenThread, with the thread object callbacks, as {@link #openProcess}. */
  public Handle openThread(EThread caller, EThread target, int desiredAccess) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "NtOpenThread");
    if (target.isDeleted()) {
      return new Handle(NtStatus.STATUS_INVALID_CID.code(), null, 0);
    }
    return handleOperation(
        caller,
        ObOperation.OB_OPERATION_HANDLE_CREATE,
        target,
        ObObjectType.PsThreadType,
        desiredAccess);
  }

  /**
   * NtDuplicateObject of {@code source} by {@code caller}, for at most the access the source handle
   * has: the callbacks see a duplicate operation.
   */
  public Handle duplicateHandle(EThread caller, Handle source, int desiredAccess) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "NtDuplicateObject");
    if (!source.succeeded() || source.object().isDeleted()) {
      return new Handle(NtStatus.STATUS_INVALID_PARAMETER.code(), null, 0);
    }
    ObObjectType type =
        source.object() instanceof EProcess
            ? ObObjectType.PsProcessType
            : ObObjectType.PsThreadType;
    return handleOperation(
        caller,
        ObOperation.OB_OPERATION_HANDLE_DUPLICATE,
        source.object(),
        type,
        desiredAccess & source.grantedAccess());
  }

  private Handle handleOperation(
      EThread caller, ObOperation operation, KernelObject object, ObObjectType type, int access) {
    return callAs(
        caller,
        () -> {
          ObPreOperationInformation pre =
              new ObPreOperationInformation(operation, false, object, type, access);
          for (ObCallbackEntry entry : List.copyOf(obCallbacks)) {
            for (ObOperationRegistration op : entry.registration().operations()) {
              if (op.objectType() == type
                  && op.operations().contains(operation)
                  && op.preOperation() != null) {
                callDriver(
                    () -> {
                      op.preOperation().onPreOperation(pre);
                      return null;
                    });
              }
            }
          }
          EProcess targetProcess = object instanceof EProcess p ? p : ((EThread) object).process();
          int limited =
              type == ObObjectType.PsProcessType
                  ? PsProtection.PROCESS_LIMITED_ACCESS
                  : PsProtection.THREAD_LIMITED_ACCESS;
          boolean denied =
              !mayFullyAccess(caller.process(), targetProcess)
                  && (pre.desiredAccess() & ~limited) != 0;
          int status =
              denied ? NtStatus.STATUS_ACCESS_DENIED.code() : NtStatus.STATUS_SUCCESS.code();
          int granted = denied ? 0 : pre.desiredAccess();
          ObPostOperationInformation post =
              new ObPostOperationInformation(operation, false, object, type, status, granted);
          for (ObCallbackEntry entry : List.copyOf(obCallbacks)) {
            for (ObOperationRegistration op : entry.registration().operations()) {
              if (op.objectType() == type
                  && op.operations().contains(operation)
                  && op.postOperation() != null) {
                callDriver(
                    () -> {
                      op.postOperation().onPostOperation(post);
                      return null;
                    });
              }
            }
          }
          return new Handle(status, denied ? null : object, granted);
        });
  }

  /**
   * Whether {@code caller} may hold any right on {@code target}: it is unprotected, or dominated.
   */
  private static boolean mayFullyAccess(EProcess caller, EProcess target) {
    return !target.protection().isProtected() || caller.protection().dominates(target.protection());
  }

  private record ObCallbackEntry(
      DriverObject owner,
      java.math.BigDecimal altitude,
      ObCallbackRegistration registration,
      Object handle) {}

  // ---------------------------------------------------------------- drivers

  /** The outcome of {@link #ioLoadDriver}: the driver object when DriverEntry succeeded. */
  public record DriverLoad(NtStatus status, DriverObject driver) {}

  /**
   * Maps a driver image (an image-load notification with process id 0) and calls its DriverEntry in
   * the System process. A failing DriverEntry unloads the image again without DriverUnload.
   */
  public DriverLoad ioLoadDriver(ImageFile image, boolean forceIntegrity, DriverEntry entry) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "IoLoadDriver");
    if (!image.systemModeImage()) {
      throw new IllegalArgumentException(image + " is not a driver image");
    }
    DriverObject driver = new DriverObject(image, forceIntegrity);
    ImageInfo info =
        new ImageInfo(
            true,
            false,
            image.signingLevel(),
            image.signatureType(),
            false,
            image.baseAddress(aslrSalt),
            image.size(),
            true,
            image);
    runAs(
        systemThread,
        () -> dispatch(imageRoutines, routine -> routine.onImageLoad(image.path(), 0, info)));
    NtStatus status = callAs(systemThread, () -> callDriver(() -> entry.driverEntry(this, driver)));
    if (!status.isSuccess()) {
      unmapDriver(driver);
      return new DriverLoad(status, null);
    }
    return new DriverLoad(status, driver);
  }

  /**
   * Calls the driver's DriverUnload, then unmaps it. A routine still registered would point into
   * unmapped code: bug check 0xCE. A driver without DriverUnload cannot be unloaded.
   */
  public NtStatus ioUnloadDriver(DriverObject driver) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "IoUnloadDriver");
    if (!driver.loaded()) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    DriverObject.DriverUnload unload = driver.driverUnload();
    if (unload == null) {
      return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
    }
    callAs(
        systemThread,
        () ->
            callDriver(
                () -> {
                  unload.unload(driver);
                  return NtStatus.STATUS_SUCCESS;
                }));
    unmapDriver(driver);
    return NtStatus.STATUS_SUCCESS;
  }

  private void unmapDriver(DriverObject driver) {
    driver.setUnloaded();
    if (processRoutines.hasRoutineOf(driver)
        || threadRoutines.hasRoutineOf(driver)
        || imageRoutines.hasRoutineOf(driver)
        || obCallbacks.stream().anyMatch(entry -> entry.owner() == driver)) {
      long base = driver.image().baseAddress(aslrSalt);
      throw bugCheck(
          BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
          "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS",
          base,
          0,
          base,
          0,
          driver.image().fileName() + " was unloaded with notify routines still registered");
    }
  }

  // ---------------------------------------------------------------- executive operations

  /**
   * NtCreateUserProcess on behalf of {@code creator}. Raises the process-create callbacks in the
   * creator's context; if one leaves a failure in CreationStatus the process is torn down before it
   * runs and that status is returned.
   */
  public Created<EProcess> createProcess(EThread creator, ProcessParameters parameters) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "NtCreateUserProcess");
    EProcess creatorProcess = creator.process();
    if (creator.terminating() || creatorProcess.state() != EProcess.State.RUNNING) {
      return new Created<>(NtStatus.STATUS_THREAD_IS_TERMINATING.code(), null);
    }
    if (raisesIntegrity(creatorProcess.token(), parameters.token())) {
      // Assigning a primary token needs SeAssignPrimaryTokenPrivilege, which only SYSTEM holds:
      // a medium process cannot start a high one itself; UAC's Appinfo or seclogon must.
      return new Created<>(NtStatus.STATUS_PRIVILEGE_NOT_HELD.code(), null);
    }
    EProcess parent =
        parameters.parentProcess() != null ? parameters.parentProcess() : creatorProcess;
    if (parent.state() != EProcess.State.RUNNING) {
      return new Created<>(NtStatus.STATUS_PROCESS_IS_TERMINATING.code(), null);
    }
    ImageFile image = parameters.image();
    int pid =
        cids.allocate(
            id ->
                new EProcess(
                    id,
                    image,
                    parameters.commandLine(),
                    parameters.token(),
                    parent.processId(),
                    nowNanos,
                    parameters.subsystemProcess(),
                    parameters.currentDirectory() != null
                        ? parameters.currentDirectory()
                        : creatorProcess.currentDirectory()));
    if (pid == 0) {
      return new Created<>(NtStatus.STATUS_INSUFFICIENT_RESOURCES.code(), null);
    }
    EProcess process = (EProcess) cids.lookup(pid);
    process.setProtection(parameters.protection());
    if (!parameters.subsystemProcess()) {
      // NtCreateUserProcess maps the executable's section before it creates the initial thread;
      // the image-load notification for it comes later, from that thread (see mapImage below).
      process.addMapped(image);
    }
    EThread initial = newThread(process, image.baseAddress(aslrSalt) + ENTRY_POINT_OFFSET);
    if (initial == null) {
      process.setState(EProcess.State.EXITED);
      release(process);
      return new Created<>(NtStatus.STATUS_INSUFFICIENT_RESOURCES.code(), null);
    }
    PsCreateNotifyInfo info =
        new PsCreateNotifyInfo(
            parent.processId(),
            new ClientId(creatorProcess.processId(), creator.threadId()),
            image,
            image.path(),
            parameters.commandLine(),
            parameters.fileOpenNameAvailable(),
            parameters.subsystemProcess());
    boolean subsystem = parameters.subsystemProcess();
    int parentPid = parent.processId();
    runAs(creator, () -> notifyProcess(process, pid, parentPid, info, subsystem));
    if (!NtStatus.ntSuccess(info.creationStatus())) {
      discardBlocked(process, initial, info.creationStatus());
      return new Created<>(info.creationStatus(), null);
    }
    process.setState(EProcess.State.RUNNING);
    int tid = initial.threadId();
    notifyThread(creator, pid, tid, true);
    if (!parameters.subsystemProcess()) {
      notifyImageLoad(initial, image);
      if (systemDll != null) {
        mapImage(initial, systemDll);
      }
    }
    return new Created<>(NtStatus.STATUS_SUCCESS.code(), process);
  }

  /**
   * NtCreateThreadEx: a thread in {@code target} started at {@code startAddress}, created by {@code
   * creator}. When the two belong to different processes this is a remote thread, and the
   * thread-create callbacks see it as such because they run in the creator's context.
   */
  public Created<EThread> createThread(EThread creator, EProcess target, long startAddress) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "NtCreateThreadEx");
    if (creator.terminating()) {
      return new Created<>(NtStatus.STATUS_THREAD_IS_TERMINATING.code(), null);
    }
    if (target.state() != EProcess.State.RUNNING || target.isDeleted()) {
      return new Created<>(NtStatus.STATUS_PROCESS_IS_TERMINATING.code(), null);
    }
    if (creator.process() != target && !mayFullyAccess(creator.process(), target)) {
      // A remote thread needs PROCESS_CREATE_THREAD, which a protected target grants only to a
      // caller whose protection dominates its own.
      return new Created<>(NtStatus.STATUS_ACCESS_DENIED.code(), null);
    }
    EThread thread = newThread(target, startAddress);
    if (thread == null) {
      return new Created<>(NtStatus.STATUS_INSUFFICIENT_RESOURCES.code(), null);
    }
    int pid = target.processId();
    int tid = thread.threadId();
    notifyThread(creator, pid, tid, true);
    return new Created<>(NtStatus.STATUS_SUCCESS.code(), thread);
  }

  /**
   * The thread returns from its start routine. Thread-exit callbacks run in its context; when it
   * was the process's last thread, the process exits too and the process-exit callbacks (with no
   * create info) run in the same context. The objects stay while references to them remain.
   */
  public void exitThread(EThread thread, int exitStatus) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "PspExitThread");
    if (thread.exited()) {
      return;
    }
    if (thread == systemThread) {
      throw new IllegalArgumentException("the System worker thread that loads drivers never exits");
    }
    thread.setTerminating();
    EProcess process = thread.process();
    int pid = process.processId();
    int tid = thread.threadId();
    notifyThread(thread, pid, tid, false);
    process.threads().remove(thread);
    boolean lastThread = process.threads().isEmpty();
    if (lastThread) {
      process.setExitStatus(exitStatus);
      process.setExitTimeNanos(nowNanos);
      process.setState(EProcess.State.EXITED);
      int parentPid = process.inheritedFromUniqueProcessId();
      boolean subsystem = process.subsystemProcess();
      runAs(thread, () -> notifyProcess(process, pid, parentPid, null, subsystem));
      process.releaseAddressSpace();
    }
    thread.setExited();
    release(thread);
    if (lastThread) {
      release(process);
    }
  }

  /** NtTerminateProcess: every thread of the process exits with {@code exitStatus}. */
  public void terminateProcess(EProcess process, int exitStatus) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "NtTerminateProcess");
    if (process.state() != EProcess.State.RUNNING) {
      return;
    }
    if (process == systemProcess) {
      throw bugCheck(
          CRITICAL_PROCESS_DIED,
          "CRITICAL_PROCESS_DIED",
          systemProcess.processId(),
          0,
          0,
          0,
          "the System process was terminated");
    }
    List<EThread> threads = new ArrayList<>(process.threads());
    threads.forEach(EThread::setTerminating);
    for (EThread thread : threads) {
      exitThread(thread, exitStatus);
    }
  }

  /**
   * The loader in {@code thread} maps {@code file} into its process; the first mapping raises the
   * image-load callbacks, a second one only bumps the loader's count as LoadLibrary does. Returns
   * the image base.
   */
  public long mapImage(EThread thread, ImageFile file) {
    checkRunning();
    requireIrqlAtMost(Irql.PASSIVE_LEVEL, "NtMapViewOfSection");
    if (file.systemModeImage()) {
      throw new IllegalArgumentException(file + " is a driver; load it with ioLoadDriver");
    }
    EProcess process = thread.process();
    long base = file.baseAddress(aslrSalt);
    if (process.state() == EProcess.State.EXITED || process.isMapped(file)) {
      return base;
    }
    process.addMapped(file);
    notifyImageLoad(thread, file);
    return base;
  }

  /**
   * Raises the thread-notify routines at this boot's thread-notify IRQL, then lets the system
   * worker run what they queued. Creator-context routines run first, in {@code context} (the
   * creator, or the exiting thread); a new thread starts only once inserted, so the routines told
   * on the new thread come after them. A subsystem (Pico) process's threads reach only the routines
   * that asked for every subsystem; System threads never reach NonSystem ones.
   */
  private void notifyThread(EThread context, int pid, int tid, boolean create) {
    EThread newThread = create ? (EThread) cids.lookup(tid) : context;
    boolean systemThread = newThread.process() == systemProcess;
    boolean subsystemThread = newThread.process().subsystemProcess();
    for (boolean newThreadPass : create ? new boolean[] {false, true} : new boolean[] {false}) {
      dispatch(
          threadRoutines,
          slot -> {
            boolean onNewThread = slot.onNewThread();
            if ((create && onNewThread != newThreadPass)
                || (subsystemThread && !slot.seesSubsystemThreads())
                || (onNewThread && systemThread)) {
              return;
            }
            runAs(
                onNewThread ? newThread : context,
                () ->
                    atIrql(
                        threadNotifyIrql, () -> slot.routine().onThreadNotify(pid, tid, create)));
          });
    }
    runWorkItems();
  }

  /** Raises the process routines of every family, each told only what its family hears of. */
  private void notifyProcess(
      EProcess process, int pid, int parentPid, PsCreateNotifyInfo info, boolean subsystem) {
    dispatch(
        processRoutines,
        slot -> {
          if (!subsystem || slot.seesSubsystemProcesses()) {
            slot.call(process, pid, parentPid, info);
          }
        });
  }

  /** The system worker thread: runs queued work items in order, at PASSIVE_LEVEL. */
  private void runWorkItems() {
    while (!workQueue.isEmpty()) {
      WorkItem work = workQueue.poll();
      runAs(
          systemThread,
          () ->
              atIrql(
                  Irql.PASSIVE_LEVEL,
                  () ->
                      callDriver(
                          () -> {
                            work.run();
                            return null;
                          })));
    }
  }

  /** Raises the image-load callbacks for {@code file}, mapped in {@code thread}'s process. */
  private void notifyImageLoad(EThread thread, ImageFile file) {
    EProcess process = thread.process();
    long base = file.baseAddress(aslrSalt);
    ImageInfo info =
        new ImageInfo(
            false,
            false,
            file.signingLevel(),
            file.signatureType(),
            false,
            base,
            file.size(),
            true,
            file);
    int pid = process.processId();
    runAs(
        thread,
        () -> dispatch(imageRoutines, routine -> routine.onImageLoad(file.path(), pid, info)));
  }

  // ---------------------------------------------------------------- host state

  public EProcess systemProcess() {
    return systemProcess;
  }

  /** A thread of the System process, in which drivers are loaded and system work runs. */
  public EThread systemThread() {
    return systemThread;
  }

  /** Threads of a process that have not exited, in creation order. */
  public List<EThread> threadsOf(EProcess process) {
    return List.copyOf(process.threads());
  }

  /** Every process object in the table (running, creating or zombie), in id order. */
  public List<EProcess> processes() {
    List<EProcess> result = new ArrayList<>();
    cids.forEach(
        object -> {
          if (object instanceof EProcess process) {
            result.add(process);
          }
        });
    return result;
  }

  /** True while the process runs (created and not exited). */
  public boolean isRunning(EProcess process) {
    return process.state() == EProcess.State.RUNNING;
  }

  /** Counts of live objects, zombies and outstanding references, for leak checks. */
  public KernelObjectCounts objectCounts() {
    int[] counts = new int[4];
    long[] references = new long[1];
    cids.forEach(
        object -> {
          references[0] += object.pointerCount();
          if (object instanceof EProcess process) {
            counts[0]++;
            if (process.state() == EProcess.State.EXITED) {
              counts[1]++;
            }
          } else if (object instanceof EThread thread) {
            counts[2]++;
            if (thread.exited()) {
              counts[3]++;
            }
          }
        });
    return new KernelObjectCounts(counts[0], counts[1], counts[2], counts[3], references[0]);
  }

  /** Ids in use in the client-id table. */
  public int clientIdsInUse() {
    return cids.inUse();
  }

  /** The bug check that halted this host, or null while it runs. */
  public BugCheck bugCheck() {
    return bugCheck;
  }

  public boolean isHalted() {
    return bugCheck != null;
  }

  // ---------------------------------------------------------------- internals

  private static boolean raisesIntegrity(ProcessToken creator, ProcessToken requested) {
    return creator.integrityLevel().compareTo(ProcessToken.IntegrityLevel.SYSTEM) < 0
        && requested.integrityLevel().compareTo(creator.integrityLevel()) > 0;
  }

  private EThread newThread(EProcess process, long startAddress) {
    int tid = cids.allocate(id -> new EThread(id, process, startAddress));
    if (tid == 0) {
      return null;
    }
    EThread thread = (EThread) cids.lookup(tid);
    process.referenceByKernel(); // a thread keeps its process object alive
    process.threads().add(thread);
    return thread;
  }

  /** Tears down a process whose creation a callback refused: it never ran, nothing else is told. */
  private void discardBlocked(EProcess process, EThread initial, int status) {
    initial.setTerminating();
    process.threads().remove(initial);
    initial.setExited();
    process.setExitStatus(status);
    process.setExitTimeNanos(nowNanos);
    process.setState(EProcess.State.EXITED);
    process.releaseAddressSpace();
    release(initial);
    release(process);
  }

  /** Drops one reference the kernel owns; the last one deletes the object and frees its id. */
  private void release(KernelObject object) {
    if (object.releaseKernelReference()) {
      delete(object);
    }
  }

  private void delete(KernelObject object) {
    object.markDeleted();
    cids.release(object.clientId());
    if (object instanceof EThread thread) {
      release(thread.process());
    }
  }

  private <R> void dispatch(NotifyRoutineList<R> routines, Consumer<R> call) {
    routines.dispatch(
        routine -> {
          try {
            call.accept(routine);
          } catch (BugCheckException e) {
            throw e;
          } catch (RuntimeException e) {
            throw unhandledException(e);
          }
        });
  }

  private <T> T callDriver(Supplier<T> code) {
    try {
      return code.get();
    } catch (BugCheckException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unhandledException(e);
    }
  }

  private BugCheckException unhandledException(RuntimeException e) {
    return bugCheck(
        SYSTEM_THREAD_EXCEPTION_NOT_HANDLED,
        "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED",
        0xC0000005L,
        0,
        0,
        0,
        "a driver threw " + e);
  }

  private void runAs(EThread thread, Runnable work) {
    callAs(
        thread,
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Runs {@code work} as {@code thread}, on the processor the scheduler gives that thread (chosen
   * from its id, so the same on every run), which then returns to what it ran before.
   */
  private <T> T callAs(EThread thread, Supplier<T> work) {
    Processor previousProcessor = current;
    Processor processor = processorOf(thread);
    EThread previousThread = processor.thread;
    current = processor;
    processor.thread = thread;
    try {
      return work.get();
    } finally {
      processor.thread = previousThread;
      current = previousProcessor;
    }
  }

  /** Runs {@code work} with the current processor at {@code level}, then restores its level. */
  private void atIrql(Irql level, Runnable work) {
    Processor processor = processor();
    Irql old = processor.irql;
    processor.irql = level;
    try {
      work.run();
    } finally {
      processor.irql = old;
    }
  }

  private Processor processorOf(EThread thread) {
    // Ids alternate between processes and threads in patterns: a multiplicative hash of the id
    // spreads threads over the processors, the same way on every run.
    long mixed = ((thread.threadId() >>> 2) * 0x9E37_79B9_7F4A_7C15L) >>> 32;
    return processors[(int) (mixed % processors.length)];
  }

  /** The processor the caller runs on: its bound one on another Java thread, else the host's. */
  private Processor processor() {
    if (boundCallers.get() != 0) {
      Processor boundProcessor = bound.get();
      if (boundProcessor != null) {
        return boundProcessor;
      }
    }
    return current;
  }

  private void requireIrqlAtMost(Irql bound, String routine) {
    Irql irql = processor().irql;
    if (irql.isAbove(bound)) {
      throw bugCheck(
          BugCheck.IRQL_NOT_LESS_OR_EQUAL,
          "IRQL_NOT_LESS_OR_EQUAL",
          0,
          irql.ordinal(),
          0,
          0,
          routine + " called at " + irql + ", above its bound " + bound);
    }
  }

  private void checkRunning() {
    if (bugCheck != null) {
      throw new BugCheckException(bugCheck);
    }
  }

  private BugCheckException bugCheck(
      int code, String name, long p1, long p2, long p3, long p4, String detail) {
    if (bugCheck == null) {
      bugCheck = new BugCheck(code, name, p1, p2, p3, p4, detail);
    }
    return new BugCheckException(bugCheck);
  }
}
