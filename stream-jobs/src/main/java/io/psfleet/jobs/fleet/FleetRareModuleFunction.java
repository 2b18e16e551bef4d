package io.psfleet.jobs.fleet;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.DetectionConfig;
import io.psfleet.jobs.lineage.EnrichedEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rule 6, fleet correlation, and module prevalence ({@link Prevalence}). Keyed by the module's
 * sha256, not by host: every host's loads of one hash meet here. Feed it only tracked loads ({@link
 * #isRelevant}, as a filter before the keyBy): other events are ignored.
 *
 * <p>Event time: the campaign window is measured on the loads' own timestamps ({@link
 * io.psfleet.jobs.event.Telemetry#timeNanos()}), so the result does not depend on watermarks or on
 * how hosts' events interleave on the way, within one window: a load more than {@link
 * DetectionConfig#fleetWindow()} older than the latest load of its hash is too late for the
 * campaign (it still counts for prevalence).
 *
 * <p>State per hash: a {@link FleetModule} (prevalence, the alerted flag, at most {@link
 * DetectionConfig#fleetHosts()} campaign sightings) and the set of hosts counted so far, dropped
 * when the hash becomes common. One event-time timer per hash (record timestamps in milliseconds)
 * clears both once the watermark is {@link DetectionConfig#fleetRetention()} past the hash's latest
 * load; a hash seen again in the meantime re-arms it. A forgotten hash starts afresh, alert
 * included.
 */
public final class FleetRareModuleFunction
    extends KeyedProcessFunction<String, EnrichedEvent, Alert> {
  private static final long serialVersionUID = 1L;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  public static final String UID = "fleet-rare-module";
  public static final String NAME = "Fleet: rare module on many hosts";

  private final Prevalence prevalence;
  private transient ValueState<FleetModule> module;
  private transient MapState<String, Boolean> countedHosts;

  public FleetRareModuleFunction(DetectionConfig config) {
    this.prevalence = new Prevalence(config);
  }

  /** The events this function uses (see {@link Prevalence#isTracked}); filter with it first. */
  public static boolean isRelevant(EnrichedEvent e) {
    return Prevalence.isTracked(e.event());
  }

  /** The key this function expects: the module's sha256. */
  public static String key(EnrichedEvent e) {
    return e.event().sha256();
  }

  @Override
  public void open(OpenContext openContext) {
    module =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("module", TypeInformation.of(FleetModule.class)));
    countedHosts =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("counted-hosts", Types.STRING, Types.BOOLEAN));
  }

  @Override
  public void processElement(EnrichedEvent event, Context ctx, Collector<Alert> out)
      throws Exception {
    if (!isRelevant(event)) {
      return;
    }
    String host = event.event().hostId();
    FleetModule current = module.value();
    boolean newHost = current == null || (!current.common() && !countedHosts.contains(host));
    Prevalence.Sighting sighting = prevalence.observe(current, newHost, event);
    FleetModule next = sighting.module();
    if (next.common()) {
      if (current == null || !current.common()) {
        countedHosts.clear();
      }
    } else if (newHost) {
      countedHosts.put(host, Boolean.TRUE);
    }
    module.update(next);
    if (current == null) {
      ctx.timerService().registerEventTimeTimer(forgetTimer(next));
    }
    if (sighting.alert() != null) {
      out.collect(sighting.alert());
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    FleetModule current = module.value();
    if (current == null) {
      return;
    }
    if (prevalence.isForgotten(current, (timestamp + 1) * NANOS_PER_MILLI)) {
      module.clear();
      countedHosts.clear();
    } else {
      ctx.timerService().registerEventTimeTimer(forgetTimer(current));
    }
  }

  private long forgetTimer(FleetModule m) {
    return Math.floorDiv(prevalence.forgetAfterNanos(m), NANOS_PER_MILLI);
  }
}
