package io.psfleet.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of an OCSF alert a report needs, read back from the alerts topic.
 *
 * @param processKeys process keys (hex) the alert names: its process, its actor, their ancestry
 * @param hosts the host, or for a fleet alert every host involved
 * @param kafkaTimestampMillis when the alert reached Kafka (wall clock)
 * @param evidenceEventIds the telemetry events the alert names as its cause ({@code host:boot:seq})
 */
public record AlertRecord(
    String uid,
    String ruleId,
    String technique,
    String hostId,
    Set<String> processKeys,
    Set<String> hosts,
    long kafkaTimestampMillis,
    List<String> evidenceEventIds) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses an OCSF Detection Finding as the jobs write it. */
  public static AlertRecord parse(byte[] json, long kafkaTimestampMillis) throws IOException {
    JsonNode f = JSON.readTree(json);
    Set<String> keys = new HashSet<>();
    collectKeys(f.path("process"), keys);
    collectKeys(f.path("actor").path("process"), keys);
    Set<String> hosts = new HashSet<>();
    String host = f.path("device").path("uid").asText();
    hosts.add(host);
    for (JsonNode h : f.path("unmapped").path("hosts")) {
      hosts.add(h.asText());
    }
    List<String> evidence = new ArrayList<>();
    for (JsonNode event : f.path("finding_info").path("related_events")) {
      evidence.add(event.path("uid").asText());
    }
    return new AlertRecord(
        f.path("finding_info").path("uid").asText(),
        f.path("finding_info").path("analytic").path("uid").asText(),
        f.path("finding_info").path("attacks").path(0).path("technique").path("uid").asText(),
        host,
        keys,
        hosts,
        kafkaTimestampMillis,
        List.copyOf(evidence));
  }

  private static void collectKeys(JsonNode process, Set<String> keys) {
    List<JsonNode> chain = new ArrayList<>();
    for (JsonNode p = process; !p.isMissingNode(); p = p.path("parent_process")) {
      chain.add(p);
    }
    // Only the process itself counts as "named"; ancestors are context, not the subject.
    if (!chain.isEmpty() && chain.get(0).has("uid")) {
      keys.add(chain.get(0).path("uid").asText());
    }
  }
}
