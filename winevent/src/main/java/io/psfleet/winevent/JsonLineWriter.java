package io.psfleet.winevent;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON writers' shared part: one object per call, into a buffer reused from call to call. */
final class JsonLineWriter implements WinEventWriter {
  @FunctionalInterface
  interface Body {
    void write(WinEvent event, JsonGenerator g) throws IOException;
  }

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2048);
  private final Body body;

  JsonLineWriter(Body body) {
    this.body = body;
  }

  @Override
  public byte[] write(WinEvent event) {
    buffer.reset();
    try (JsonGenerator g = JsonEventLines.MAPPER.getFactory().createGenerator(buffer)) {
      g.writeStartObject();
      body.write(event, g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON into memory", e);
    }
    return buffer.toByteArray();
  }

  /** The EventData fields that have a value, each as a string. */
  static void eventData(WinEvent e, JsonGenerator g) throws IOException {
    for (var f : e.eventData().entrySet()) {
      if (f.getValue() != null) {
        g.writeStringField(f.getKey(), f.getValue());
      }
    }
  }
}
