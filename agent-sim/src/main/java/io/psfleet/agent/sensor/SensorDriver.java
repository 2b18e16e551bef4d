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
 * <p>Thread notifications may arrive at APC_LEVEL, where the image name, the token and the start
 * address cannot be read (their routines are PASSIVE_LEVEL only): the sensor then takes references
 * on what it needs, decides at once what only the notification's moment can tell (which process
 * created the thread, whether it is a process's initial one), and queues the rest to a system
 * worker thread, which describes the thread at PASSIVE_LEVEL and drops the references.
 *
 * <p>The kernel reports a new process's initial thread in the creator's context, which would make
 * every process creation look like a remote thread. And a process-create routine registered after
 * the sensor's (an antivirus) may still refuse the creation once the sensor's routine has returned:
 * the process then never runs and no other notification tells of it. So the sensor holds each
 * allowed creation's event until the initial thread's notification proves that the process goes on,
 * and recognises that thread by what only it has: the same process object (pid and create time) and
 * the creating thread as its context. A held creation whose process is gone, or whose pid now names
 * another process, was refused after the sensor: it is dropped, never reported, and cannot mistake
 * a later thread for an initial one. Creations refused before or by the sensor are reported at
 * once, with their failing CreationStatus.
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
  private final LoadImageNotifyRoutine imageRoutine = this::onImageLoad;
  private Object objectCallbacks;
  private Kernel kernel;
  private long sequence;
  private final ArrayList<PendingCreate> pendingCreates = new ArrayList<>(4);

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
   * DriverEntry: registers the process, thread and image routines and the process-handle object
   * callback, all or none.
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
    status = kernel.psSetLoadImageNotifyRoutine(driverObject, imageRoutine);
    if (!status.isSuccess()) {
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
    kernel.psRemoveCreateThreadNotifyRoutine(threadRoutine);
    kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, true);
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
    pendingCreates.add(
        new PendingCreate(processId, key, createInfo.creatingThreadId().uniqueThread(), event));
  }

  // ---------------------------------------------------------------- threads

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
    int sourceTid = kernel.psGetCurrentThreadId();
    PendingCreate creation =
        takePendingCreate(processId, keyOf(kernel.psGetThreadProcess(thread.object())), sourceTid);
    boolean initial = creation != null;
    if (initial) {
      emit(creation.event());
    }
    if (kernel.keGetCurrentIrql() == Irql.PASSIVE_LEVEL) {
      try {
        emitThreadCreate(thread.object(), source, sourceTid, initial);
      } finally {
        kernel.obDereferenceObject(thread.object());
      }
      return;
    }
    // The lookup's reference keeps the thread; the source needs one of its own until the worker
    // has run, since it may exit in between.
    kernel.obReferenceObject(source);
    kernel.exQueueWorkItem(
        () -> {
          try {
            emitThreadCreate(thread.object(), source, sourceTid, initial);
          } finally {
            kernel.obDereferenceObject(source);
            kernel.obDereferenceObject(thread.object());
          }
        });
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

  /**
   * The held creation of the process that {@code threadId}'s notification belongs to, removed, when
   * this is that process's initial thread: same process object, raised by its creating thread.
   */
  private PendingCreate takePendingCreate(int processId, long processKey, int currentThreadId) {
    for (int i = 0; i < pendingCreates.size(); i++) {
      PendingCreate pending = pendingCreates.get(i);
      if (pending.processId() == processId
          && pending.processKey() == processKey
          && pending.creatingThreadId() == currentThreadId) {
        pendingCreates.remove(i);
        return pending;
      }
    }
    return null;
  }

  /**
   * Drops held creations that a later routine refused: their process object is gone, or their pid
   * names another process now. A lookup is the only way to tell, since nothing notifies of them.
   */
  private void dropRefusedCreates() {
    for (int i = pendingCreates.size() - 1; i >= 0; i--) {
      PendingCreate pending = pendingCreates.get(i);
      Lookup<EProcess> process = kernel.psLookupProcessByProcessId(pending.processId());
      boolean alive = process.found() && keyOf(process.object()) == pending.processKey();
      if (process.found()) {
        kernel.obDereferenceObject(process.object());
      }
      if (!alive) {
        pendingCreates.remove(i);
      }
    }
  }

  /** An allowed creation whose event waits for the initial thread to prove that it runs. */
  private record PendingCreate(
      int processId, long processKey, int creatingThreadId, ProcessCreate event) {}
}
