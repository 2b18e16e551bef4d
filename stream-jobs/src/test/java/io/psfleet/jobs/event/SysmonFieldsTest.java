package io.psfleet.jobs.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.schema.sysmon.SysmonFields;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renderings compared with real Sysmon events: SigmaHQ's regression data (as evtx_dump writes
 * EventData), copied under {@code src/test/resources/sysmon}. Each test builds the psfleet event
 * that carries the same facts and expects Sysmon's strings back, field by field.
 */
class SysmonFieldsTest {
  /** SigmaHQ regression events under {@code src/test/resources/sysmon}. */
  static List<String> realEvents() {
    return List.of(
        "event1-cmd.json",
        "event1-unknown-parent.json",
        "event7-unsigned.json",
        "event7-signed.json");
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GUID = "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}";
  private static final Set<String> GUIDS = Set.of("ProcessGuid", "ParentProcessGuid");

  @ParameterizedTest
  @MethodSource("realEvents")
  void everyFieldOfARealSysmonEventRendersAsSysmonWroteIt(String fixture) throws Exception {
    JsonNode root = read(fixture);
    JsonNode data = root.get("EventData");
    Telemetry event = fromSysmon(root.get("EventID").asInt(), data);

    SysmonFields fields = SysmonFields.of(event);

    assertThat(fields.eventId()).isEqualTo(root.get("EventID").asInt());
    assertThat(fields.fieldNames()).containsExactlyElementsOf(names(data));
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String expected = f.getValue().asText();
      String actual = fields.field(f.getKey());
      if (GUIDS.contains(f.getKey()) && !expected.startsWith("00000000")) {
        // The machine part and key bits are psfleet's own; the shape is Sysmon's, braces included
        // (evtx_dump drops them).
        assertThat(actual).as(f.getKey()).matches("\\{" + GUID + "\\}");
      } else if (f.getKey().endsWith("Guid")) {
        assertThat(actual).as(f.getKey()).isEqualTo("{" + expected + "}");
      } else {
        assertThat(actual).as(f.getKey()).isEqualTo(expected);
      }
    }
  }

  @Test
  void sameFieldAskedTwiceIsRenderedOnce() throws Exception {
    JsonNode root = read("event1-cmd.json");
    SysmonFields fields = SysmonFields.of(fromSysmon(1, root.get("EventData")));

    assertThat(fields.field("Hashes")).isSameAs(fields.field("Hashes"));
    assertThat(fields.field("NoSuchField")).isNull();
    assertThat(fields.field("ImageLoaded")).as("not a field of event 1").isNull();
  }

  @Test
  void driverLoadIsEvent6AndCarriesOnlyItsFields() {
    Telemetry driver =
        Telemetry.imageLoad(
            "h",
            1,
            1,
            0,
            0,
            0,
            null,
            "C:\\Windows\\System32\\drivers\\disk.sys",
            "ab",
            true,
            "Microsoft Windows",
            12,
            true);

    SysmonFields fields = SysmonFields.of(driver);

    assertThat(fields.eventId()).isEqualTo(6);
    assertThat(fields.fieldNames())
        .containsExactly(
            "RuleName",
            "UtcTime",
            "ImageLoaded",
            "Hashes",
            "Signed",
            "Signature",
            "SignatureStatus");
    assertThat(fields.field("Hashes")).isEqualTo("SHA256=AB");
    assertThat(fields.field("SignatureStatus")).isEqualTo("Valid");
    assertThat(fields.field("ProcessId")).isNull();
  }

  @Test
  void remoteThreadIsEvent8WithSysmonsAddressFormatAndInitialThreadsAreNone() {
    Telemetry remote =
        Telemetry.threadCreate(
            "h",
            1,
            1,
            0,
            700,
            9,
            "C:\\Windows\\System32\\lsass.exe",
            7004,
            8,
            6600,
            "C:\\Users\\bob\\Downloads\\x.exe",
            0x7FFB_1234_5678L,
            "C:\\Windows\\System32\\kernel32.dll",
            "LoadLibraryW",
            true,
            false);
    Telemetry shellcode =
        Telemetry.threadCreate(
            "h",
            1,
            1,
            0,
            700,
            9,
            "C:\\a.exe",
            7004,
            8,
            6600,
            "C:\\b.exe",
            0x1F0_0000_0000L,
            null,
            null,
            true,
            false);
    Telemetry initial =
        Telemetry.threadCreate(
            "h",
            1,
            1,
            0,
            700,
            9,
            "C:\\a.exe",
            7004,
            8,
            6600,
            "C:\\b.exe",
            1,
            null,
            null,
            false,
            true);

    SysmonFields fields = SysmonFields.of(remote);

    assertThat(fields.eventId()).isEqualTo(8);
    assertThat(fields.field("StartAddress")).isEqualTo("0x00007FFB12345678");
    assertThat(fields.field("StartFunction")).isEqualTo("LoadLibraryW");
    assertThat(fields.field("TargetProcessId")).isEqualTo("700");
    assertThat(fields.field("NewThreadId")).isEqualTo("7004");
    assertThat(fields.field("SourceProcessGuid")).matches("\\{" + GUID + "\\}");
    assertThat(SysmonFields.of(shellcode).field("StartModule")).isEqualTo("-");
    assertThat(initial.sysmonEventId()).isEqualTo(SysmonFields.NONE);
  }

  @Test
  void processGuidsOfOneHostShareTheMachinePart() {
    Telemetry a = Telemetry.processExit("host-000007", 1, 1, 0, 4, 0x1234L, "C:\\a.exe", 0);
    Telemetry b = Telemetry.processExit("host-000007", 1, 2, 0, 8, -99L, "C:\\b.exe", 1);

    String ga = SysmonFields.of(a).field("ProcessGuid");
    String gb = SysmonFields.of(b).field("ProcessGuid");

    assertThat(ga.substring(0, 10)).isEqualTo(gb.substring(0, 10));
    assertThat(ga).isNotEqualTo(gb);
    assertThat(SysmonFields.of(a).eventId()).isEqualTo(5);
  }

  @Test
  void hashesFollowSysmonsOrderWhateverTheyAre() {
    Telemetry e = withHashes("aa", null, "bb", "cc");

    assertThat(SysmonFields.hashes(e)).isEqualTo("SHA1=AA,SHA256=BB,IMPHASH=CC");
  }

  @ParameterizedTest
  @MethodSource("realEvents")
  void aFieldIsPresentExactlyWhereItHasAValue(String fixture) throws Exception {
    JsonNode root = read(fixture);
    SysmonFields fields =
        SysmonFields.of(fromSysmon(root.get("EventID").asInt(), root.get("EventData")));

    // The event's own fields, and fields of the other event id, which it lacks.
    List<String> names = new ArrayList<>(fields.fieldNames());
    names.addAll(List.of("ImageLoaded", "Signed", "ParentImage", "CommandLine", "Hashes"));
    for (String name : names) {
      int index = SysmonFields.fieldIndex(name);
      assertThat(fields.present(index)).as(name).isEqualTo(fields.field(index) != null);
    }
  }

  @Test
  void hashesArePresentWithoutBeingRendered() {
    SysmonFields view = SysmonFields.reusable();
    int hashes = SysmonFields.fieldIndex("Hashes");

    assertThat(view.reset(withHashes(null, null, "bb", null), null, null).present(hashes)).isTrue();
    assertThat(view.reset(withHashes(null, null, null, null), null, null).present(hashes))
        .isFalse();
  }

  @Test
  void aReusedViewShowsOnlyTheEventItWasLastResetTo() {
    Telemetry a = Telemetry.processExit("host-000007", 1, 1, 0, 4, 0x1234L, "C:\\a.exe", 0);
    Telemetry b = Telemetry.processExit("host-000008", 1, 2, 0, 8, -99L, "C:\\b.exe", 1);
    SysmonFields view = SysmonFields.reusable();

    String guidOfA = view.reset(a, null, null).field("ProcessGuid");
    assertThat(view.field("Image")).isEqualTo("C:\\a.exe");
    view.reset(b, null, null);

    assertThat(view.field("Image")).isEqualTo("C:\\b.exe");
    assertThat(view.field("ProcessId")).isEqualTo("8");
    assertThat(view.field("ProcessGuid"))
        .isEqualTo(SysmonFields.of(b).field("ProcessGuid"))
        .isNotEqualTo(guidOfA);
  }

  @Test
  void aReusedViewRendersTheHashesOfAFileOnceAndNeverConfusesTwoFiles() {
    SysmonFields view = SysmonFields.reusable();
    String first = view.reset(withHashes("aa", "dd", "bb", "cc"), null, null).field("Hashes");
    String again = view.reset(withHashes("aa", "dd", "bb", "cc"), null, null).field("Hashes");
    String otherImphash =
        view.reset(withHashes("aa", "dd", "bb", "ee"), null, null).field("Hashes");

    assertThat(first).isEqualTo("SHA1=AA,MD5=DD,SHA256=BB,IMPHASH=CC");
    assertThat(again).isSameAs(first);
    assertThat(otherImphash).isEqualTo("SHA1=AA,MD5=DD,SHA256=BB,IMPHASH=EE");
    assertThat(view.reset(withHashes(null, null, null, null), null, null).field("Hashes")).isNull();
  }

  @Test
  void aReusedViewKeepsTheHashesOfAFleetsPopularFilesWithoutTheirEvictingEachOther()
      throws Exception {
    SysmonFields view = SysmonFields.reusable();
    int files = 300;
    String[] digests = new String[files];
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < files; i++) {
      digests[i] = HexFormat.of().formatHex(sha.digest(("file " + i).getBytes(UTF_8)));
    }
    String[] first = new String[files];
    int renderedAgain = 0;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < files; i++) {
        String sha256 = digests[i];
        String hashes =
            view.reset(withHashes(null, null, sha256, null), null, null).field("Hashes");
        assertThat(hashes).isEqualTo("SHA256=" + sha256.toUpperCase(Locale.ROOT));
        if (round == 0) {
          first[i] = hashes;
        } else if (round == 2 && hashes != first[i]) {
          renderedAgain++;
        }
      }
    }
    // Direct-mapped into 1,024 slots, a quarter of them collided and were rendered on every load.
    assertThat(renderedAgain).isLessThanOrEqualTo(files / 100);
  }

  private static Telemetry withHashes(String sha1, String md5, String sha256, String imphash) {
    return new Telemetry(
        "h",
        1,
        1,
        0,
        EventKind.IMAGE_LOAD,
        4,
        1,
        "C:\\a.exe",
        null,
        null,
        null,
        0,
        0,
        null,
        null,
        0,
        0,
        null,
        0,
        "C:\\m.dll",
        sha256,
        true,
        "S",
        12,
        false,
        0,
        0,
        0,
        null,
        0,
        null,
        null,
        false,
        false,
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        null,
        null,
        0,
        md5,
        sha1,
        imphash,
        "VALID",
        null,
        0,
        null);
  }

  /** The psfleet event that carries what the Sysmon event says. */
  static Telemetry fromSysmon(int eventId, JsonNode d) {
    Map<String, String> hashes = new java.util.HashMap<>();
    for (String part : d.path("Hashes").asText("").split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        hashes.put(part.substring(0, eq), part.substring(eq + 1).toLowerCase(Locale.ROOT));
      }
    }
    LocalDateTime utc =
        LocalDateTime.parse(
            d.get("UtcTime").asText(), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
    long nanos = utc.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + utc.getNano() + 456_789;
    boolean create = eventId == 1;
    String parentGuid = d.path("ParentProcessGuid").asText("");
    return new Telemetry(
        "host-regression",
        1,
        1,
        nanos,
        create ? EventKind.PROCESS_CREATE : EventKind.IMAGE_LOAD,
        d.get("ProcessId").asInt(),
        0x1234_5678_9ABC_DEF0L,
        d.get("Image").asText(),
        create ? d.get("CommandLine").asText() : null,
        d.get("User").asText(),
        create ? d.get("IntegrityLevel").asText().toUpperCase(Locale.ROOT) : null,
        parentGuid.startsWith("00000000") ? 0 : 77,
        d.path("ParentProcessId").asInt(),
        dashless(d.path("ParentImage").asText(null)),
        dashless(d.path("ParentCommandLine").asText(null)),
        0,
        0,
        null,
        0,
        create ? null : d.get("ImageLoaded").asText(),
        hashes.get("SHA256"),
        d.path("Signed").asText("").equals("true"),
        dashless(d.path("Signature").asText(null)),
        0,
        false,
        0,
        0,
        0,
        null,
        0,
        null,
        null,
        false,
        false,
        0,
        dashless(d.get("OriginalFileName").asText()),
        dashless(d.get("Description").asText()),
        dashless(d.get("Product").asText()),
        dashless(d.get("Company").asText()),
        dashless(d.get("FileVersion").asText()),
        create ? d.get("CurrentDirectory").asText() : null,
        create ? Long.parseLong(d.get("LogonId").asText().substring(2), 16) : 0,
        create ? "{" + d.get("LogonGuid").asText() + "}" : null,
        dashless(d.path("ParentUser").asText(null)),
        d.path("TerminalSessionId").asInt(),
        hashes.get("MD5"),
        hashes.get("SHA1"),
        hashes.get("IMPHASH"),
        create ? null : d.path("Signed").asText("").equals("true") ? "VALID" : "UNSIGNED",
        null,
        0,
        null);
  }

  private static String dashless(String value) {
    return value == null || value.equals("-") ? null : value;
  }

  private static java.util.List<String> names(JsonNode data) {
    java.util.List<String> names = new java.util.ArrayList<>();
    data.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode read(String fixture) throws Exception {
    try (InputStream in = SysmonFieldsTest.class.getResourceAsStream("/sysmon/" + fixture)) {
      return JSON.readTree(in);
    }
  }
}
