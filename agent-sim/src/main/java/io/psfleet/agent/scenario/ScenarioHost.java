package io.psfleet.agent.scenario;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.workload.HostWorkload;

/** What a scenario needs of the host it runs on, beyond the workload. */
public interface ScenarioHost {
  HostWorkload workload();

  String hostId();

  long bootId();

  /** The key the sensor gives {@code process} (its ProcessGuid). */
  long processKey(EProcess process);

  /** Sequence number of the sensor's latest event: what the last step produced. */
  long lastSequence();

  void recordGroundTruth(GroundTruthRecord record);
}
