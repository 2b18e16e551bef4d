package io.psfleet.schema.sysmon;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One event seen as Sysmon writes it: its EventID and its EventData fields, named and rendered as
 * in Sysmon's events 1 (process create), 5 (process terminated), 6 (driver loaded), 7 (image
 * loaded), 8 (CreateRemoteThread) and 10 (ProcessAccess), so that rules written against Sysmon
 * (Sigma, vendor content) can read psfleet's telemetry. See {@code stream-jobs/SYSMON-FIELDS.md}
 * for each field's source. It lives beside the schema because every module that shows psfleet's
 * events as Sysmon would (the job's Sigma view, the simulator's output formats, {@code rules test})
 * must show the same thing: this is the one rendering, over any {@link SysmonSource}.
 *
 * <p>Lazy and cheap: a field is rendered only when asked and then kept, so asking twice renders
 * once. {@link #of} makes one for an event; a hot path keeps one {@link #reusable()} view and
 * {@link #reset}s it per event, which allocates nothing but the renderings and renders a file's
 * {@code Hashes} once for all the events that carry the same hashes. Not thread-safe. GUIDs carry
 * Sysmon's braces ({@code {0197231E-...}}); evtx_dump's JSON shows the same values without them.
 */
public final class SysmonFields {
  public static final int PROCESS_CREATE = 1;
  public static final int PROCESS_TERMINATED = 5;
  public static final int DRIVER_LOADED = 6;
  public static final int IMAGE_LOADED = 7;
  public static final int CREATE_REMOTE_THREAD = 8;
  public static final int PROCESS_ACCESS = 10;

  /** EventID 0: the event has no Sysmon counterpart (thread exit, local or initial threads). */
  public static final int NONE = 0;

  private static final String DASH = "-";
  private static final String ZERO_GUID = "{00000000-0000-0000-0000-000000000000}";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Every field this view knows, in no event's order. */
  private enum Field {
    RuleName,
    UtcTime,
    ProcessGuid,
    ProcessId,
    Image,
    FileVersion,
    Description,
    Product,
    Company,
    OriginalFileName,
    CommandLine,
    CurrentDirectory,
    User,
    LogonGuid,
    LogonId,
    TerminalSessionId,
    IntegrityLevel,
    Hashes,
    ParentProcessGuid,
    ParentProcessId,
    ParentImage,
    ParentCommandLine,
    ParentUser,
    ImageLoaded,
    Signed,
    Signature,
    SignatureStatus,
    SourceProcessGuid,
    SourceProcessId,
    SourceImage,
    TargetProcessGuid,
    TargetProcessId,
    TargetImage,
    NewThreadId,
    StartAddress,
    StartModule,
    StartFunction,
    SourceUser,
    TargetUser,
    // Event 10 spells the process keys GUID, as Sysmon's manifest does; they render as the others.
    SourceProcessGUID,
    SourceThreadId,
    TargetProcessGUID,
    GrantedAccess,
    CallTrace;

    static final Field[] ALL = values();
  }

  private static final Field[] EVENT_1 = {
    Field.RuleName,
    Field.UtcTime,
    Field.ProcessGuid,
    Field.ProcessId,
    Field.Image,
    Field.FileVersion,
    Field.Description,
    Field.Product,
    Field.Company,
    Field.OriginalFileName,
    Field.CommandLine,
    Field.CurrentDirectory,
    Field.User,
    Field.LogonGuid,
    Field.LogonId,
    Field.TerminalSessionId,
    Field.IntegrityLevel,
    Field.Hashes,
    Field.ParentProcessGuid,
    Field.ParentProcessId,
    Field.ParentImage,
    Field.ParentCommandLine,
    Field.ParentUser
  };
  private static final Field[] EVENT_5 = {
    Field.RuleName, Field.UtcTime, Field.ProcessGuid, Field.ProcessId, Field.Image, Field.User
  };
  private static final Field[] EVENT_6 = {
    Field.RuleName,
    Field.UtcTime,
    Field.ImageLoaded,
    Field.Hashes,
    Field.Signed,
    Field.Signature,
    Field.SignatureStatus
  };
  private static final Field[] EVENT_7 = {
    Field.RuleName, Field.UtcTime, Field.ProcessGuid, Field.ProcessId, Field.Image,
    Field.ImageLoaded, Field.FileVersion, Field.Description, Field.Product, Field.Company,
    Field.OriginalFileName, Field.Hashes, Field.Signed, Field.Signature, Field.SignatureStatus,
    Field.User
  };
  private static final Field[] EVENT_8 = {
    Field.RuleName, Field.UtcTime, Field.SourceProcessGuid, Field.SourceProcessId,
    Field.SourceImage, Field.TargetProcessGuid, Field.TargetProcessId, Field.TargetImage,
    Field.NewThreadId, Field.StartAddress, Field.StartModule, Field.StartFunction,
    Field.SourceUser, Field.TargetUser
  };
  private static final Field[] EVENT_10 = {
    Field.RuleName,
    Field.UtcTime,
    Field.SourceProcessGUID,
    Field.SourceProcessId,
    Field.SourceThreadId,
    Field.SourceImage,
    Field.TargetProcessGUID,
    Field.TargetProcessId,
    Field.TargetImage,
    Field.GrantedAccess,
    Field.CallTrace,
    Field.SourceUser,
    Field.TargetUser
  };
  private static final long[] MASKS = new long[PROCESS_ACCESS + 1];
  private static final Map<String, Field> BY_NAME = new HashMap<>();

  static {
    for (Field field : Field.ALL) {
      BY_NAME.put(field.name(), field);
    }
    MASKS[PROCESS_CREATE] = mask(EVENT_1);
    MASKS[PROCESS_TERMINATED] = mask(EVENT_5);
    MASKS[DRIVER_LOADED] = mask(EVENT_6);
    MASKS[IMAGE_LOADED] = mask(EVENT_7);
    MASKS[CREATE_REMOTE_THREAD] = mask(EVENT_8);
    MASKS[PROCESS_ACCESS] = mask(EVENT_10);
  }

  /** Sets (of two entries) of a reusable view's cache of rendered {@code Hashes}: 2^12. */
  private static final int HASHES_SET_BITS = 12;

  private static final int HASHES_SETS = 1 << HASHES_SET_BITS;

  private SysmonSource event;
  private int eventId;
  private String parentImage;
  private String parentCommandLine;
  private int machinePart;
  private boolean machinePartKnown;

  /** Renderings of this event: valid where {@code renderedStamp} equals {@code stamp}. */
  private final String[] rendered = new String[Field.ALL.length];

  private final int[] renderedStamp = new int[Field.ALL.length];
  private int stamp;

  /** Rendered Hashes by the hashes they render, or null (a view made by {@link #of}). */
  private final HashesCache hashesCache;

  private SysmonFields(HashesCache hashesCache) {
    this.hashesCache = hashesCache;
  }

  /** The Sysmon view of {@code event}. */
  public static SysmonFields of(SysmonSource event) {
    return new SysmonFields(null).reset(event, null, null);
  }

  /**
   * The Sysmon view of a process create whose event lacks its parent's image or command line (the
   * parent was gone when the sensor looked), filled from what lineage knows of the parent.
   */
  public static SysmonFields of(SysmonSource event, String parentImage, String parentCommandLine) {
    return new SysmonFields(null).reset(event, parentImage, parentCommandLine);
  }

  /** A view to {@link #reset} per event; it keeps the {@code Hashes} of recent files. */
  public static SysmonFields reusable() {
    return new SysmonFields(new HashesCache());
  }

  /**
   * Points this view at {@code event}, as {@link #of(SysmonSource, String, String)} would make it;
   * renderings of the previous event are dropped.
   */
  public SysmonFields reset(SysmonSource event, String parentImage, String parentCommandLine) {
    this.event = event;
    this.eventId = event.sysmonEventId();
    this.parentImage = event.parentImage() != null ? event.parentImage() : parentImage;
    this.parentCommandLine =
        event.parentCommandLine() != null ? event.parentCommandLine() : parentCommandLine;
    this.machinePartKnown = false;
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(renderedStamp, 0);
      stamp = 1;
    }
    return this;
  }

  /** The EventID of an image load: a driver (system mode image, process id 0) is event 6. */
  public static int imageLoadEventId(boolean systemModeImage, int processId) {
    return systemModeImage || processId == 0 ? DRIVER_LOADED : IMAGE_LOADED;
  }

  /**
   * The EventID of a thread creation: only a remote thread that is not a new process's initial
   * thread (whose creator is the parent) is Sysmon's CreateRemoteThread.
   */
  public static int threadCreateEventId(boolean remoteThread, boolean initialThread) {
    return remoteThread && !initialThread ? CREATE_REMOTE_THREAD : NONE;
  }

  public int eventId() {
    return eventId;
  }

  /** The field names of this event's EventData in Sysmon's order; empty for {@link #NONE}. */
  public List<String> fieldNames() {
    Field[] fields = fieldsOf(eventId);
    List<String> names = new ArrayList<>(fields.length);
    for (Field field : fields) {
      names.add(field.name());
    }
    return names;
  }

  /**
   * The field {@code name} (Sysmon's spelling, case-sensitive) as Sysmon renders it, or null when
   * this event does not carry it: not a field of its EventID, or a value its sensor did not send.
   */
  public String field(String name) {
    return field(fieldIndex(name));
  }

  /**
   * The index of the field {@code name} (Sysmon's spelling, case-sensitive) for {@link
   * #field(int)}, or -1 for a name no Sysmon event of 1, 5, 6, 7, 8, 10 has. Callers that ask for
   * the same fields of every event resolve their names once.
   */
  public static int fieldIndex(String name) {
    Field field = BY_NAME.get(name);
    return field == null ? -1 : field.ordinal();
  }

  /** As {@link #field(String)}, by {@link #fieldIndex}; null for -1. */
  public String field(int index) {
    if (index < 0 || (MASKS[eventId] & (1L << index)) == 0) {
      return null;
    }
    if (renderedStamp[index] != stamp) {
      rendered[index] = render(Field.ALL[index]);
      renderedStamp[index] = stamp;
    }
    return rendered[index];
  }

  /**
   * Whether the event has field {@code index} ({@link #field} would not return null), without
   * rendering {@code Hashes}: rules that only ask whether an event has hashes are common.
   */
  public boolean present(int index) {
    if (index < 0 || (MASKS[eventId] & (1L << index)) == 0) {
      return false;
    }
    if (renderedStamp[index] == stamp) {
      return rendered[index] != null;
    }
    if (Field.ALL[index] == Field.Hashes) {
      SysmonSource e = event;
      return e.sha1() != null || e.md5() != null || e.sha256() != null || e.imphash() != null;
    }
    return field(index) != null;
  }

  private String render(Field field) {
    SysmonSource e = event;
    return switch (field) {
      case RuleName -> DASH;
      case UtcTime -> utcTime(e.timeNanos());
      case ProcessGuid, TargetProcessGuid, TargetProcessGUID -> guid(e.processKey());
      case ProcessId, TargetProcessId -> Integer.toString(e.processId());
      case Image, TargetImage -> e.image();
      case FileVersion -> orDash(e.fileVersion());
      case Description -> orDash(e.description());
      case Product -> orDash(e.product());
      case Company -> orDash(e.company());
      case OriginalFileName -> orDash(e.originalFileName());
      case CommandLine -> e.commandLine();
      case CurrentDirectory -> e.currentDirectory();
      case User, TargetUser -> e.user();
      case LogonGuid -> e.logonGuid();
      case LogonId -> e.logonId() == 0 ? null : "0x" + Long.toHexString(e.logonId());
      case TerminalSessionId -> Integer.toString(e.terminalSessionId());
      case IntegrityLevel -> integrityLevel(e.integrityLevel());
      case Hashes -> hashesCache != null ? hashesCache.hashes(e) : hashes(e);
      case ParentProcessGuid -> e.parentKey() == 0 ? ZERO_GUID : guid(e.parentKey());
      case ParentProcessId -> Integer.toString(e.parentProcessId());
      case ParentImage -> orDash(parentImage);
      case ParentCommandLine -> orDash(parentCommandLine);
      case ParentUser -> orDash(e.parentUser());
      case ImageLoaded -> e.imageLoaded();
      case Signed -> e.signed() ? "true" : "false";
      case Signature -> orDash(e.signer());
      case SignatureStatus -> signatureStatus(e.signatureStatus(), e.signed());
      case SourceProcessGuid, SourceProcessGUID ->
          e.sourceKey() == 0 ? ZERO_GUID : guid(e.sourceKey());
      case SourceProcessId -> Integer.toString(e.sourceProcessId());
      case SourceImage -> orDash(e.sourceImage());
      case SourceThreadId -> Integer.toString(e.threadId());
      case GrantedAccess -> grantedAccess(e.grantedAccess());
      case CallTrace -> orDash(e.callTrace());
      case NewThreadId -> Integer.toString(e.threadId());
      case StartAddress -> startAddress(e.startAddress());
      case StartModule -> orDash(e.startModule());
      case StartFunction -> orDash(e.startFunction());
      case SourceUser -> e.sourceUser();
    };
  }

  private String guid(long key) {
    if (!machinePartKnown) {
      machinePart = SysmonGuids.machinePart(event.hostId());
      machinePartKnown = true;
    }
    return SysmonGuids.processGuid(machinePart, key);
  }

  /** {@code yyyy-MM-dd HH:mm:ss.SSS}, UTC. */
  static String utcTime(long nanos) {
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    int millis = (int) (Math.floorMod(nanos, 1_000_000_000L) / 1_000_000);
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    char[] c = new char[23];
    digits(c, 0, t.getYear(), 4);
    c[4] = '-';
    digits(c, 5, t.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, t.getDayOfMonth(), 2);
    c[10] = ' ';
    digits(c, 11, t.getHour(), 2);
    c[13] = ':';
    digits(c, 14, t.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, t.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, millis, 3);
    return new String(c);
  }

  /** {@code 0x} and 16 upper-case hex digits. */
  static String startAddress(long address) {
    char[] c = new char[18];
    c[0] = '0';
    c[1] = 'x';
    for (int i = 17; i >= 2; i--) {
      c[i] = HEX[(int) (address & 0xF)];
      address >>>= 4;
    }
    return new String(c);
  }

  /**
   * Sysmon's GrantedAccess: {@code 0x} and lower-case hex without leading zeros ({@code 0x1410}).
   */
  public static String grantedAccess(int access) {
    return "0x" + Integer.toHexString(access);
  }

  /** {@code SHA1=...,MD5=...,SHA256=...,IMPHASH=...}: the hashes the event has, in that order. */
  public static String hashes(SysmonSource e) {
    if (e.sha1() == null && e.md5() == null && e.sha256() == null && e.imphash() == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(200); // all four hashes: 195 chars
    append(b, "SHA1=", e.sha1());
    append(b, "MD5=", e.md5());
    append(b, "SHA256=", e.sha256());
    append(b, "IMPHASH=", e.imphash());
    return b.toString();
  }

  private static void append(StringBuilder b, String label, String lowerHex) {
    if (lowerHex == null) {
      return;
    }
    if (b.length() > 0) {
      b.append(',');
    }
    b.append(label);
    for (int i = 0; i < lowerHex.length(); i++) {
      char ch = lowerHex.charAt(i);
      b.append(ch >= 'a' && ch <= 'f' ? (char) (ch - 32) : ch);
    }
  }

  /**
   * Rendered {@code Hashes} of recent files, two-way set associative by the SHA-256 (or the first
   * hash an event has): a DLL loaded by every process of the fleet is rendered once, and its one
   * string lets the Sigma engine's memos recognise it by identity. Two ways, because a fleet's few
   * hundred popular files in direct-mapped slots collide often enough that pairs of them, loaded by
   * every process, evicted each other on every load.
   */
  private static final class HashesCache {
    /** Per entry: the four digests as {@link #flatten} writes them, or null (empty). */
    private final char[][] keys = new char[2 * HASHES_SETS][];

    private final String[] values = new String[2 * HASHES_SETS];

    /** Per set: whether its second entry was stored or found after its first. */
    private final boolean[] secondNewer = new boolean[HASHES_SETS];

    /** This event's digests, flattened: {@code flat[0, flatLength)}. */
    private char[] flat = new char[256];

    private int flatLength;

    String hashes(SysmonSource e) {
      String first =
          e.sha256() != null
              ? e.sha256()
              : e.sha1() != null ? e.sha1() : e.md5() != null ? e.md5() : e.imphash();
      if (first == null) {
        return null;
      }
      // A digest's leading chars are as uniform as all of them: hashing 8 of a fresh string's 64
      // is enough to pick a set (a collision costs a comparison, never a wrong rendering).
      int h = 0;
      for (int i = 0, n = Math.min(8, first.length()); i < n; i++) {
        h = 31 * h + first.charAt(i);
      }
      int set = (h * 0x9E3779B9) >>> (32 - HASHES_SET_BITS);
      int a = 2 * set;
      flatten(e);
      if (holds(a)) {
        secondNewer[set] = false;
        return values[a];
      }
      if (holds(a + 1)) {
        secondNewer[set] = true;
        return values[a + 1];
      }
      int entry = keys[a] == null ? a : keys[a + 1] == null || !secondNewer[set] ? a + 1 : a;
      String value = SysmonFields.hashes(e);
      keys[entry] = Arrays.copyOf(flat, flatLength);
      values[entry] = value;
      secondNewer[set] = entry != a;
      return value;
    }

    /**
     * Writes the event's four digests into {@link #flat}, each as its length plus one (0 for none)
     * then its chars: compared in one vectorised comparison with an entry's, instead of as four
     * strings scattered over the heap.
     */
    private void flatten(SysmonSource e) {
      int n = append(e.sha1(), 0);
      n = append(e.md5(), n);
      n = append(e.sha256(), n);
      flatLength = append(e.imphash(), n);
    }

    private int append(String digest, int n) {
      int len = digest == null ? 0 : digest.length();
      if (flat.length < n + 2 + len) {
        flat = Arrays.copyOf(flat, Math.max(2 * flat.length, n + 2 + len));
      }
      int tag = digest == null ? 0 : len + 1;
      flat[n++] = (char) (tag >>> 16);
      flat[n++] = (char) tag;
      if (digest != null) {
        digest.getChars(0, len, flat, n);
        n += len;
      }
      return n;
    }

    private boolean holds(int entry) {
      char[] key = keys[entry];
      return key != null
          && key.length == flatLength
          && Arrays.equals(key, 0, flatLength, flat, 0, flatLength);
    }
  }

  /** The schema's symbol as Sysmon spells the level: {@code High}, {@code Medium}, ... */
  static String integrityLevel(String symbol) {
    if (symbol == null || symbol.equals("UNKNOWN")) {
      return null;
    }
    return symbol.charAt(0) + symbol.substring(1).toLowerCase(Locale.ROOT);
  }

  /**
   * Sysmon's SignatureStatus: {@code Valid} for a good signature, {@code Unavailable} when there is
   * none to check (unsigned files included, as Sysmon reports them), else the outcome's name.
   */
  static String signatureStatus(String symbol, boolean signed) {
    if (symbol == null) {
      return signed ? "Valid" : "Unavailable";
    }
    return switch (symbol) {
      case "VALID" -> "Valid";
      case "UNSIGNED", "UNAVAILABLE" -> "Unavailable";
      case "EXPIRED" -> "Expired";
      case "REVOKED" -> "Revoked";
      default -> "Invalid";
    };
  }

  private static String orDash(String value) {
    return value == null ? DASH : value;
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static Field[] fieldsOf(int eventId) {
    return switch (eventId) {
      case PROCESS_CREATE -> EVENT_1;
      case PROCESS_TERMINATED -> EVENT_5;
      case DRIVER_LOADED -> EVENT_6;
      case IMAGE_LOADED -> EVENT_7;
      case CREATE_REMOTE_THREAD -> EVENT_8;
      case PROCESS_ACCESS -> EVENT_10;
      default -> new Field[0];
    };
  }

  private static long mask(Field[] fields) {
    long mask = 0;
    for (Field field : fields) {
      mask |= 1L << field.ordinal();
    }
    return mask;
  }
}
