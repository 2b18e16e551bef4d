package io.psfleet.jobs;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.DetectionConfig;
import io.psfleet.jobs.detect.DllInjectionFunction;
import io.psfleet.jobs.detect.HostRulesFunction;
import io.psfleet.jobs.fleet.FleetRareModuleFunction;
import io.psfleet.jobs.lineage.EnrichedEvent;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;

/**
 * The detection part of the graph: the stateless host rules, DLL injection keyed by host (no
 * shuffle: the lineage output is already partitioned by host) and fleet correlation keyed by module
 * hash; their alerts in one stream.
 */
public final class Detections {
  private Detections() {}

  /**
   * @param maxTargetsPerHost the most processes per host with pending injection state (the job's
   *     {@code --max-processes-per-host})
   */
  public static DataStream<Alert> define(
      DataStream<EnrichedEvent> enrichedByHost, DetectionConfig config, int maxTargetsPerHost) {
    DataStream<Alert> hostRules =
        enrichedByHost
            .process(new HostRulesFunction(config))
            .uid(HostRulesFunction.UID)
            .name(HostRulesFunction.NAME);
    DataStream<Alert> injections =
        DataStreamUtils.reinterpretAsKeyedStream(
                enrichedByHost
                    .filter(DllInjectionFunction::isRelevant)
                    .uid("filter-injection")
                    .name("Threads, loads, exits"),
                DllInjectionFunction::key)
            .process(new DllInjectionFunction(config, maxTargetsPerHost))
            .uid(DllInjectionFunction.UID)
            .name(DllInjectionFunction.NAME);
    DataStream<Alert> fleet =
        enrichedByHost
            .filter(FleetRareModuleFunction::isRelevant)
            .uid("filter-fleet-modules")
            .name("Module loads to correlate")
            .keyBy(FleetRareModuleFunction::key)
            .process(new FleetRareModuleFunction(config))
            .uid(FleetRareModuleFunction.UID)
            .name(FleetRareModuleFunction.NAME);
    return hostRules.union(injections, fleet);
  }
}
