package io.psfleet.winevent;

import io.psfleet.winevent.BinXml.Attr;
import io.psfleet.winevent.BinXml.Element;
import io.psfleet.winevent.BinXml.Malformed;
import io.psfleet.winevent.BinXml.Node;
import io.psfleet.winevent.BinXml.Subst;
import io.psfleet.winevent.BinXml.Template;
import io.psfleet.winevent.BinXml.Text;
import io.psfleet.winevent.BinXml.Values;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the binary XML tree of one record into a {@link WinEvent}, rendering only the values it
 * needs: the System fields {@link WinEvent} carries and every EventData (or UserData) field.
 */
final class EvtxEventBuilder {
  private final BinXml xml;

  EvtxEventBuilder(BinXml xml) {
    this.xml = xml;
  }

  /** An element together with the substitution values its slots refer to. */
  private record Bound(Element element, Values values) {}

  private interface Visitor {
    void element(Element e, Values values) throws Malformed;

    void text(String text);
  }

  WinEvent build(Node[] nodes, String source, long index, long headerRecordId, Instant headerTime)
      throws Malformed {
    Bound[] event = new Bound[1];
    expand(
        nodes,
        null,
        0,
        new Visitor() {
          @Override
          public void element(Element e, Values values) {
            if (event[0] == null && e.name().equals("Event")) {
              event[0] = new Bound(e, values);
            }
          }

          @Override
          public void text(String text) {}
        });
    if (event[0] == null) {
      throw new Malformed(-1, "record holds no <Event> element");
    }
    Fields f = new Fields();
    expand(
        event[0].element.children(),
        event[0].values,
        1,
        new Visitor() {
          @Override
          public void element(Element e, Values values) throws Malformed {
            switch (e.name()) {
              case "System" -> system(e, values, f);
              case "EventData" -> eventData(e, values, f.data, 2);
              case "UserData" -> userData(e, values, f.data, 2);
              default -> {}
            }
          }

          @Override
          public void text(String text) {}
        });
    return new WinEvent(
        source,
        index,
        f.provider,
        f.channel,
        f.eventId,
        f.time != null ? f.time : headerTime,
        f.computer,
        f.recordId >= 0 ? f.recordId : headerRecordId,
        f.data);
  }

  private static final class Fields {
    String provider;
    String channel;
    int eventId = -1;
    Instant time;
    String computer;
    long recordId = -1;
    final Map<String, String> data = new LinkedHashMap<>();
  }

  private void system(Element system, Values values, Fields f) throws Malformed {
    expand(
        system.children(),
        values,
        2,
        new Visitor() {
          @Override
          public void element(Element e, Values v) throws Malformed {
            switch (e.name()) {
              case "Provider" -> {
                String name = attr(e, "Name", v);
                f.provider = name != null ? name : attr(e, "EventSourceName", v);
              }
              case "EventID" -> f.eventId = parseInt(textOf(e, v, 3));
              case "TimeCreated" -> f.time = time(e, v);
              case "EventRecordID" -> f.recordId = parseLong(textOf(e, v, 3));
              case "Channel" -> f.channel = textOf(e, v, 3);
              case "Computer" -> f.computer = textOf(e, v, 3);
              default -> {}
            }
          }

          @Override
          public void text(String text) {}
        });
  }

  private void eventData(Element eventData, Values values, Map<String, String> out, int depth)
      throws Malformed {
    expand(
        eventData.children(),
        values,
        depth,
        new Visitor() {
          @Override
          public void element(Element e, Values v) throws Malformed {
            String name = e.name().equals("Data") ? attr(e, "Name", v) : e.name();
            if (name == null) {
              name = unnamed(out);
            }
            out.put(name, textOf(e, v, depth + 1));
          }

          @Override
          public void text(String text) {}
        });
  }

  /** Unnamed {@code <Data>} (classic providers): {@code Data}, then {@code Data#2}, ... */
  static String unnamed(Map<String, String> out) {
    if (!out.containsKey("Data")) {
      return "Data";
    }
    int k = 2;
    while (out.containsKey("Data#" + k)) {
      k++;
    }
    return "Data#" + k;
  }

  /** UserData: one provider-defined wrapper element; its leaf elements become the fields. */
  private void userData(Element userData, Values values, Map<String, String> out, int depth)
      throws Malformed {
    expand(
        userData.children(),
        values,
        depth,
        new Visitor() {
          @Override
          public void element(Element e, Values v) throws Malformed {
            boolean[] hasChild = new boolean[1];
            StringBuilder text = new StringBuilder();
            expand(
                e.children(),
                v,
                depth + 1,
                new Visitor() {
                  @Override
                  public void element(Element child, Values cv) {
                    hasChild[0] = true;
                  }

                  @Override
                  public void text(String t) {
                    text.append(t);
                  }
                });
            if (hasChild[0]) {
              userData(e, v, out, depth + 1);
            } else {
              out.put(e.name(), text.toString());
            }
          }

          @Override
          public void text(String text) {}
        });
  }

  private Instant time(Element e, Values v) throws Malformed {
    for (Attr a : e.attrs()) {
      if (a.name().equals("SystemTime")) {
        if (a.value().length == 1 && a.value()[0] instanceof Subst s && v != null) {
          Instant t = xml.instant(v, s.index());
          if (t != null) {
            return t;
          }
        }
        String text = attrText(a, v);
        if (text == null || text.isEmpty()) {
          return null;
        }
        try {
          return Instant.parse(text);
        } catch (DateTimeParseException ex) {
          throw new Malformed(-1, "TimeCreated/@SystemTime is not a time: " + text);
        }
      }
    }
    return null;
  }

  private String attr(Element e, String name, Values v) {
    for (Attr a : e.attrs()) {
      if (a.name().equals(name)) {
        return attrText(a, v);
      }
    }
    return null;
  }

  /** An attribute's text; null where it is one null substitution (Windows omits it). */
  private String attrText(Attr a, Values v) {
    Node[] parts = a.value();
    if (parts.length == 1 && parts[0] instanceof Subst s) {
      return v == null || v.isNull(s.index()) ? null : xml.render(v, s.index());
    }
    if (parts.length == 1 && parts[0] instanceof Text t) {
      return t.text();
    }
    StringBuilder s = new StringBuilder();
    for (Node n : parts) {
      if (n instanceof Text t) {
        s.append(t.text());
      } else if (n instanceof Subst sub && v != null && !v.isNull(sub.index())) {
        s.append(xml.render(v, sub.index()));
      }
    }
    return s.toString();
  }

  /** The text content of an element (its direct text; child elements add nothing). */
  private String textOf(Element e, Values v, int depth) throws Malformed {
    Node[] children = e.children();
    if (children.length == 1 && children[0] instanceof Subst s) {
      if (v == null || v.isNull(s.index())) {
        return "";
      }
      if (v.type()[s.index()] != BinXml.TYPE_BINXML) {
        return xml.render(v, s.index());
      }
    }
    StringBuilder s = new StringBuilder();
    expand(
        children,
        v,
        depth,
        new Visitor() {
          @Override
          public void element(Element child, Values cv) {}

          @Override
          public void text(String text) {
            s.append(text);
          }
        });
    return s.toString();
  }

  /** Visits nodes with template instances and BinXml substitutions replaced by their content. */
  private void expand(Node[] nodes, Values values, int depth, Visitor visitor) throws Malformed {
    if (depth > BinXml.MAX_DEPTH) {
      throw new Malformed(-1, "binary XML nested deeper than " + BinXml.MAX_DEPTH);
    }
    for (Node n : nodes) {
      if (n instanceof Element e) {
        visitor.element(e, values);
      } else if (n instanceof Text t) {
        visitor.text(t.text());
      } else if (n instanceof Subst s) {
        if (values == null || values.isNull(s.index())) {
          continue;
        }
        if (values.type()[s.index()] == BinXml.TYPE_BINXML) {
          expand(xml.nested(values, s.index(), depth), null, depth + 1, visitor);
        } else {
          visitor.text(xml.render(values, s.index()));
        }
      } else if (n instanceof Template t) {
        expand(t.body(), t.values(), depth + 1, visitor);
      }
    }
  }

  private static int parseInt(String s) throws Malformed {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new Malformed(-1, "EventID is not a number: " + s);
    }
  }

  private static long parseLong(String s) throws Malformed {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new Malformed(-1, "EventRecordID is not a number: " + s);
    }
  }
}
