package io.psfleet.agent.scenario;

import java.util.List;

/**
 * What a scenario did, for the detection-testing harness.
 *
 * @param scenarioId unique per injected instance (shared by the hosts of one fleet campaign)
 * @param processKeys process keys (ProcessGuid) of the processes involved
 * @param eventSequences header sequence numbers of the telemetry events that show it
 * @param timeNanos event time of its last step
 */
public record GroundTruthRecord(
    String scenarioId,
    String scenario,
    String technique,
    boolean attack,
    String hostId,
    long bootId,
    List<Long> processKeys,
    List<Long> eventSequences,
    long timeNanos,
    String description) {

  public GroundTruthRecord {
    processKeys = List.copyOf(processKeys);
    eventSequences = List.copyOf(eventSequences);
  }
}
