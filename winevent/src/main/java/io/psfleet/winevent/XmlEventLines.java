package io.psfleet.winevent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads Windows events rendered as XML, one {@code <Event xmlns=...>...</Event>} per line, as
 * Splunk's XmlWinEventLog source type (and its attack_data recordings) store them. An event may
 * also span lines; a file that is one {@code <Events>} document (Event Viewer "Save as XML", {@code
 * wevtutil qe /f:xml /e:Events}) is streamed as a whole. Parsed with the JDK's StAX with DTDs and
 * external entities disabled, so a file cannot make the reader fetch or expand anything.
 *
 * <p>Text is taken as written (Windows' rendering: GUIDs in braces, trailing spaces kept). An event
 * that is not well-formed XML, or has no {@code System/EventID}, is an issue naming its line; in an
 * {@code <Events>} document, malformed XML ends the read there.
 */
public final class XmlEventLines {
  /** An event longer than this without its {@code </Event>} is reported and dropped. */
  static final int MAX_EVENT_CHARS = 4 << 20;

  private XmlEventLines() {}

  /** A factory per read: {@link XMLInputFactory} does not promise to be thread-safe. */
  static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  public static ReadReport read(Path file, Consumer<? super WinEvent> sink) throws IOException {
    ReadReport.Tally tally =
        new ReadReport.Tally(file.getFileName().toString(), WinEventFormat.XML_EVENT_LINES, sink);
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
      XMLInputFactory factory = factory();
      if (isEventsDocument(in)) {
        // One <Events> document (Event Viewer "Save as XML", wevtutil /e:Events): streamed.
        document(factory, in, 0, true, tally);
        return tally.report();
      }
      StringBuilder event = new StringBuilder();
      long line = 0;
      long startLine = 0;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        if (line == 1 && text.startsWith("\uFEFF")) {
          text = text.substring(1);
        }
        if (event.isEmpty()) {
          if (text.isBlank()) {
            continue;
          }
          startLine = line;
        } else {
          event.append('\n');
        }
        event.append(text);
        if (text.contains("</Event>") || !text.stripLeading().startsWith("<")) {
          document(factory, new StringReader(event.toString()), startLine - 1, false, tally);
          event.setLength(0);
        } else if (event.length() > MAX_EVENT_CHARS) {
          tally.atLine(startLine, "no </Event> within " + MAX_EVENT_CHARS + " characters; skipped");
          event.setLength(0);
        }
      }
      if (!event.isEmpty()) {
        document(factory, new StringReader(event.toString()), startLine - 1, false, tally);
      }
    }
    return tally.report();
  }

  /** True when the file is one {@code <Events>} document rather than event lines. */
  private static boolean isEventsDocument(BufferedReader in) throws IOException {
    in.mark(1 << 13);
    char[] head = new char[1 << 12];
    int n = in.read(head);
    in.reset();
    if (n <= 0) {
      return false;
    }
    String text = new String(head, 0, n);
    // Skip a BOM, an XML declaration and comments.
    String rest = text.replaceFirst("(?s)^\uFEFF?\\s*(<\\?xml[^>]*>\\s*)?(<!--.*?-->\\s*)*", "");
    return rest.startsWith("<Events");
  }

  /**
   * Reads the events of one XML document: a single {@code <Event>}, or {@code <Event>}s under any
   * wrapper element. Line numbers in issues are {@code lineBase} plus the document's own.
   */
  private static void document(
      XMLInputFactory factory, Reader xml, long lineBase, boolean whole, ReadReport.Tally tally) {
    long line = lineBase + 1;
    boolean sawEvent = false;
    XMLStreamReader r = null;
    try {
      r = factory.createXMLStreamReader(xml);
      while (r.hasNext()) {
        if (r.next() != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        line = lineBase + r.getLocation().getLineNumber();
        if (!r.getLocalName().equals("Event")) {
          continue;
        }
        sawEvent = true;
        WinEvent event = event(r, tally.source(), tally.nextIndex());
        if (event == null) {
          tally.atLine(line, "<Event> without System/EventID: not a Windows event; skipped");
        } else {
          tally.accept(event);
        }
      }
      if (!sawEvent) {
        tally.atLine(line, "no <Event> element: not a Windows event; skipped");
      }
    } catch (XMLStreamException e) {
      long at = e.getLocation() == null ? line : lineBase + e.getLocation().getLineNumber();
      tally.atLine(
          at,
          "not well-formed XML: "
              + e.getMessage().replace('\n', ' ')
              + (whole ? "; rest of the document skipped" : "; skipped"));
    } catch (RuntimeException e) {
      // Defensive: whatever the StAX implementation throws, the rest of the file is read.
      tally.atLine(line, "unreadable XML (" + e + "); skipped");
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException e) {
          // Nothing held but the string or the file, which the caller closes.
        }
      }
    }
  }

  /**
   * The event whose start tag {@code r} is on, read through its end tag; null where it has no
   * EventID.
   */
  static WinEvent event(XMLStreamReader r, String source, long index) throws XMLStreamException {
    String provider = null;
    String channel = null;
    String computer = null;
    Instant time = null;
    long recordId = -1;
    int eventId = -1;
    Map<String, String> data = new LinkedHashMap<>();
    // depth 1: Event; 2: System / EventData / UserData; 3: their children.
    String section = "";
    int depth = 1;
    while (depth > 0) {
      int kind = r.next();
      if (kind == XMLStreamConstants.END_ELEMENT) {
        depth--;
        continue;
      }
      if (kind != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String name = r.getLocalName();
      depth++;
      if (depth == 2) {
        section = name;
        continue;
      }
      if (depth != 3) {
        continue;
      }
      switch (section) {
        case "System" -> {
          switch (name) {
            case "Provider" -> {
              provider = attr(r, "Name");
              if (provider == null) {
                provider = attr(r, "EventSourceName");
              }
            }
            case "TimeCreated" -> time = Times.parse(attr(r, "SystemTime"));
            case "EventID" -> eventId = parseInt(text(r));
            case "EventRecordID" -> recordId = parseLong(text(r));
            case "Channel" -> channel = text(r);
            case "Computer" -> computer = text(r);
            default -> {}
          }
          if (r.getEventType() == XMLStreamConstants.END_ELEMENT) {
            depth--;
          }
        }
        case "EventData" -> {
          String field = name.equals("Data") ? attr(r, "Name") : name;
          if (field == null) {
            field = EvtxEventBuilder.unnamed(data);
          }
          data.put(field, text(r));
          depth--;
        }
        case "UserData" -> {
          leaves(r, name, data, 0);
          depth--;
        }
        default -> {}
      }
    }
    if (eventId < 0) {
      return null;
    }
    return new WinEvent(source, index, provider, channel, eventId, time, computer, recordId, data);
  }

  private static String attr(XMLStreamReader r, String name) {
    for (int i = 0; i < r.getAttributeCount(); i++) {
      if (r.getAttributeLocalName(i).equals(name)) {
        return r.getAttributeValue(i);
      }
    }
    return null;
  }

  /** The element's text; leaves the reader on its end tag. Child elements are skipped. */
  private static String text(XMLStreamReader r) throws XMLStreamException {
    StringBuilder s = new StringBuilder();
    int nested = 0;
    while (true) {
      int kind = r.next();
      switch (kind) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
          if (nested == 0) {
            s.append(r.getText());
          }
        }
        case XMLStreamConstants.START_ELEMENT -> nested++;
        case XMLStreamConstants.END_ELEMENT -> {
          if (nested == 0) {
            return s.toString();
          }
          nested--;
        }
        default -> {}
      }
    }
  }

  /**
   * UserData: the leaf elements under the provider's wrapper, each under its own name. Leaves the
   * reader on the end tag of the element it starts on.
   */
  private static void leaves(XMLStreamReader r, String name, Map<String, String> out, int depth)
      throws XMLStreamException {
    if (depth > BinXml.MAX_DEPTH) {
      throw new XMLStreamException("UserData nested deeper than " + BinXml.MAX_DEPTH);
    }
    StringBuilder s = new StringBuilder();
    boolean hasChild = false;
    while (true) {
      int kind = r.next();
      switch (kind) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            s.append(r.getText());
        case XMLStreamConstants.START_ELEMENT -> {
          hasChild = true;
          leaves(r, r.getLocalName(), out, depth + 1);
        }
        case XMLStreamConstants.END_ELEMENT -> {
          if (!hasChild) {
            out.put(name, s.toString());
          }
          return;
        }
        default -> {}
      }
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * A writer of one {@code <Event>} per line as Splunk's XmlWinEventLog stores Sysmon's events:
   * {@code System} with provider, EventID, version, task, time, record id, channel and computer,
   * then each EventData field as {@code <Data Name='...'>}; a field whose value is null is left
   * out.
   */
  static WinEventWriter writer() {
    StringBuilder b = new StringBuilder(2048);
    return e -> {
      b.setLength(0);
      b.append("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>");
      b.append("<Provider Name='");
      escape(b, SysmonLog.provider(e));
      b.append('\'');
      if (e.isSysmon()) {
        b.append(" Guid='").append(SysmonLog.PROVIDER_GUID).append('\'');
      }
      b.append("/><EventID>").append(e.eventId()).append("</EventID>");
      b.append("<Version>").append(SysmonLog.version(e.eventId())).append("</Version>");
      b.append("<Level>4</Level><Task>").append(e.eventId()).append("</Task>");
      b.append("<Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>");
      if (e.timeCreated() != null) {
        b.append("<TimeCreated SystemTime='").append(Times.systemTime(e.timeCreated()));
        b.append("'/>");
      }
      if (e.recordId() >= 0) {
        b.append("<EventRecordID>").append(e.recordId()).append("</EventRecordID>");
      }
      b.append("<Correlation/><Channel>");
      escape(b, SysmonLog.channel(e));
      b.append("</Channel>");
      if (e.computer() != null) {
        b.append("<Computer>");
        escape(b, e.computer());
        b.append("</Computer>");
      }
      b.append("<Security UserID='S-1-5-18'/></System><EventData>");
      for (Map.Entry<String, String> f : e.eventData().entrySet()) {
        if (f.getValue() == null) {
          continue;
        }
        b.append("<Data Name='");
        escape(b, f.getKey());
        b.append("'>");
        escape(b, f.getValue());
        b.append("</Data>");
      }
      b.append("</EventData></Event>");
      return b.toString().getBytes(StandardCharsets.UTF_8);
    };
  }

  /**
   * XML text or attribute value: markup characters as entities, and characters XML 1.0 cannot hold
   * (control characters other than tab) as {@code ?}, since no character reference may carry them
   * either; line breaks as character references so that an event stays on one line.
   */
  private static void escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '\'' -> b.append("&apos;");
        case '"' -> b.append("&quot;");
        case '\n' -> b.append("&#10;");
        case '\r' -> b.append("&#13;");
        default -> b.append(c < 0x20 && c != '\t' || c == 0xFFFE || c == 0xFFFF ? '?' : c);
      }
    }
  }
}
