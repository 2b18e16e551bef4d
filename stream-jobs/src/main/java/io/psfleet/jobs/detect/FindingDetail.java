package io.psfleet.jobs.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.psfleet.jobs.alert.ModuleRef;
import io.psfleet.jobs.alert.ProcessRef;

/**
 * What an alert says about one event (its process with ancestry, the actor, the module), carried
 * through correlation state as text ({@link io.psfleet.sigma.correlation.Subject#detail()}), so
 * that a correlation's alert names the processes, ancestry and module its events had, as a
 * single-event alert does. Text rather than typed fields: the correlation engine is plain Java and
 * knows nothing of psfleet's alert parts, and Flink stores a string without Kryo.
 */
public record FindingDetail(ProcessRef process, ProcessRef actor, ModuleRef module) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Resolved once: every observation a correlation rule is fed encodes one. */
  private static final ObjectWriter WRITER = JSON.writerFor(FindingDetail.class);

  public String encode() {
    try {
      return WRITER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a finding's detail: " + e.getMessage(), e);
    }
  }

  /** The detail {@link #encode} wrote, or null for null or unreadable text. */
  public static FindingDetail decode(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readValue(text, FindingDetail.class);
    } catch (JsonProcessingException e) {
      // State written by another version: the alert still names the process by its subject.
      return null;
    }
  }
}
