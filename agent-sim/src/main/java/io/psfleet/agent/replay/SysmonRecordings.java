package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.ProcessToken.IntegrityLevel;
import io.psfleet.agent.kernel.VersionResource;
import io.psfleet.agent.replay.RecordedEvent.DriverLoad;
import io.psfleet.agent.replay.RecordedEvent.ModuleLoad;
import io.psfleet.agent.replay.RecordedEvent.ProcessEnd;
import io.psfleet.agent.replay.RecordedEvent.ProcessStart;
import io.psfleet.agent.replay.RecordedEvent.RecordedAccount;
import io.psfleet.agent.replay.RecordedEvent.RecordedImage;
import io.psfleet.agent.replay.RecordedEvent.RemoteThread;
import io.psfleet.agent.replay.Recording.RecordingRule;
import io.psfleet.winevent.ReadIssue;
import io.psfleet.winevent.ReadReport;
import io.psfleet.winevent.WinEvent;
import io.psfleet.winevent.WinEventFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a recording in any format {@link WinEventFiles} knows and maps its Sysmon events 1, 5, 6,
 * 7, 8 and 10 onto {@link RecordedEvent}s: the inverse of how the detection job renders psfleet's
 * events as Sysmon fields (stream-jobs' SYSMON-FIELDS.md). Other events are counted per kind, and
 * an event that lacks what its replay needs is reported with its file and position and left out;
 * the rest of the file is still read.
 */
public final class SysmonRecordings {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]");
  private static final Pattern INFO_RULE_ID =
      Pattern.compile("(?m)^\\s*rule_metadata:\\s*\\n\\s*-\\s*id:\\s*([0-9a-fA-F-]{36})");
  private static final Pattern INFO_RULE_TITLE =
      Pattern.compile("(?m)^\\s*rule_metadata:\\s*\\n(?:.*\\n)*?\\s*title:\\s*(.+)$");
  private static final Pattern ATTACK_TAG =
      Pattern.compile("(?m)^\\s*-\\s*attack\\.(t\\d{4}(?:\\.\\d{3})?)\\s*$");

  private SysmonRecordings() {}

  /**
   * Reads {@code file}. A SigmaHQ regression folder's {@code info.yml} beside it names the rule;
   * that rule's file ({@code rules/...} mirrored by {@code regression_data/rules/...}) gives the
   * technique.
   */
  public static Recording read(Path file) throws IOException {
    List<WinEvent> events = new ArrayList<>();
    ReadReport report = WinEventFiles.read(file, events::add);
    RecordingRule rule = ruleOf(file);
    String name =
        rule != null && file.getParent() != null
            ? file.getParent().getFileName().toString()
            : file.getFileName().toString();
    return map(name, file.toString(), events, report, rule);
  }

  /** Maps events already read; {@code report} is what reading them found. */
  static Recording map(
      String name, String source, List<WinEvent> events, ReadReport report, RecordingRule rule) {
    List<ReadIssue> issues = new ArrayList<>(report.issues());
    // Issues name the file as the reader's do.
    String file = report.source();
    TreeMap<String, Long> notModelled = new TreeMap<>();
    List<RecordedEvent> mapped = new ArrayList<>();
    Instant first = null;
    String computer = null;
    long lastOffset = 0;
    for (WinEvent event : events) {
      if (!event.isSysmon()) {
        String provider = event.provider() == null ? "no provider" : event.provider();
        notModelled.merge(provider + " " + event.eventId(), 1L, Long::sum);
        continue;
      }
      if (!modelled(event.eventId())) {
        notModelled.merge("Sysmon " + event.eventId(), 1L, Long::sum);
        continue;
      }
      Instant time = timeOf(event);
      if (time == null) {
        issues.add(issue(file, event, "no UtcTime or TimeCreated; event not replayed"));
        continue;
      }
      if (first == null) {
        first = time;
        computer = event.computer();
      }
      // Replay keeps the recording's order; a clock step backwards becomes a step of zero.
      long offset =
          Math.max(
              lastOffset,
              (time.getEpochSecond() - first.getEpochSecond()) * 1_000_000_000L
                  + (time.getNano() - first.getNano()));
      try {
        mapped.add(map(event, offset));
        lastOffset = offset;
      } catch (IllegalArgumentException e) {
        issues.add(issue(file, event, e.getMessage() + "; event not replayed"));
      }
    }
    List<Recording.StandIn> standIns = standIns(mapped);
    for (Recording.StandIn standIn : standIns) {
      if (!standIn.parentOfRoot()) {
        issues.add(
            new ReadIssue(
                file,
                ReadIssue.Unit.INDEX,
                standIn.firstIndex(),
                "ProcessGuid "
                    + standIn.processGuid()
                    + " (pid "
                    + standIn.processId()
                    + ", "
                    + standIn.image()
                    + ") is never created in the recording: replay starts a stand-in for it"));
      }
    }
    long firstNanos = first == null ? 0 : first.getEpochSecond() * 1_000_000_000L + first.getNano();
    return new Recording(
        name, source, mapped, standIns, notModelled, issues, report, rule, computer, firstNanos);
  }

  /** Processes named before (or without) their creation, in the order they are first named. */
  private static List<Recording.StandIn> standIns(List<RecordedEvent> events) {
    Set<String> known = new HashSet<>();
    List<Recording.StandIn> standIns = new ArrayList<>();
    String firstUser = null;
    for (RecordedEvent event : events) {
      if (event instanceof ProcessStart start) {
        firstUser = firstUser == null ? start.account().user() : firstUser;
      }
    }
    for (RecordedEvent event : events) {
      if (event instanceof ProcessStart start) {
        if (start.parentGuid() != null
            && start.parentImage() != null
            && known.add(start.parentGuid())) {
          String user = start.parentUser() != null ? start.parentUser() : start.account().user();
          boolean sameUser = user.equals(start.account().user());
          standIns.add(
              new Recording.StandIn(
                  start.parentGuid(),
                  start.parentProcessId(),
                  start.parentImage(),
                  start.parentCommandLine(),
                  new RecordedAccount(
                      user,
                      sameUser ? start.account().integrity() : integrityOf(user),
                      sameUser ? start.account().logonId() : 0,
                      start.account().sessionId()),
                  true,
                  start.index()));
        }
        known.add(start.processGuid());
      } else if (event instanceof ProcessEnd end) {
        standIn(
            known,
            standIns,
            end.processGuid(),
            end.processId(),
            end.image(),
            end.user(),
            firstUser,
            end.index());
      } else if (event instanceof ModuleLoad load) {
        standIn(
            known,
            standIns,
            load.processGuid(),
            load.processId(),
            load.image(),
            load.user(),
            firstUser,
            load.index());
      } else if (event instanceof RecordedEvent.ProcessAccess access) {
        standIn(
            known,
            standIns,
            access.processGuid(),
            access.sourceProcessId(),
            access.sourceImage(),
            access.sourceUser(),
            firstUser,
            access.index());
        standIn(
            known,
            standIns,
            access.targetGuid(),
            access.targetProcessId(),
            access.targetImage(),
            access.targetUser(),
            firstUser,
            access.index());
      } else if (event instanceof RemoteThread thread) {
        standIn(
            known,
            standIns,
            thread.processGuid(),
            thread.sourceProcessId(),
            thread.sourceImage(),
            thread.sourceUser(),
            firstUser,
            thread.index());
        standIn(
            known,
            standIns,
            thread.targetGuid(),
            thread.targetProcessId(),
            thread.targetImage(),
            thread.targetUser(),
            firstUser,
            thread.index());
      }
      // A driver loads into System, which every host has.
    }
    return standIns;
  }

  private static void standIn(
      Set<String> known,
      List<Recording.StandIn> standIns,
      String guid,
      int pid,
      String image,
      String user,
      String firstUser,
      long index) {
    if (!known.add(guid)) {
      return;
    }
    String account = user != null ? user : firstUser != null ? firstUser : SYSTEM;
    standIns.add(
        new Recording.StandIn(
            guid,
            pid,
            image,
            null,
            new RecordedAccount(account, integrityOf(account), 0, 1),
            false,
            index));
  }

  private static final String SYSTEM = "NT AUTHORITY\\SYSTEM";

  /** The integrity a process of {@code user} runs at where the recording does not say. */
  private static IntegrityLevel integrityOf(String user) {
    return RecordedAccounts.isServiceAccount(user, 0)
        ? IntegrityLevel.SYSTEM
        : IntegrityLevel.MEDIUM;
  }

  static boolean modelled(int eventId) {
    return eventId == 1
        || eventId == 5
        || eventId == 6
        || eventId == 7
        || eventId == 8
        || eventId == 10;
  }

  private static RecordedEvent map(WinEvent e, long offset) {
    long index = e.index();
    return switch (e.eventId()) {
      case 1 ->
          new ProcessStart(
              offset,
              index,
              guid(e, "ProcessGuid", "ProcessId"),
              pid(e, "ProcessId"),
              image(e, "Image", true),
              text(e, "CommandLine"),
              text(e, "CurrentDirectory"),
              new RecordedAccount(
                  required(e, "User"),
                  integrity(e),
                  hex(e, "LogonId"),
                  (int) number(e, "TerminalSessionId", 0)),
              optionalGuid(e, "ParentProcessGuid", "ParentProcessId"),
              pid(e, "ParentProcessId"),
              text(e, "ParentImage"),
              text(e, "ParentCommandLine"),
              text(e, "ParentUser"));
      case 5 ->
          new ProcessEnd(
              offset,
              index,
              guid(e, "ProcessGuid", "ProcessId"),
              pid(e, "ProcessId"),
              required(e, "Image"),
              text(e, "User"));
      case 6 -> new DriverLoad(offset, index, image(e, "ImageLoaded", false));
      case 7 ->
          new ModuleLoad(
              offset,
              index,
              guid(e, "ProcessGuid", "ProcessId"),
              pid(e, "ProcessId"),
              required(e, "Image"),
              text(e, "User"),
              image(e, "ImageLoaded", true));
      case 8 ->
          new RemoteThread(
              offset,
              index,
              guid(e, "SourceProcessGuid", "SourceProcessId"),
              pid(e, "SourceProcessId"),
              required(e, "SourceImage"),
              text(e, "SourceUser"),
              guid(e, "TargetProcessGuid", "TargetProcessId"),
              pid(e, "TargetProcessId"),
              required(e, "TargetImage"),
              text(e, "TargetUser"),
              hex(e, "StartAddress"),
              text(e, "StartModule"),
              text(e, "StartFunction"));
      case 10 -> {
        long granted = hex(e, "GrantedAccess");
        if (granted <= 0 || granted > 0xFFFF_FFFFL) {
          throw new IllegalArgumentException(
              "Sysmon event 10 without a GrantedAccess such as 0x1410");
        }
        yield new RecordedEvent.ProcessAccess(
            offset,
            index,
            guid(e, accessKey(e, "Source"), "SourceProcessId"),
            pid(e, "SourceProcessId"),
            required(e, "SourceImage"),
            text(e, "SourceUser"),
            guid(e, accessKey(e, "Target"), "TargetProcessId"),
            pid(e, "TargetProcessId"),
            required(e, "TargetImage"),
            text(e, "TargetUser"),
            (int) granted,
            text(e, "CallTrace"));
      }
      default -> throw new IllegalStateException("not a modelled event id: " + e.eventId());
    };
  }

  /**
   * Event 10's process key field: Sysmon spells it {@code SourceProcessGUID} (event 8 has {@code
   * SourceProcessGuid}); a converter that normalised the case is read too.
   */
  private static String accessKey(WinEvent e, String side) {
    String sysmon = side + "ProcessGUID";
    return text(e, sysmon) != null ? sysmon : side + "ProcessGuid";
  }

  private static RecordedImage image(WinEvent e, String pathField, boolean hasVersion) {
    String path = required(e, pathField);
    String sha256 = null;
    String sha1 = null;
    String md5 = null;
    String imphash = null;
    String hashes = text(e, "Hashes");
    if (hashes != null) {
      for (String part : hashes.split(",")) {
        int eq = part.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String value = part.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
        switch (part.substring(0, eq).trim().toUpperCase(Locale.ROOT)) {
          case "SHA256" -> sha256 = hexDigest("SHA256", value, 32);
          case "SHA1" -> sha1 = hexDigest("SHA1", value, 20);
          case "MD5" -> md5 = hexDigest("MD5", value, 16);
          case "IMPHASH" -> imphash = hexDigest("IMPHASH", value, 16);
          default -> {
            // Sysmon's other algorithms (none today) have no field in psfleet's schema.
          }
        }
      }
    }
    VersionResource version = null;
    if (hasVersion) {
      VersionResource v =
          new VersionResource(
              text(e, "OriginalFileName"),
              text(e, "Description"),
              text(e, "Product"),
              text(e, "Company"),
              text(e, "FileVersion"));
      if (!v.equals(new VersionResource(null, null, null, null, null))) {
        version = v;
      }
    }
    String signer = "true".equalsIgnoreCase(text(e, "Signed")) ? text(e, "Signature") : null;
    return new RecordedImage(path, sha256, sha1, md5, imphash, version, signer);
  }

  private static String hexDigest(String name, String value, int bytes) {
    if (!value.matches("[0-9A-F]{" + (bytes * 2) + "}")) {
      throw new IllegalArgumentException(
          "Hashes " + name + " '" + value + "' is not " + bytes + " bytes of hex");
    }
    return value;
  }

  private static IntegrityLevel integrity(WinEvent e) {
    String text = text(e, "IntegrityLevel");
    if (text == null) {
      return IntegrityLevel.MEDIUM;
    }
    try {
      return IntegrityLevel.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException x) {
      throw new IllegalArgumentException("IntegrityLevel '" + text + "' is not a Sysmon level");
    }
  }

  /** A process's ProcessGuid, or its pid where the format carries no GUIDs. */
  private static String guid(WinEvent e, String guidField, String pidField) {
    String guid = text(e, guidField);
    if (guid != null) {
      return guid.replace("{", "").replace("}", "").toUpperCase(Locale.ROOT);
    }
    String pid = text(e, pidField);
    if (pid == null) {
      throw new IllegalArgumentException("no " + guidField + " nor " + pidField);
    }
    return "pid " + pid;
  }

  /** As {@link #guid}, or null where the event names neither (a parent Sysmon did not know). */
  private static String optionalGuid(WinEvent e, String guidField, String pidField) {
    return text(e, guidField) == null && text(e, pidField) == null
        ? null
        : guid(e, guidField, pidField);
  }

  private static int pid(WinEvent e, String field) {
    return (int) number(e, field, 0);
  }

  private static long number(WinEvent e, String field, long absent) {
    String text = text(e, field);
    if (text == null) {
      return absent;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException x) {
      throw new IllegalArgumentException(field + " '" + text + "' is not a number");
    }
  }

  private static long hex(WinEvent e, String field) {
    String text = text(e, field);
    if (text == null) {
      return 0;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    } catch (NumberFormatException x) {
      throw new IllegalArgumentException(field + " '" + text + "' is not a number");
    }
  }

  private static String required(WinEvent e, String field) {
    String value = text(e, field);
    if (value == null) {
      throw new IllegalArgumentException("Sysmon event " + e.eventId() + " without " + field);
    }
    return value;
  }

  /** A field's text; null where absent, empty or Sysmon's {@code -}. */
  private static String text(WinEvent e, String field) {
    String value = e.field(field);
    return value == null || value.isEmpty() || value.equals("-") ? null : value;
  }

  private static Instant timeOf(WinEvent e) {
    String utc = e.field("UtcTime");
    if (utc != null) {
      try {
        return LocalDateTime.parse(utc.trim(), UTC_TIME).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException x) {
        // fall back on the record's own time
      }
    }
    return e.timeCreated();
  }

  private static ReadIssue issue(String source, WinEvent event, String message) {
    String record = event.recordId() >= 0 ? " (EventRecordID " + event.recordId() + ")" : "";
    return new ReadIssue(
        source,
        ReadIssue.Unit.INDEX,
        event.index(),
        "Sysmon event " + event.eventId() + record + ": " + message);
  }

  // ---------------------------------------------------------------- the rule of a regression test

  /**
   * The rule a SigmaHQ regression folder names in its {@code info.yml}, with the technique of the
   * rule file that mirrors the folder, or null outside such a folder.
   */
  static RecordingRule ruleOf(Path file) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    Path info = folder == null ? null : folder.resolve("info.yml");
    if (info == null || !Files.isRegularFile(info)) {
      return null;
    }
    String text = Files.readString(info);
    Matcher id = INFO_RULE_ID.matcher(text);
    if (!id.find()) {
      return null;
    }
    Matcher title = INFO_RULE_TITLE.matcher(text);
    String ruleTitle = title.find() ? title.group(1).trim() : id.group(1);
    return new RecordingRule(id.group(1).toLowerCase(Locale.ROOT), ruleTitle, techniqueOf(folder));
  }

  private static String techniqueOf(Path folder) throws IOException {
    for (Path up = folder; up.getParent() != null; up = up.getParent()) {
      if (up.getParent().getFileName() != null
          && up.getParent().getFileName().toString().equals("regression_data")) {
        Path regression = up.getParent();
        Path rule =
            regression.getParent().resolve(regression.relativize(folder).toString() + ".yml");
        if (Files.isRegularFile(rule)) {
          Matcher tag = ATTACK_TAG.matcher(Files.readString(rule));
          if (tag.find()) {
            return tag.group(1).toUpperCase(Locale.ROOT);
          }
        }
        break;
      }
    }
    return "untagged";
  }
}
