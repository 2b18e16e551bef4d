package io.psfleet.schema.sysmon;

import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.util.HexFormat;
import org.apache.avro.generic.GenericFixed;

/**
 * The Avro {@link TelemetryEvent} as a {@link SysmonSource}, for code that has the record as the
 * sensor wrote it (the simulator's output formats) rather than the jobs' flat record. It reads the
 * same values the jobs' mapping copies (a test in stream-jobs holds both renderings equal over a
 * simulated fleet). Reusable: {@link #reset} per event; not thread-safe.
 */
public final class TelemetryEventSource implements SysmonSource {
  private static final HexFormat HEX = HexFormat.of();

  private TelemetryEvent event;
  private ProcessCreate create;
  private ProcessExit exit;
  private ImageLoad load;
  private ThreadCreate thread;
  private ProcessAccess access;

  /** Points this source at {@code event}. */
  public TelemetryEventSource reset(TelemetryEvent event) {
    this.event = event;
    Object body = event.getBody();
    create = body instanceof ProcessCreate p ? p : null;
    exit = body instanceof ProcessExit x ? x : null;
    load = body instanceof ImageLoad i ? i : null;
    thread = body instanceof ThreadCreate t ? t : null;
    access = body instanceof ProcessAccess a ? a : null;
    return this;
  }

  public TelemetryEvent event() {
    return event;
  }

  @Override
  public int sysmonEventId() {
    if (create != null) {
      return SysmonFields.PROCESS_CREATE;
    }
    if (exit != null) {
      return SysmonFields.PROCESS_TERMINATED;
    }
    if (load != null) {
      return SysmonFields.imageLoadEventId(load.getSystemModeImage(), load.getProcessId());
    }
    if (thread != null) {
      return SysmonFields.threadCreateEventId(thread.getRemoteThread(), thread.getInitialThread());
    }
    if (access != null) {
      return SysmonFields.PROCESS_ACCESS;
    }
    return SysmonFields.NONE;
  }

  @Override
  public String hostId() {
    return event.getHeader().getHostId();
  }

  @Override
  public long timeNanos() {
    return event.getHeader().getEventTimeNanos();
  }

  @Override
  public long processKey() {
    if (create != null) {
      return create.getProcessGuid();
    }
    if (exit != null) {
      return exit.getProcessGuid();
    }
    if (load != null) {
      return orZero(load.getProcessGuid());
    }
    if (access != null) {
      return access.getTargetProcessGuid();
    }
    return thread != null ? thread.getTargetProcessGuid() : 0;
  }

  @Override
  public int processId() {
    if (create != null) {
      return create.getProcessId();
    }
    if (exit != null) {
      return exit.getProcessId();
    }
    if (load != null) {
      return load.getProcessId();
    }
    if (access != null) {
      return access.getTargetProcessId();
    }
    return thread != null ? thread.getTargetProcessId() : 0;
  }

  @Override
  public String image() {
    if (create != null) {
      return create.getImage();
    }
    if (exit != null) {
      return exit.getImage();
    }
    if (load != null) {
      return load.getImage();
    }
    if (access != null) {
      return access.getTargetImage();
    }
    return thread != null ? thread.getTargetImage() : null;
  }

  @Override
  public String commandLine() {
    return create != null ? create.getCommandLine() : null;
  }

  @Override
  public String user() {
    if (create != null) {
      return create.getUser();
    }
    if (exit != null) {
      return exit.getUser();
    }
    if (load != null) {
      return load.getUser();
    }
    if (access != null) {
      return access.getTargetUser();
    }
    return thread != null ? thread.getTargetUser() : null;
  }

  @Override
  public String integrityLevel() {
    return create != null ? create.getIntegrityLevel().name() : null;
  }

  @Override
  public long parentKey() {
    return create != null ? orZero(create.getParentProcessGuid()) : 0;
  }

  @Override
  public int parentProcessId() {
    return create != null ? create.getParentProcessId() : 0;
  }

  @Override
  public String parentImage() {
    return create != null ? create.getParentImage() : null;
  }

  @Override
  public String parentCommandLine() {
    return create != null ? create.getParentCommandLine() : null;
  }

  @Override
  public String imageLoaded() {
    return load != null ? load.getImageLoaded() : null;
  }

  @Override
  public String sha256() {
    return create != null ? hex(create.getHashes()) : load != null ? hex(load.getHashes()) : null;
  }

  @Override
  public boolean signed() {
    return load != null && load.getSigned();
  }

  @Override
  public String signer() {
    return load != null ? load.getSignature() : null;
  }

  @Override
  public int threadId() {
    if (access != null) {
      return access.getSourceThreadId();
    }
    return thread != null ? thread.getNewThreadId() : 0;
  }

  @Override
  public long sourceKey() {
    if (access != null) {
      return access.getSourceProcessGuid();
    }
    return thread != null ? orZero(thread.getSourceProcessGuid()) : 0;
  }

  @Override
  public int sourceProcessId() {
    if (access != null) {
      return access.getSourceProcessId();
    }
    return thread != null ? thread.getSourceProcessId() : 0;
  }

  @Override
  public String sourceImage() {
    if (access != null) {
      return access.getSourceImage();
    }
    return thread != null ? thread.getSourceImage() : null;
  }

  @Override
  public long startAddress() {
    return thread != null ? thread.getStartAddress() : 0;
  }

  @Override
  public String startModule() {
    return thread != null ? thread.getStartModule() : null;
  }

  @Override
  public String startFunction() {
    return thread != null ? thread.getStartFunction() : null;
  }

  @Override
  public String originalFileName() {
    return create != null
        ? create.getOriginalFileName()
        : load != null ? load.getOriginalFileName() : null;
  }

  @Override
  public String description() {
    return create != null ? create.getDescription() : load != null ? load.getDescription() : null;
  }

  @Override
  public String product() {
    return create != null ? create.getProduct() : load != null ? load.getProduct() : null;
  }

  @Override
  public String company() {
    return create != null ? create.getCompany() : load != null ? load.getCompany() : null;
  }

  @Override
  public String fileVersion() {
    return create != null ? create.getFileVersion() : load != null ? load.getFileVersion() : null;
  }

  @Override
  public String currentDirectory() {
    return create != null ? create.getCurrentDirectory() : null;
  }

  @Override
  public long logonId() {
    return create != null ? orZero(create.getLogonId()) : 0;
  }

  @Override
  public String logonGuid() {
    return create != null ? create.getLogonGuid() : null;
  }

  @Override
  public String parentUser() {
    return create != null ? create.getParentUser() : null;
  }

  @Override
  public int terminalSessionId() {
    return create != null ? create.getTerminalSessionId() : 0;
  }

  @Override
  public String md5() {
    return create != null ? hex(create.getMD5()) : load != null ? hex(load.getMD5()) : null;
  }

  @Override
  public String sha1() {
    return create != null ? hex(create.getSHA1()) : load != null ? hex(load.getSHA1()) : null;
  }

  @Override
  public String imphash() {
    return create != null ? hex(create.getIMPHASH()) : load != null ? hex(load.getIMPHASH()) : null;
  }

  @Override
  public String signatureStatus() {
    return load != null ? load.getSignatureStatus().name() : null;
  }

  @Override
  public String sourceUser() {
    if (access != null) {
      return access.getSourceUser();
    }
    return thread != null ? thread.getSourceUser() : null;
  }

  @Override
  public int grantedAccess() {
    return access != null ? access.getGrantedAccess() : 0;
  }

  @Override
  public String callTrace() {
    return access != null ? access.getCallTrace() : null;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static String hex(GenericFixed hash) {
    return hash == null ? null : HEX.formatHex(hash.bytes());
  }
}
