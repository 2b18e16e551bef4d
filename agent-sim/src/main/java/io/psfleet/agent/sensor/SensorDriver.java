package io.psfleet.agent.sensor;

import io.psfleet.agent.kernel.CreateProcessNotifyRoutineEx;
import io.psfleet.agent.kernel.CreateThreadNotifyRoutine;
import io.psfleet.agent.kernel.DriverObject;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.ImageInfo;
import io.psfleet.agent.kernel.Irql;
import io.psfleet.agent.kernel.KApcState;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.LoadImageNotifyRoutine;
import io.psfleet.agent.kernel.LocatedImageName;
import io.psfleet.agent.kernel.Lookup;
import io.psfleet.agent.kernel.MappedImage;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.agent.kernel.ObCallbackRegistration;
import io.psfleet.agent.kernel.ObObjectType;
import io.psfleet.agent.kernel.ObOperation;
import io.psfleet.agent.kernel.ObOperationRegistration;
import io.psfleet.agent.kernel.ObPostOperationInformation;
import io.psfleet.agent.kernel.ObRegistrationHandle;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.kernel.PsCreateNotifyInfo;
import io.psfleet.agent.kernel.PsCreateThreadNotifyType;
import io.psfleet.agent.kernel.VersionResource;
import io.psfleet.schema.EventHeader;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.IntegrityLevel;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.SignatureStatus;
import io.psfleet.schema.SignatureType;
import io.psfleet.schema.SigningLevel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import io.psfleet.schema.ThreadExit;
import io.psfleet.schema.sysmon.SysmonGuids;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The sensor driver of one host.
 *
 * <p>Written as a driver is written against the real kernel: DriverEntry registers the three notify
 * routines and the object callback and undoes what it registered if one fails; every successful
 * PsLookup is paired with ObDereferenceObject; parent and creator are looked up inside the create
 * callback, while the creation keeps them alive, so their keys are right even when their pids are
 * later reused; DriverUnload removes every routine and the callback.
 *
 * <p>Threads take two routines. The creator-context one (PsSetCreateThreadNotifyRoutine) is the
 * only place that knows who created a thread, which is what makes a thread remote; it takes
 * references on the new thread and its creator and hands them on. The NonSystem one
 * (PsSetCreateThreadNotifyRoutineEx with PsCreateThreadNotifyNonSystem) runs on the new thread once
 * it starts, so PsGetCurrentProcess is the very process object the thread belongs to, with no pid
 * to look up and misread; it decides whether the thread is its process's initial one and reports
 * it. System threads never reach the NonSystem routine: the creator-context one reports them.
 *
 * <p>Thread notifications may arrive at APC_LEVEL, where the image name, the token and the start
 * address cannot be read (their routines are PASSIVE_LEVEL only): the sensor then decides at once
 * what only the notification's moment can tell (which process created the thread, whether it is a
 * process's initial one), and queues the rest to a system worker thread, which describes the thread
 * at PASSIVE_LEVEL and drops the references.
 *
 * <p>A process-create routine registered after the sensor's (an antivirus) may still refuse the
 * creation once the sensor's routine has returned: the process then never runs and no other
 * notification tells of it. So the sensor holds each allowed creation's event, with a reference on
 * its process object, until that process's first thread starts: the NonSystem notification of a
 * thread whose current process is the held one is the initial thread, and proves the process runs.
 * A held process that has exited without ever running (PsGetProcessExitStatus is no longer
 * STATUS_PENDING) was refused after the sensor: its event is dropped, never reported, and its
 * reference released; while held, its pid cannot be handed out again, so no later process can be
 * taken for it. Creations refused before or by the sensor are reported at once, with their failing
 * CreationStatus.
 *
 * <p>An object callback's post-operation routine reports each user-mode handle one process opens or
 * duplicates to another (Sysmon's ProcessAccess): only after the pre-operation routines have run is
 * the granted access known, which is what a protecting driver may have stripped and what rules on
 * credential theft read.
 *
 * <p>Beyond the kernel's arguments the sensor reports what Sysmon reports: the executable's and
 * each module's version resource and hashes (the algorithms of {@link
 * SensorConfig#hashAlgorithms}), the new process's working directory, its token's logon session
 * (LogonId, LogonGuid) and the users of parent, source and target processes.
 */
public final class SensorDriver {
  /** Sysmon's altitude: object callbacks are ordered by it, and it must be unique on the host. */
  static final String ALTITUDE = "385201";

  private final SensorConfig config;
  private final EventSink sink;
  private final long hostSalt;
  private final int guidMachinePart;
  private final boolean md5;
  private final boolean sha1;
  private final boolean sha256;
  private final boolean imphash;
  private final CreateProcessNotifyRoutineEx processRoutine = this::onProcessNotify;
  private final CreateThreadNotifyRoutine threadRoutine = this::onThreadNotify;
  private final CreateThreadNotifyRoutine newThreadRoutine = this::onNewThreadNotify;
  private final LoadImageNotifyRoutine imageRoutine = this::onImageLoad;
  private Object objectCallbacks;
  private Kernel kernel;
  private long sequence;
  private final ArrayList<PendingCreate> pendingCreates = new ArrayList<>(4);
  private final ArrayList<ThreadSource> threadSources = new ArrayList<>(4);

  public SensorDriver(SensorConfig config, EventSink sink) {
    this.config = config;
    this.sink = sink;
    this.hostSalt = ProcessKeys.hostSalt(config.hostId());
    this.guidMachinePart = SysmonGuids.machinePart(config.hostId());
    this.md5 = config.hashAlgorithms().contains(HashAlgorithm.MD5);
    this.sha1 = config.hashAlgorithms().contains(HashAlgorithm.SHA1);
    this.sha256 = config.hashAlgorithms().contains(HashAlgorithm.SHA256);
    this.imphash = config.hashAlgorithms().contains(HashAlgorithm.IMPHASH);
  }

  /**
   * DriverEntry: registers the process routine, both thread routines, the image routine and the
   * process-handle object callback, all or none.
   */
  public NtStatus driverEntry(Kernel kernel, DriverObject driverObject) {
    this.kernel = kernel;
    NtStatus status = kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, false);
    if (!status.isSuccess()) {
      return status;
    }
    status = kernel.psSetCreateThreadNotifyRoutine(driverObject, threadRoutine);
    if (!status.isSuccess()) {
      kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, true);
      return status;
    }
    status =
        kernel.psSetCreateThreadNotifyRoutineEx(
            driverObject, PsCreateThreadNotifyType.PsCreateThreadNotifyNonSystem, newThreadRoutine);
    if (!status.isSuccess()) {
      kernel.psRemoveCreateThreadNotifyRoutine(threadRoutine);
      kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, true);
      return status;
    }
    status = kernel.psSetLoadImageNotifyRoutine(driverObject, imageRoutine);
    if (!status.isSuccess()) {
      kernel.psRemoveCreateThreadNotifyRoutine(newThreadRoutine);
      kernel.psRemoveCreateThreadNotifyRoutine(threadRoutine);
      kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, true);
      return status;
    }
    ObRegistrationHandle registration =
        kernel.obRegisterCallbacks(
            driverObject,
            new ObCallbackRegistration(
                ALTITUDE,
                List.of(
                    new ObOperationRegistration(
                        ObObjectType.PsProcessType,
                        EnumSet.allOf(ObOperation.class),
                        null,
                        this::onProcessHandle))));
    if (!registration.status().isSuccess()) {
      kernel.psRemoveLoadImageNotifyRoutine(imageRoutine);
      kernel.psRemoveCreateThreadNotifyRoutine(newThreadRoutine);
      kernel.psRemoveCreateThreadNotifyRoutine(threadRoutine);
      kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, true);
      return registration.status();
    }
    objectCallbacks = registration.registrationHandle();
    driverObject.setDriverUnload(this::driverUnload);
    return NtStatus.STATUS_SUCCESS;
  }

  private void driverUnload(DriverObject driverObject) {
    kernel.obUnRegisterCallbacks(objectCallbacks);
    kernel.psRemoveLoadImageNotifyRoutine(imageRoutine);
    kernel.psRemoveCreateThreadNotifyRoutine(newThreadRoutine);
    kernel.psRemoveCreateThreadNotifyRoutine(threadRoutine);
    kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, true);
    // The routines are gone and no call of them is in flight: release what they still held.
    for (PendingCreate pending : pendingCreates) {
      kernel.obDereferenceObject(pending.process());
    }
    pendingCreates.clear();
    for (ThreadSource source : threadSources) {
      kernel.obDereferenceObject(source.source());
      kernel.obDereferenceObject(source.thread());
    }
    threadSources.clear();
  }

  /** Sequence number of the last event emitted (0 before the first). */
  public long lastSequence() {
    return sequence;
  }

  // ---------------------------------------------------------------- process create / exit

  private void onProcessNotify(EProcess process, int processId, PsCreateNotifyInfo createInfo) {
    long key = keyOf(process);
    if (createInfo == null) {
      emit(
          new ProcessExit(
              key,
              processId,
              imagePath(process),
              kernel.psGetProcessExitStatus(process),
              userOf(process)));
      return;
    }
    if (config.policy().isMalicious(createInfo.imageFileName(), createInfo.commandLine())) {
      createInfo.setCreationStatus(NtStatus.STATUS_ACCESS_DENIED.code());
    }
    ProcessToken token = kernel.psReferencePrimaryToken(process);
    ProcessCreate event = new ProcessCreate();
    event.setProcessGuid(key);
    event.setProcessId(processId);
    event.setImage(createInfo.imageFileName());
    event.setCommandLine(createInfo.commandLine());
    event.setUser(token.user());
    event.setIntegrityLevel(IntegrityLevel.valueOf(token.integrityLevel().name()));
    event.setTerminalSessionId(token.sessionId());
    ImageFile file = createInfo.fileObject();
    FileHashCache.FileHashes hashes = config.hashes().of(file);
    event.setHashes(sha256 ? hashes.sha256() : null);
    event.setMD5(md5 ? hashes.md5() : null);
    event.setSHA1(sha1 ? hashes.sha1() : null);
    event.setIMPHASH(imphash ? hashes.imphash() : null);
    VersionResource version = file.versionResource();
    if (version != null) {
      event.setOriginalFileName(version.originalFileName());
      event.setDescription(version.fileDescription());
      event.setProduct(version.productName());
      event.setCompany(version.companyName());
      event.setFileVersion(version.fileVersion());
    }
    // The PEB is user memory of the new process: read it attached to that process.
    KApcState apcState = kernel.keStackAttachProcess(process);
    try {
      event.setCurrentDirectory(kernel.readProcessCurrentDirectory(process));
    } finally {
      kernel.keUnstackDetachProcess(apcState);
    }
    if (token.logonId() != 0) {
      event.setLogonId(token.logonId());
      long logonNanos = token.logonTimeNanos() != 0 ? token.logonTimeNanos() : bootTimeNanos();
      event.setLogonGuid(
          SysmonGuids.logonGuid(guidMachinePart, logonNanos / 1_000_000_000L, token.logonId()));
    }
    kernel.psDereferencePrimaryToken(token);
    event.setParentProcessId(createInfo.parentProcessId());
    Lookup<EProcess> parent = kernel.psLookupProcessByProcessId(createInfo.parentProcessId());
    if (parent.found()) {
      event.setParentProcessGuid(keyOf(parent.object()));
      event.setParentImage(imagePath(parent.object()));
      event.setParentCommandLine(kernel.zwQueryProcessCommandLine(parent.object()));
      event.setParentUser(userOf(parent.object()));
      kernel.obDereferenceObject(parent.object());
    }
    int creatorPid = createInfo.creatingThreadId().uniqueProcess();
    event.setCreatorProcessId(creatorPid);
    event.setCreatorThreadId(createInfo.creatingThreadId().uniqueThread());
    Lookup<EProcess> creator = kernel.psLookupProcessByProcessId(creatorPid);
    if (creator.found()) {
      event.setCreatorProcessGuid(keyOf(creator.object()));
      event.setCreatorImage(imagePath(creator.object()));
      kernel.obDereferenceObject(creator.object());
    }
    event.setFileOpenNameAvailable(createInfo.fileOpenNameAvailable());
    event.setIsSubsystemProcess(createInfo.isSubsystemProcess());
    event.setCreationStatus(createInfo.creationStatus());
    if (!NtStatus.ntSuccess(createInfo.creationStatus())) {
      emit(event); // refused already: the attempt is the truth to report
      return;
    }
    dropRefusedCreates();
    kernel.obReferenceObject(process); // held until its first thread starts, or it is refused
    pendingCreates.add(new PendingCreate(process, event));
  }

  // ---------------------------------------------------------------- threads

  /**
   * The creator-context routine: reports exits, and for a new thread takes what only this context
   * knows (its creator) with references for the NonSystem routine. A System thread never reaches
   * that routine, so it is described here; it is never an initial thread.
   */
  private void onThreadNotify(int processId, int threadId, boolean create) {
    if (!create) {
      Lookup<EProcess> owner = kernel.psLookupProcessByProcessId(processId);
      if (owner.found()) {
        emit(new ThreadExit(keyOf(owner.object()), processId, threadId));
        kernel.obDereferenceObject(owner.object());
      }
      return;
    }
    Lookup<EThread> thread = kernel.psLookupThreadByThreadId(threadId);
    if (!thread.found()) {
      return; // already gone again; nothing left to describe
    }
    EProcess source = kernel.psGetCurrentProcess();
    kernel.obReferenceObject(source);
    ThreadSource creation =
        new ThreadSource(thread.object(), source, kernel.psGetCurrentThreadId());
    if (kernel.psIsSystemThread(thread.object())) {
      describeThread(creation, false);
    } else {
      threadSources.add(creation);
    }
  }

  /**
   * The NonSystem routine, on the new thread itself: its current process is the thread's own, so a
   * held creation of that very process object makes this the initial thread, and the process runs.
   */
  private void onNewThreadNotify(int processId, int threadId, boolean create) {
    if (!create) {
      return; // the creator-context routine reports exits, System threads' included
    }
    ThreadSource creation = takeThreadSource(kernel.psGetCurrentThread());
    if (creation == null) {
      return; // created before the creator-context routine was registered
    }
    PendingCreate held = takePendingCreate(kernel.psGetCurrentProcess());
    if (held != null) {
      emit(held.event());
      kernel.obDereferenceObject(held.process());
    }
    describeThread(creation, held != null);
  }

  /**
   * Describes a new thread now at PASSIVE_LEVEL, or else in a system worker thread, and then
   * releases the references {@code creation} holds on the thread and its creator.
   */
  private void describeThread(ThreadSource creation, boolean initial) {
    Runnable describe =
        () -> {
          try {
            emitThreadCreate(creation.thread(), creation.source(), creation.sourceTid(), initial);
          } finally {
            kernel.obDereferenceObject(creation.source());
            kernel.obDereferenceObject(creation.thread());
          }
        };
    if (kernel.keGetCurrentIrql() == Irql.PASSIVE_LEVEL) {
      describe.run();
    } else {
      kernel.exQueueWorkItem(describe::run);
    }
  }

  /** Describes a new thread; PASSIVE_LEVEL only. */
  private void emitThreadCreate(EThread thread, EProcess source, int sourceTid, boolean initial) {
    EProcess target = kernel.psGetThreadProcess(thread);
    int processId = kernel.psGetProcessId(target);
    int sourcePid = kernel.psGetProcessId(source);
    long start = kernel.zwQueryThreadWin32StartAddress(thread);
    ThreadCreate event = new ThreadCreate();
    event.setTargetProcessGuid(keyOf(target));
    event.setTargetProcessId(processId);
    event.setTargetImage(imagePath(target));
    event.setNewThreadId(kernel.psGetThreadId(thread));
    event.setSourceProcessGuid(keyOf(source));
    event.setSourceProcessId(sourcePid);
    event.setSourceThreadId(sourceTid);
    event.setSourceImage(imagePath(source));
    event.setSourceUser(userOf(source));
    event.setTargetUser(userOf(target));
    event.setStartAddress(start);
    MappedImage module = kernel.findMappedImage(target, start);
    if (module != null) {
      event.setStartModule(module.file().path());
      event.setStartFunction(module.file().exportAt(start - module.base()));
    }
    event.setRemoteThread(sourcePid != processId && !initial);
    event.setInitialThread(initial);
    emit(event);
  }

  // ---------------------------------------------------------------- process handles

  /**
   * A process handle was opened or duplicated, in the opener's context. Kernel handles are the
   * system's own business, and a process opening itself is no access to another; failed operations
   * granted nothing.
   */
  private void onProcessHandle(ObPostOperationInformation info) {
    if (info.kernelHandle() || !NtStatus.ntSuccess(info.returnStatus())) {
      return;
    }
    EProcess target = (EProcess) info.object();
    EProcess source = kernel.psGetCurrentProcess();
    if (source == target) {
      return;
    }
    String sourceImage = imagePath(source);
    ProcessAccess event = new ProcessAccess();
    event.setSourceProcessGuid(keyOf(source));
    event.setSourceProcessId(kernel.psGetProcessId(source));
    event.setSourceThreadId(kernel.psGetCurrentThreadId());
    event.setSourceImage(sourceImage);
    event.setTargetProcessGuid(keyOf(target));
    event.setTargetProcessId(kernel.psGetProcessId(target));
    event.setTargetImage(imagePath(target));
    event.setGrantedAccess(info.grantedAccess());
    event.setDuplicate(info.operation() == ObOperation.OB_OPERATION_HANDLE_DUPLICATE);
    event.setCallTrace(CallTraces.of(sourceImage, kernel.loadedModules(source)));
    event.setSourceUser(userOf(source));
    event.setTargetUser(userOf(target));
    emit(event);
  }

  // ---------------------------------------------------------------- images

  private void onImageLoad(String fullImageName, int processId, ImageInfo imageInfo) {
    ImageLoad event = new ImageLoad();
    event.setProcessId(processId);
    event.setImageLoaded(fullImageName);
    if (processId != 0) {
      Lookup<EProcess> process = kernel.psLookupProcessByProcessId(processId);
      if (!process.found()) {
        return;
      }
      event.setProcessGuid(keyOf(process.object()));
      event.setImage(imagePath(process.object()));
      event.setUser(userOf(process.object()));
      kernel.obDereferenceObject(process.object());
    }
    ImageFile file = imageInfo.extendedInfoPresent() ? imageInfo.fileObject() : null;
    String signer = file == null ? null : file.signer();
    if (file != null) {
      FileHashCache.FileHashes hashes = config.hashes().of(file);
      event.setHashes(sha256 ? hashes.sha256() : null);
      event.setMD5(md5 ? hashes.md5() : null);
      event.setSHA1(sha1 ? hashes.sha1() : null);
      event.setIMPHASH(imphash ? hashes.imphash() : null);
      VersionResource version = file.versionResource();
      if (version != null) {
        event.setOriginalFileName(version.originalFileName());
        event.setDescription(version.fileDescription());
        event.setProduct(version.productName());
        event.setCompany(version.companyName());
        event.setFileVersion(version.fileVersion());
      }
    }
    event.setSigned(signer != null);
    event.setSignature(signer);
    event.setSignatureStatus(
        file == null
            ? SignatureStatus.UNAVAILABLE
            : signer != null ? SignatureStatus.VALID : SignatureStatus.UNSIGNED);
    event.setSystemModeImage(imageInfo.systemModeImage());
    event.setImageSignatureLevel(SigningLevel.values()[imageInfo.imageSignatureLevel().ordinal()]);
    event.setImageSignatureType(SignatureType.values()[imageInfo.imageSignatureType().ordinal()]);
    event.setImageBase(imageInfo.imageBase());
    event.setImageSize(imageInfo.imageSize());
    event.setImagePartialMap(imageInfo.imagePartialMap());
    event.setExtendedInfoPresent(imageInfo.extendedInfoPresent());
    emit(event);
  }

  // ---------------------------------------------------------------- helpers

  /** The token's user, from a primary-token reference that is released here. */
  private String userOf(EProcess process) {
    ProcessToken token = kernel.psReferencePrimaryToken(process);
    String user = token.user();
    kernel.psDereferencePrimaryToken(token);
    return user;
  }

  /**
   * The executable's full path from SeLocateProcessImageName, whose buffer is freed here; null when
   * the kernel cannot name it.
   */
  private String imagePath(EProcess process) {
    LocatedImageName located = kernel.seLocateProcessImageName(process);
    if (!located.found()) {
      return null;
    }
    String path = located.imageFileName().value();
    kernel.exFreePool(located.imageFileName());
    return path;
  }

  private long keyOf(EProcess process) {
    return ProcessKeys.processKey(
        hostSalt,
        config.bootId(),
        kernel.psGetProcessId(process),
        kernel.psGetProcessCreateTimeQuadPart(process));
  }

  /** The System process's create time: the boot, when the service accounts' sessions began. */
  private long bootTimeNanos() {
    long fileTime = kernel.psGetProcessCreateTimeQuadPart(kernel.systemProcess());
    return (fileTime - 116_444_736_000_000_000L) * 100;
  }

  private void emit(Object body) {
    EventHeader header =
        new EventHeader(
            config.hostId(), config.bootId(), ++sequence, kernel.now(), config.sensorVersion());
    sink.emit(new TelemetryEvent(header, body));
  }

  /** The held creation of {@code process} (the same object), removed; null when none is held. */
  private PendingCreate takePendingCreate(EProcess process) {
    for (int i = 0; i < pendingCreates.size(); i++) {
      if (pendingCreates.get(i).process() == process) {
        return pendingCreates.remove(i);
      }
    }
    return null;
  }

  /** What the creator-context routine took for {@code thread}, removed; null when nothing. */
  private ThreadSource takeThreadSource(EThread thread) {
    for (int i = 0; i < threadSources.size(); i++) {
      if (threadSources.get(i).thread() == thread) {
        return threadSources.remove(i);
      }
    }
    return null;
  }

  /**
   * Drops held creations that a later routine refused: their process exited without ever running,
   * which nothing notifies of. The reference the sensor held is what kept the pid from reuse.
   */
  private void dropRefusedCreates() {
    for (int i = pendingCreates.size() - 1; i >= 0; i--) {
      PendingCreate pending = pendingCreates.get(i);
      if (kernel.psGetProcessExitStatus(pending.process()) != NtStatus.STATUS_PENDING.code()) {
        pendingCreates.remove(i);
        kernel.obDereferenceObject(pending.process());
      }
    }
  }

  /**
   * An allowed creation whose event waits for the initial thread to prove that it runs; the sensor
   * holds a reference on the process object.
   */
  private record PendingCreate(EProcess process, ProcessCreate event) {}

  /**
   * A new thread and its creator as the creator-context routine saw them, with a reference on each,
   * until the thread is described.
   */
  private record ThreadSource(EThread thread, EProcess source, int sourceTid) {}
}
