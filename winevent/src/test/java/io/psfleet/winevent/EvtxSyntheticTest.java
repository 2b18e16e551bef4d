package io.psfleet.winevent;

import static io.psfleet.winevent.BinXmlWriter.binXml;
import static io.psfleet.winevent.BinXmlWriter.filetime;
import static io.psfleet.winevent.BinXmlWriter.nul;
import static io.psfleet.winevent.BinXmlWriter.string;
import static io.psfleet.winevent.BinXmlWriter.uint16;
import static io.psfleet.winevent.BinXmlWriter.uint64;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binary XML the regression recordings do not hold, written token by token. */
class EvtxSyntheticTest {
  /** 2025-11-28T08:30:20.9669015Z as a FILETIME. */
  private static final long FILETIME = 134087922209669015L;

  @TempDir Path dir;

  @Test
  void templatesReferencesEntitiesCdataOptionalAndNestedBinXmlAllRender() throws IOException {
    BinXmlWriter w = new BinXmlWriter();

    w.beginRecord(101, FILETIME).fragmentHeader();
    int t1 = w.templateInline();
    w.fragmentHeader();
    w.open("Event", true)
        .attribute("xmlns")
        .text("http://schemas.microsoft.com/win/2004/08/events/event");
    w.closeStart();
    w.open("System", false).closeStart();
    w.open("Provider", true).attribute("Name").text("Test-Provider").closeEmpty();
    w.open("EventID", false).closeStart().subst(0, 0x06).end();
    w.open("TimeCreated", true).attribute("SystemTime").subst(1, 0x11).closeEmpty();
    w.open("EventRecordID", false).closeStart().subst(2, 0x0a).end();
    w.open("Channel", false).closeStart().text("Test").entityRef("amp").text("Ops").charRef('!');
    w.end();
    w.open("Computer", false).closeStart().subst(3, 0x01).end();
    w.end(); // System
    w.open("EventData", false).closeStart();
    w.open("Data", true).attribute("Name").text("Image").closeStart().subst(4, 0x01).end();
    w.open("Data", true).attribute("Name").text("Empty").closeStart().optionalSubst(5, 0x01).end();
    w.open("Data", true).attribute("Name").text("Script").closeStart().cdata("a<b && c").end();
    w.open("Data", false).closeStart().subst(6, 0x01).end();
    w.open("Data", false).closeStart().subst(7, 0x01).end();
    w.end(); // EventData
    w.end(); // Event
    w.eof();
    w.endTemplateDefinition(t1);
    w.substitutions(
        uint16(4688),
        filetime(FILETIME),
        uint64(101),
        string("ws1.example"),
        string("C:\\Windows\\System32\\cmd.exe \0"),
        nul(),
        string("first"),
        string("second"));
    w.eof().endRecord();

    w.beginRecord(102, FILETIME + 10).fragmentHeader().templateRef(t1);
    w.substitutions(
        uint16(4689),
        filetime(FILETIME + 10),
        uint64(102),
        string("ws2.example"),
        string("C:\\x.exe"),
        string("not empty"),
        string("1"),
        string("2"));
    w.eof().endRecord();

    w.beginRecord(103, FILETIME + 20).fragmentHeader();
    int t2 = w.templateInline();
    w.fragmentHeader();
    w.open("Event", false).closeStart();
    w.open("System", false).closeStart();
    w.open("EventID", false).closeStart().subst(0, 0x06).end();
    w.open("EventRecordID", false).closeStart().subst(1, 0x0a).end();
    w.end();
    w.open("UserData", false).closeStart().subst(2, 0x21).end();
    w.end();
    w.eof();
    w.endTemplateDefinition(t2);
    int nestedAt = w.position() + 4 + 3 * 4 + 2 + 8;
    byte[] nested =
        BinXmlWriter.fragmentAt(
            nestedAt,
            n -> {
              n.fragmentHeader();
              n.open("LogFileCleared", false).closeStart();
              n.open("SubjectUserName", false).closeStart().text("alice").end();
              n.open("SubjectLogonId", false).closeStart().text("0x3e7").end();
              n.end();
              n.eof();
            });
    w.substitutions(uint16(1102), uint64(103), binXml(nested));
    w.eof().endRecord();

    Path file = Files.write(dir.resolve("synthetic.evtx"), w.file());
    List<WinEvent> events = new ArrayList<>();
    ReadReport report = WinEventFiles.read(file, events::add);

    assertThat(report.issues()).isEmpty();
    assertThat(events).extracting(WinEvent::recordId).containsExactly(101L, 102L, 103L);
    WinEvent first = events.get(0);
    assertThat(first.provider()).isEqualTo("Test-Provider");
    assertThat(first.eventId()).isEqualTo(4688);
    assertThat(first.channel()).isEqualTo("Test&Ops!");
    assertThat(first.computer()).isEqualTo("ws1.example");
    assertThat(first.timeCreated()).isEqualTo(Instant.parse("2025-11-28T08:30:20.9669015Z"));
    assertThat(first.eventData())
        .containsExactly(
            java.util.Map.entry("Image", "C:\\Windows\\System32\\cmd.exe"),
            java.util.Map.entry("Empty", ""),
            java.util.Map.entry("Script", "a<b && c"),
            java.util.Map.entry("Data", "first"),
            java.util.Map.entry("Data#2", "second"));
    WinEvent second = events.get(1);
    assertThat(second.eventId()).isEqualTo(4689);
    assertThat(second.field("Empty")).isEqualTo("not empty");
    assertThat(second.computer()).isEqualTo("ws2.example");
    WinEvent third = events.get(2);
    assertThat(third.eventId()).isEqualTo(1102);
    assertThat(third.timeCreated())
        .as("from the record header")
        .isEqualTo(first.timeCreated().plusNanos(2000));
    assertThat(third.eventData())
        .containsExactly(
            java.util.Map.entry("SubjectUserName", "alice"),
            java.util.Map.entry("SubjectLogonId", "0x3e7"));
  }
}
